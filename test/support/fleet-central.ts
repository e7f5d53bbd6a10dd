/**
 * The reference central as its own process for the fleet bench, so the 500 simulated terminals and
 * central do not share one event loop (each gets a core). Started by test/bench/fleet.bench.ts with an
 * IPC channel: it registers FLEET_TERMINALS terminals whose secrets derive from FLEET_SEED, records
 * every request (start, duration), and answers `{ type: 'report' }` with the records and stats.
 */
import { createHmac } from 'node:crypto';
import { loadCatalog } from '../../catalog/load.js';
import { startCentralServer, type RequestRecord } from '../../central/server.js';

export function fleetTerminalId(index: number): string {
  return `TA-FLEET-${String(index).padStart(4, '0')}`;
}

export function fleetSecret(seed: string, terminalId: string): string {
  return createHmac('sha256', seed).update(terminalId).digest('hex');
}

async function main(): Promise<void> {
  const count = Number(process.env.FLEET_TERMINALS ?? 500);
  const seed = process.env.FLEET_SEED ?? 'fleet';
  const records: RequestRecord[] = [];
  const central = await startCentralServer({
    dbFile: process.env.FLEET_DB ?? ':memory:',
    catalog: loadCatalog(),
    terminals: Array.from({ length: count }, (_, index) => ({ id: fleetTerminalId(index), secret: fleetSecret(seed, fleetTerminalId(index)) })),
    observe: (record) => records.push(record),
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'report') process.send?.({ type: 'report', records, stats: central.stats() });
    if (message.type === 'close') void central.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url: central.url });
}

if (process.argv[1]?.endsWith('fleet-central.ts')) void main();
