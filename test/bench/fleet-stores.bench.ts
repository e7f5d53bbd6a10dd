/**
 * Fleet storm on both stores, side by side in one run (issue 13): 2,000 terminals × 10 applications
 * regain the network at once, against 2 central processes on one PostgreSQL (node:cluster, one port)
 * and against 1 central process on SQLite. Same fleet, same scaled-down backoff (base 0.5 s, cap 16 s),
 * same machine, one after the other.
 *
 * Figures, for `pg` and `sqlite`: fleet.storm.<store>.drain_s (t0 until every application is
 * acknowledged), .central_peak_rps (most requests central began in any one second after t0, all
 * processes together), .central_p99_ms (central's handling time of submissions), .client_p99_ms (what
 * kiosks waited), .lost and .duplicated (checked against the cases table: every acknowledged
 * application filed once under the case its kiosk was told).
 */
import { randomBytes } from 'node:crypto';
import { startFleetCentral } from '../support/fleet-central-process.js';
import { filedCases, lossesAndDuplicates } from '../support/fleet-storm.js';
import { withBenchDatabases } from './bench-databases.js';
import { round, type Figures } from './figures.js';
import { stormOnce } from './fleet-storm-run.js';

const TERMINALS = Number(process.env.FLEET_STORM_TERMINALS ?? 2000);
const ITEMS = 10;

async function storeStorm(store: 'pg' | 'sqlite', database: string, workers: number): Promise<Figures> {
  const seed = randomBytes(8).toString('hex');
  const central = await startFleetCentral({ terminals: TERMINALS, seed, database, workers, poolSize: 8 });
  try {
    const result = await stormOnce(central, seed, { terminals: TERMINALS, items: ITEMS, offlineMs: 10_000, startJitterMs: 5_000, policy: { baseMs: 500, capMs: 16_000 }, deadlineMs: 600_000 });
    const outcome = lossesAndDuplicates(result.acknowledged, await filedCases(database), TERMINALS * ITEMS);
    const prefix = `fleet.storm.${store}`;
    return {
      [`${prefix}.drain_s`]: { value: round(result.drainSeconds, 1), unit: 's' },
      [`${prefix}.central_peak_rps`]: { value: result.peakRps, unit: 'requests/s' },
      [`${prefix}.central_p99_ms`]: { value: round(result.centralP99, 1), unit: 'ms' },
      [`${prefix}.client_p99_ms`]: { value: round(result.clientP99, 1), unit: 'ms' },
      [`${prefix}.lost`]: { value: outcome.lost + outcome.mismatched, unit: 'applications' },
      [`${prefix}.duplicated`]: { value: outcome.duplicated, unit: 'applications' },
    };
  } finally {
    await central.close();
  }
}

export default function (): Promise<Figures> {
  return withBenchDatabases(async (databases) => {
    const pg = await storeStorm('pg', await databases.postgres('storm'), 2);
    const sqlite = await storeStorm('sqlite', databases.sqlite('storm'), 1);
    return { ...pg, ...sqlite };
  });
}
