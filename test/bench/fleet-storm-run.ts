import type { FleetCentralProcess } from '../support/fleet-central-process.js';
import { createStorm } from '../support/fleet-storm.js';
import { percentile } from './figures.js';

/** Drives one storm against a running fleet central: offline for `offlineMs`, then the network back for all at t0. */
export async function stormOnce(
  central: FleetCentralProcess,
  seed: string,
  options: { terminals: number; items: number; offlineMs: number; startJitterMs: number; policy: { baseMs: number; capMs: number }; random?: () => number; deadlineMs?: number },
) {
  const storm = createStorm({ url: central.url, seed, terminals: options.terminals, items: options.items, policy: options.policy, ...(options.random ? { random: options.random } : {}) });
  storm.setNetwork(false);
  const offlineStarted = performance.now();
  storm.start(options.startJitterMs);
  await new Promise((resolve) => setTimeout(resolve, options.offlineMs));
  const offlineMinutes = (performance.now() - offlineStarted) / 60_000;
  const requestsPerTerminalMinute = storm.offlineRequests() / options.terminals / offlineMinutes;

  const t0 = Date.now();
  storm.setNetwork(true);
  const deadline = t0 + (options.deadlineMs ?? 240_000);
  while (storm.left() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const drainSeconds = (Date.now() - t0) / 1000;
  const left = storm.left();
  const acknowledged = storm.acknowledged();
  await storm.stop();
  const report = await central.report();
  if (left > 0) throw new Error(`${left} submissions not drained within ${(options.deadlineMs ?? 240_000) / 1000} s`);

  const after = report.records.filter((record) => record.startedAt >= t0);
  const perSecond = new Map<number, number>();
  for (const record of after) perSecond.set(Math.floor((record.startedAt - t0) / 1000), (perSecond.get(Math.floor((record.startedAt - t0) / 1000)) ?? 0) + 1);
  const submissions = after.filter((record) => record.path === '/v1/applications');
  return {
    drainSeconds,
    peakRps: Math.max(...perSecond.values()),
    centralP99: percentile(submissions.map((record) => record.durationMs), 99),
    clientP99: percentile(storm.clientLatencies, 99),
    requestsPerTerminalMinute,
    created: report.stats.reduce((sum, stats) => sum + stats.casesCreated, 0),
    acknowledged,
  };
}
