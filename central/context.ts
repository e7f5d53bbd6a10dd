import type { Catalog } from '../contract/catalog.js';
import type { HeartbeatBatcher } from './fleet/batcher.js';
import type { ProofIssuer } from './proofs/issuer.js';
import type { CentralStore } from './store/store.js';

/** What central has seen since it started; the chaos test reads it to count absorbed redeliveries. */
export interface CentralStats {
  requests: number;
  casesCreated: number;
  /** Requests answered from a stored idempotent result (a redelivery absorbed). */
  idempotentReplays: number;
  /** Submissions of a known (terminal, local number) under a new key, answered with the existing case. */
  localNumberReplays: number;
  /** Submissions of a known (terminal, local number) with another applicant or content: refused 409 local-number-conflict. */
  localNumberConflicts: number;
  inFlightConflicts: number;
  keyMismatches: number;
  signatureRejections: Record<string, number>;
}

/**
 * What every part of one running central shares: the store, the catalog it serves, its clock and its
 * counters. The counters are this process's own (for tests and benches); nothing that must hold across
 * processes is kept here.
 */
export interface CentralContext {
  store: CentralStore;
  catalog: Catalog;
  now: () => Date;
  stats: CentralStats;
  /** How long an Idempotency-Key claim stays this process's before another may take it over, ms. */
  idempotencyLeaseMs: number;
  /** Heartbeats go to the store in group commits (fleet/batcher.ts). */
  heartbeats: HeartbeatBatcher;
  /** Issues, seals and verifies documents with central's seal key (issue 15); absent in contexts built without one. */
  proofs?: ProofIssuer;
}
