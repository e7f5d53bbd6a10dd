/**
 * Fleet storm (issue 5): 500 terminals, each with 20 queued submissions, regain the network at once
 * against one local reference central (127.0.0.1 only).
 *
 * How it is simulated: central runs in its own process (test/support/fleet-central.ts, real HTTP, real
 * SQLite on disk with synchronous=FULL). The 500 terminals run in this process, each a real Drainer
 * with its own CentralClient (own terminal key, signed requests) and its own in-memory outbox (the
 * kiosk's disk is not what this measures). "The network" is a fetch shim that refuses while down. The
 * fleet starts offline, backs off for OFFLINE_MS, then the network returns at t0 for all at once.
 *
 * Backoff is scaled down (base 0.5 s, cap 16 s, instead of 1 s / 5 min) so the run ends in minutes on
 * two cores; the comparison is the point: with full jitter (production) versus without jitter (every
 * terminal computes the same delay, so they probe in lockstep and return as one wave).
 *
 * Figures: fleet.storm[.nojitter].drain_s (t0 until all 10 000 acknowledged), .central_peak_rps (most
 * requests central began in any one second after t0), .central_p99_ms (central's own handling time of
 * submissions), .client_p99_ms (what the terminals waited, including queueing in central's socket
 * backlog), and fleet.offline.requests_per_terminal_min while central was unreachable.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CentralClient } from '../../host/services/central-client.js';
import { Drainer } from '../../host/services/drainer.js';
import { createLogger } from '../../host/services/log.js';
import { Outbox } from '../../host/services/outbox.js';
import { submissionBody, temporaryDirectories } from '../support/central-fixture.js';
import { fleetSecret, fleetTerminalId } from '../support/fleet-central.js';
import { startFleetCentral } from '../support/fleet-central-process.js';
import { percentile, round, type Figures } from './figures.js';

const TERMINALS = Number(process.env.FLEET_TERMINALS ?? 500);
const ITEMS = 20;
const OFFLINE_MS = 15_000;
const POLICY = { baseMs: 500, capMs: 16_000 };
const START_JITTER_MS = 5_000;

async function storm(jitter: boolean, dir: string) {
  const seed = randomBytes(8).toString('hex');
  const central = await startFleetCentral({ terminals: TERMINALS, seed, database: join(dir, `central-${jitter ? 'jitter' : 'lockstep'}.sqlite`) });
  let down = true;
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
  const fleet = Array.from({ length: TERMINALS }, (_, index) => {
    const terminalId = fleetTerminalId(index);
    const outbox = new Outbox({ file: ':memory:', key, terminalId });
    for (let item = 0; item < ITEMS; item++) {
      outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-0', payload: (localNumber) => submissionBody(localNumber) });
    }
    const client = new CentralClient({ baseUrl: central.url, key: { keyId: terminalId, secret: fleetSecret(seed, terminalId) }, timeoutMs: 30_000, fetch: network });
    // Without jitter every terminal draws the same number, so they compute the same delays: lockstep.
    const drainer = new Drainer({ outbox, client, log, policy: POLICY, ...(jitter ? {} : { random: () => 0.999_999 }) });
    return { outbox, drainer };
  });
  const offlineStarted = performance.now();
  for (const terminal of fleet) terminal.drainer.start(jitter ? START_JITTER_MS : 0);
  await new Promise((resolve) => setTimeout(resolve, OFFLINE_MS));
  const offlineMinutes = (performance.now() - offlineStarted) / 60_000;
  const requestsPerTerminalMinute = offlineRequests / TERMINALS / offlineMinutes;

  const t0 = Date.now();
  down = false;
  const deadline = t0 + 240_000;
  while (fleet.some((terminal) => terminal.outbox.depth().pending > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const drainSeconds = (Date.now() - t0) / 1000;
  const left = fleet.reduce((sum, terminal) => sum + terminal.outbox.depth().pending, 0);
  await Promise.all(fleet.map((terminal) => terminal.drainer.stop()));
  for (const terminal of fleet) terminal.outbox.close();
  const report = await central.report();
  await central.close();
  if (left > 0) throw new Error(`${left} submissions not drained within 240 s`);

  const after = report.records.filter((record) => record.startedAt >= t0);
  const perSecond = new Map<number, number>();
  for (const record of after) perSecond.set(Math.floor((record.startedAt - t0) / 1000), (perSecond.get(Math.floor((record.startedAt - t0) / 1000)) ?? 0) + 1);
  const submissions = after.filter((record) => record.path === '/v1/applications');
  return {
    drainSeconds,
    peakRps: Math.max(...perSecond.values()),
    centralP99: percentile(submissions.map((record) => record.durationMs), 99),
    clientP99: percentile(clientLatencies, 99),
    requestsPerTerminalMinute,
    created: report.stats.reduce((sum, stats) => sum + stats.casesCreated, 0),
  };
}

export default async function (): Promise<Figures> {
  const directories = temporaryDirectories();
  try {
    const dir = directories.make('taian-bench-fleet-');
    const jittered = await storm(true, dir);
    const lockstep = await storm(false, dir);
    if (jittered.created !== TERMINALS * ITEMS || lockstep.created !== TERMINALS * ITEMS) throw new Error('central did not create one case per submission');
    return {
      'fleet.storm.drain_s': { value: round(jittered.drainSeconds, 1), unit: 's' },
      'fleet.storm.central_peak_rps': { value: jittered.peakRps, unit: 'requests/s' },
      'fleet.storm.central_p99_ms': { value: round(jittered.centralP99, 1), unit: 'ms' },
      'fleet.storm.client_p99_ms': { value: round(jittered.clientP99, 1), unit: 'ms' },
      'fleet.storm.nojitter.drain_s': { value: round(lockstep.drainSeconds, 1), unit: 's' },
      'fleet.storm.nojitter.central_peak_rps': { value: lockstep.peakRps, unit: 'requests/s' },
      'fleet.storm.nojitter.central_p99_ms': { value: round(lockstep.centralP99, 1), unit: 'ms' },
      'fleet.storm.nojitter.client_p99_ms': { value: round(lockstep.clientP99, 1), unit: 'ms' },
      'fleet.offline.requests_per_terminal_min': { value: round(jittered.requestsPerTerminalMinute, 2), unit: 'requests/min' },
      'fleet.offline.nojitter.requests_per_terminal_min': { value: round(lockstep.requestsPerTerminalMinute, 2), unit: 'requests/min' },
    };
  } finally {
    directories.cleanup();
  }
}
