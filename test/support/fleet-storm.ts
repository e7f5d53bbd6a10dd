import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CentralClient } from '../../host/services/central-client.js';
import { Drainer } from '../../host/services/drainer.js';
import { createLogger } from '../../host/services/log.js';
import { Outbox } from '../../host/services/outbox.js';
import { submissionBody } from './central-fixture.js';
import { fleetSecret, fleetTerminalId } from './fleet-central.js';

/**
 * A fleet of simulated kiosks for storms (benches and chaos): each terminal a real Drainer with its own
 * CentralClient (own key, signed requests, Idempotency-Key) over its own in-memory outbox holding
 * `items` applications. "The network" is a fetch shim that refuses while `down`; every exchange's
 * latency is recorded. The kiosk's disk is not what a storm measures, hence the in-memory outboxes.
 */
export interface Storm {
  /** Starts every drainer (with a start-up jitter of up to `startJitterMs`). */
  start(startJitterMs: number): void;
  setNetwork(up: boolean): void;
  /** Applications not yet acknowledged, across the fleet (pending or needing staff). */
  left(): number;
  needsStaff(): number;
  /** Every acknowledged application: terminal, local number and the case number central answered. */
  acknowledged(): Array<{ terminalId: string; localNumber: string; caseNumber: string | null }>;
  offlineRequests: () => number;
  clientLatencies: number[];
  stop(): Promise<void>;
}

export function createStorm(options: { url: string; seed: string; terminals: number; items: number; policy?: { baseMs: number; capMs: number }; random?: () => number }): Storm {
  let down = false;
  let offlineRequests = 0;
  const clientLatencies: number[] = [];
  const network = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    if (down) {
      offlineRequests++;
      throw new TypeError('fetch failed');
    }
    const started = performance.now();
    const response = await fetch(input, init);
    clientLatencies.push(performance.now() - started);
    return response;
  }) as typeof fetch;
  const log = createLogger({ dataDir: null, minLevel: 'error' });
  const key = randomBytes(32);
  const fleet = Array.from({ length: options.terminals }, (_, index) => {
    const terminalId = fleetTerminalId(index);
    const outbox = new Outbox({ file: ':memory:', key, terminalId });
    for (let item = 0; item < options.items; item++) {
      outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-0', payload: (localNumber) => submissionBody(localNumber) });
    }
    const client = new CentralClient({ baseUrl: options.url, key: { keyId: terminalId, secret: fleetSecret(options.seed, terminalId) }, timeoutMs: 30_000, fetch: network });
    const drainer = new Drainer({ outbox, client, log, ...(options.policy ? { policy: options.policy } : {}), ...(options.random ? { random: options.random } : {}) });
    return { terminalId, outbox, drainer };
  });
  return {
    start: (jitter) => {
      for (const terminal of fleet) terminal.drainer.start(jitter);
    },
    setNetwork: (up) => {
      down = !up;
    },
    left: () => fleet.reduce((sum, terminal) => sum + terminal.outbox.depth().pending + terminal.outbox.depth().needsStaff, 0),
    needsStaff: () => fleet.reduce((sum, terminal) => sum + terminal.outbox.depth().needsStaff, 0),
    acknowledged: () =>
      fleet.flatMap((terminal) => terminal.outbox.list('delivered').map((item) => ({ terminalId: terminal.terminalId, localNumber: item.localNumber, caseNumber: item.caseNumber }))),
    offlineRequests: () => offlineRequests,
    clientLatencies,
    async stop() {
      await Promise.all(fleet.map((terminal) => terminal.drainer.stop()));
      for (const terminal of fleet) terminal.outbox.close();
    },
  };
}

/** Every case central filed: terminal, local number, case number (SQLite file or PostgreSQL URL). */
export async function filedCases(database: string): Promise<Array<{ terminalId: string; localNumber: string; caseNumber: string }>> {
  const sql = 'SELECT terminal_id AS "terminalId", local_number AS "localNumber", case_number AS "caseNumber" FROM cases';
  if (/^postgres(ql)?:\/\//.test(database)) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query<{ terminalId: string; localNumber: string; caseNumber: string }>(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare(sql).all() as Array<{ terminalId: string; localNumber: string; caseNumber: string }>;
  } finally {
    db.close();
  }
}

/** Lost: acknowledged on a kiosk but not filed, or never acknowledged. Duplicated: one application filed under two cases, or a case number used twice. */
export function lossesAndDuplicates(
  acknowledged: ReturnType<Storm['acknowledged']>,
  filed: Awaited<ReturnType<typeof filedCases>>,
  expected: number,
): { lost: number; duplicated: number; mismatched: number } {
  const byLocal = new Map<string, string[]>();
  for (const entry of filed) byLocal.set(`${entry.terminalId}|${entry.localNumber}`, [...(byLocal.get(`${entry.terminalId}|${entry.localNumber}`) ?? []), entry.caseNumber]);
  const duplicated = [...byLocal.values()].filter((cases) => cases.length > 1).length + (filed.length - new Set(filed.map((entry) => entry.caseNumber)).size);
  const mismatched = acknowledged.filter((entry) => !(byLocal.get(`${entry.terminalId}|${entry.localNumber}`) ?? []).includes(entry.caseNumber ?? '')).length;
  const lost = expected - acknowledged.filter((entry) => byLocal.has(`${entry.terminalId}|${entry.localNumber}`)).length;
  return { lost, duplicated, mismatched };
}
