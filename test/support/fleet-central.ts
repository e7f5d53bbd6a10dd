/**
 * The reference central in processes of its own, for the fleet benches and the chaos test, so the
 * simulated terminals and central do not share one event loop. Started with an IPC channel:
 * FLEET_TERMINALS terminals are registered, their secrets derived from FLEET_SEED; FLEET_DB is a SQLite
 * file or a PostgreSQL URL; FLEET_WORKERS central processes (node:cluster, one shared port, as
 * central/main.ts runs a hall's central) serve it. Every request is recorded (start, duration).
 *
 * Messages from the parent: `report` (answered with every worker's records and stats), `kill-worker`
 * (SIGKILL one worker, which is not replaced: the survivors carry on), `close`.
 */
import cluster, { type Worker } from 'node:cluster';
import { createHmac } from 'node:crypto';
import { loadCatalog } from '../../catalog/load.js';
import { startCentralServer, type CentralStats, type RequestRecord } from '../../central/server.js';

export function fleetTerminalId(index: number): string {
  return `TA-FLEET-${String(index).padStart(4, '0')}`;
}

export function fleetSecret(seed: string, terminalId: string): string {
  return createHmac('sha256', seed).update(terminalId).digest('hex');
}

/** What the harness answers to `report`: the records and counters of every worker that is still alive. */
export interface FleetCentralReport {
  type: 'report';
  records: RequestRecord[];
  stats: CentralStats[];
}

/** Districts the simulated fleet is spread over (Taian's, GB/T 2260), for the console's filters. */
export const FLEET_DISTRICTS = ['370902', '370911', '370921', '370923', '370982', '370983'];

async function worker(): Promise<void> {
  const count = Number(process.env.FLEET_TERMINALS ?? 500);
  const seed = process.env.FLEET_SEED ?? 'fleet';
  const records: RequestRecord[] = [];
  const central = await startCentralServer({
    dbFile: process.env.FLEET_DB ?? ':memory:',
    dbPoolSize: Number(process.env.FLEET_POOL ?? 10),
    catalog: loadCatalog(),
    terminals: Array.from({ length: count }, (_, index) => ({
      id: fleetTerminalId(index),
      secret: fleetSecret(seed, fleetTerminalId(index)),
      hall: `大厅 ${index % 40}`,
      district: FLEET_DISTRICTS[index % FLEET_DISTRICTS.length] ?? '370902',
    })),
    staff: [{ staffNumber: '9001', name: '运维', role: 'technician', pin: '135790' }],
    idempotencyLeaseMs: Number(process.env.FLEET_LEASE_MS ?? 60_000),
    consoleDir: process.env.FLEET_CONSOLE_DIR ?? undefined,
    observe: (record) => records.push(record),
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'report') process.send?.({ type: 'worker-report', records, stats: central.stats() });
    if (message.type === 'close') void central.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url: central.url });
}

async function primary(): Promise<void> {
  const count = Math.max(1, Number(process.env.FLEET_WORKERS ?? 1));
  const workers: Worker[] = [];
  // Workers start one after another: the first applies the migrations (under the advisory lock on PostgreSQL) and registers the terminals.
  let url = '';
  for (let index = 0; index < count; index++) {
    // Every worker listens on port 0: node:cluster gives them all the one port the primary chose first.
    const started = cluster.fork(process.env);
    url = await new Promise<string>((resolve, reject) => {
      started.once('message', (message: { type: string; url: string }) => resolve(message.url));
      started.once('exit', (code) => reject(new Error(`fleet central worker exited ${code}`)));
    });
    workers.push(started);
  }
  process.on('message', (message: { type?: string; index?: number }) => {
    if (message.type === 'kill-worker') workers[message.index ?? 0]?.process.kill('SIGKILL');
    if (message.type === 'report') {
      const alive = workers.filter((entry) => !entry.isDead());
      void Promise.all(
        alive.map(
          (entry) =>
            new Promise<{ records: RequestRecord[]; stats: CentralStats }>((resolve) => {
              entry.once('message', (answer: { records: RequestRecord[]; stats: CentralStats }) => resolve(answer));
              entry.send({ type: 'report' });
            }),
        ),
      ).then((answers) => {
        const report: FleetCentralReport = { type: 'report', records: answers.flatMap((answer) => answer.records), stats: answers.map((answer) => answer.stats) };
        process.send?.(report);
      });
    }
    if (message.type === 'close') {
      const alive = workers.filter((entry) => !entry.isDead());
      void Promise.all(alive.map((entry) => new Promise((resolve) => (entry.once('exit', resolve), entry.send({ type: 'close' }))))).then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', url });
}

if (process.argv[1]?.endsWith('fleet-central.ts')) void (cluster.isPrimary ? primary() : worker());
