/**
 * fleet.heartbeat.ingest_per_s (issue 13): heartbeats stored per second on PostgreSQL — parsed bodies
 * decided (state, alerts, anchor, answer) and written through the group-commit batcher
 * (central/fleet/batcher.ts: one transaction per batch of up to 250, named prepared statements) by 1,000
 * heartbeats in flight at once from 10,000 registered terminals. Goal ≥ 5,000/s (10,000 kiosks at one a
 * minute need 167/s). The same on SQLite beside it, and the HTTP path end to end (signature, parsing,
 * answer) with 2 central processes on PostgreSQL, to show what the store leaves to the rest.
 */
import { randomBytes } from 'node:crypto';
import { HeartbeatBatcher } from '../../central/fleet/batcher.js';
import { openCentralStore } from '../../central/server.js';
import { CENTRAL_PATHS } from '../../contract/central/api.js';
import { HeartbeatAnswer } from '../../contract/central/fleet.js';
import { CentralClient } from '../../host/services/central-client.js';
import { FLEET_DISTRICTS, fleetSecret, fleetTerminalId } from '../support/fleet-central.js';
import { startFleetCentral } from '../support/fleet-central-process.js';
import { sampleHeartbeat } from '../support/fleet-fixture.js';
import { withBenchDatabases } from './bench-databases.js';
import { round, type Figures } from './figures.js';

const TERMINALS = 10_000;
const HEARTBEATS = Number(process.env.FLEET_INGEST_HEARTBEATS ?? 30_000);
const IN_FLIGHT = 1_000;

const bodyOf = (index: number) =>
  sampleHeartbeat({ terminal: { hallName: `大厅 ${index % 40}`, divisionCode: FLEET_DISTRICTS[index % FLEET_DISTRICTS.length] ?? '370902' }, audit: { sequence: 1 + Math.floor(index / TERMINALS), mac: 'a'.repeat(64), intact: true, anchor: null } });

async function ingest(database: string): Promise<number> {
  const store = await openCentralStore(database, 8);
  try {
    await store.transaction(async (tx) => {
      for (let index = 0; index < TERMINALS; index++) await tx.terminals.register({ id: fleetTerminalId(index), secret: 's', algorithm: 'hmac-sha256', hall: `大厅 ${index % 40}` });
    });
    const batcher = new HeartbeatBatcher(store);
    const bodies = Array.from({ length: TERMINALS }, (_, index) => bodyOf(index));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < HEARTBEATS) {
          const index = next++;
          await batcher.submit(fleetTerminalId(index % TERMINALS), bodies[index % TERMINALS] ?? bodyOf(0), Date.now());
        }
      }),
    );
    return HEARTBEATS / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

async function overHttp(database: string): Promise<{ rate: number; retried: number }> {
  const seed = randomBytes(8).toString('hex');
  const central = await startFleetCentral({ terminals: TERMINALS, seed, database, workers: 2, poolSize: 8 });
  try {
    const clients = Array.from({ length: 200 }, (_, index) => new CentralClient({ baseUrl: central.url, key: { keyId: fleetTerminalId(index), secret: fleetSecret(seed, fleetTerminalId(index)) }, timeoutMs: 30_000 }));
    const total = 6_000;
    let stored = 0;
    let retried = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, index) => {
        while (stored < total) {
          const outcome = await client.call('POST', CENTRAL_PATHS.heartbeat, HeartbeatAnswer, bodyOf(index));
          if (outcome.kind === 'ok') stored++;
          // A kiosk whose heartbeat did not get through sends the next one later; here, at once.
          else if (outcome.kind === 'retry') retried++;
          else throw new Error(`heartbeat refused: ${JSON.stringify(outcome)}`);
        }
      }),
    );
    return { rate: stored / ((performance.now() - started) / 1000), retried };
  } finally {
    await central.close();
  }
}

export default function (): Promise<Figures> {
  return withBenchDatabases(async (databases) => {
    const pg = await ingest(await databases.postgres('ingest'));
    const sqlite = await ingest(databases.sqlite('ingest'));
    const http = await overHttp(await databases.postgres('ingest_http'));
    return {
      'fleet.heartbeat.ingest_per_s': { value: Math.round(pg), unit: 'heartbeats/s' },
      'fleet.heartbeat.sqlite.ingest_per_s': { value: Math.round(sqlite), unit: 'heartbeats/s' },
      'fleet.heartbeat.http_pg_2proc_per_s': { value: round(http.rate, 0), unit: 'heartbeats/s' },
      'fleet.heartbeat.http_pg_2proc_retried': { value: http.retried, unit: 'heartbeats' },
    };
  });
}
