import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../contract/catalog.js';
import type { SignatureAlgorithm } from '../contract/central/signing.js';
import type { CentralContext, CentralStats } from './context.js';
import { centralRequestListener, NO_FAULTS, type Faults, type RequestRecord } from './http/core.js';
import { routeTable } from './http/routes.js';
import { centralRoutes, type RouteOptions } from './routes/index.js';
import { hashedAccount, type StaffAccount } from './routes/staff.js';
import { openSqliteStore } from './store/sqlite.js';

export type { CentralStats } from './context.js';
export type { Faults, RequestRecord } from './http/core.js';
export type { StaffAccount } from './routes/staff.js';

/**
 * The reference central service: what the kiosk's client speaks to in demo mode and in tests.
 * Real HTTP, real SQLite, real signature checks, Idempotency-Key semantics of the IETF draft, and fault
 * switches that tests set per run. Its parts: the HTTP core every request passes (http/core.ts), one
 * router module per resource (routes/), and one store interface (store/store.ts) implemented on SQLite
 * with versioned migrations (migrations/).
 */

export interface TerminalRegistration {
  id: string;
  secret: string;
  algorithm?: SignatureAlgorithm;
  hall?: string;
}

export interface CentralOptions extends RouteOptions {
  /** SQLite file of central's store (created and migrated at start), or ':memory:'. */
  dbFile: string;
  catalog: Catalog;
  terminals: TerminalRegistration[];
  host?: string;
  port?: number;
  /** Demo population profiles for prefill (人口库). */
  profiles?: Array<{ idNumber: string; mobile?: string; address?: string }>;
  /** Staff accounts for sign-in on terminals (PINs are stored as scrypt hashes). */
  staff?: StaffAccount[];
  /** Called once per answered (or dropped) request. */
  observe?: (record: RequestRecord) => void;
  now?: () => Date;
  random?: () => number;
}

export interface CentralServer {
  url: string;
  port: number;
  setFaults(faults: Partial<Faults>): void;
  stats(): CentralStats;
  /** Drops expired nonces and idempotency keys now (also runs every minute). */
  runHousekeeping(): Promise<void>;
  close(): Promise<void>;
}

/** Idempotency keys are kept 48 h: the IETF draft asks for a published window, and kiosks retry for days offline. */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;
/** Nonces are kept longer than the signature window (±5 min) refuses a timestamp anyway. */
const NONCE_TTL_MS = 15 * 60_000;

export async function startCentralServer(options: CentralOptions): Promise<CentralServer> {
  const store = await openSqliteStore(options.dbFile);
  const now = options.now ?? (() => new Date());
  const context: CentralContext = {
    store,
    catalog: options.catalog,
    now,
    stats: { requests: 0, casesCreated: 0, idempotentReplays: 0, localNumberReplays: 0, inFlightConflicts: 0, keyMismatches: 0, signatureRejections: {} },
  };
  // No request survives a restart: a key still marked in flight belongs to a request that died with the
  // previous process, before its case committed (case and key commit together), so it is released.
  await store.idempotency.releaseInFlight();
  for (const terminal of options.terminals) {
    await store.terminals.register({ id: terminal.id, secret: terminal.secret, algorithm: terminal.algorithm ?? 'hmac-sha256', hall: terminal.hall ?? '' });
  }
  for (const profile of options.profiles ?? []) await store.profiles.put({ idNumber: profile.idNumber, mobile: profile.mobile ?? null, address: profile.address ?? null });
  for (const account of options.staff ?? []) await store.staff.put(hashedAccount(account));

  const faults: Faults = { ...NO_FAULTS };
  const server = createServer(
    centralRequestListener({
      context,
      match: routeTable(centralRoutes(context, options)),
      faults,
      random: options.random ?? Math.random,
      ...(options.observe ? { observe: options.observe } : {}),
    }),
  );
  const runHousekeeping = async () => {
    await store.nonces.purgeBefore(now().getTime() - NONCE_TTL_MS);
    await store.idempotency.purgeBefore(now().getTime() - IDEMPOTENCY_TTL_MS);
  };
  const housekeeping = setInterval(() => {
    runHousekeeping().catch((error: unknown) => console.error('central: housekeeping failed', error));
  }, 60_000);
  housekeeping.unref();

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    setFaults: (next) => Object.assign(faults, next),
    stats: () => structuredClone(context.stats),
    runHousekeeping,
    close: async () => {
      clearInterval(housekeeping);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
