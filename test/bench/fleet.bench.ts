/**
 * Fleet storm (issue 5): 500 terminals, each with 20 queued submissions, regain the network at once
 * against one local reference central (127.0.0.1 only).
 *
 * How it is simulated: central runs in its own process (test/support/fleet-central.ts, real HTTP, real
 * SQLite on disk with synchronous=FULL). The 500 terminals run in this process (test/support/fleet-storm.ts),
 * each a real Drainer with its own CentralClient (own terminal key, signed requests) and its own
 * in-memory outbox (the kiosk's disk is not what this measures). "The network" is a fetch shim that
 * refuses while down. The fleet starts offline, backs off for OFFLINE_MS, then the network returns at
 * t0 for all at once.
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
import { temporaryDirectories } from '../support/central-fixture.js';
import { startFleetCentral } from '../support/fleet-central-process.js';
import { stormOnce } from './fleet-storm-run.js';
import { round, type Figures } from './figures.js';

const TERMINALS = Number(process.env.FLEET_TERMINALS ?? 500);
const ITEMS = 20;
const OFFLINE_MS = 15_000;
const POLICY = { baseMs: 500, capMs: 16_000 };
const START_JITTER_MS = 5_000;

async function storm(jitter: boolean, dir: string) {
  const seed = randomBytes(8).toString('hex');
  const central = await startFleetCentral({ terminals: TERMINALS, seed, database: join(dir, `central-${jitter ? 'jitter' : 'lockstep'}.sqlite`) });
  try {
    // Without jitter every terminal draws the same number, so they compute the same delays: lockstep.
    return await stormOnce(central, seed, { terminals: TERMINALS, items: ITEMS, offlineMs: OFFLINE_MS, startJitterMs: jitter ? START_JITTER_MS : 0, policy: POLICY, ...(jitter ? {} : { random: () => 0.999_999 }) });
  } finally {
    await central.close();
  }
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
