import { describe, expect, it } from 'vitest';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { DEFAULT_REACHABILITY, ReachabilityMonitor, nextProbeDelay, type ReachabilityOptions } from '../../../host/services/reachability.js';
import { VirtualClock } from '../../support/virtual-clock.js';

/**
 * Central as the monitor meets it: `up` answers /health at once; `down` is a black hole, so every probe
 * waits the whole probe timeout before it fails (the slowest way to notice, a pulled cable behind a switch).
 */
function rig(random: () => number = Math.random) {
  const clock = new VirtualClock();
  const central = { up: true, probes: 0, paths: [] as string[] };
  const changes: Array<{ at: number; online: boolean }> = [];
  const client = {
    call: (_method: string, path: string): Promise<CallOutcome<unknown>> => {
      central.probes++;
      central.paths.push(path);
      if (central.up) return Promise.resolve({ kind: 'ok', status: 200, value: { ok: true } });
      return new Promise((resolve) => clock.timers.setTimeout(() => resolve({ kind: 'retry', reason: 'network: TimeoutError', retryAfterMs: null }), DEFAULT_REACHABILITY.probeTimeoutMs));
    },
  } as unknown as ReachabilityOptions['client'];
  const monitor = new ReachabilityMonitor({
    client,
    log: createLogger({ dataDir: null, minLevel: 'error' }),
    onChange: (online) => changes.push({ at: clock.now, online }),
    timers: clock.timers,
    now: () => clock.now,
    random,
  });
  return { clock, central, changes, monitor };
}

/** Advances virtual time until the monitor shows `online`, or fails after `limitMs`; returns the time it took. */
async function timeUntil(test: ReturnType<typeof rig>, online: boolean, limitMs: number): Promise<number> {
  const start = test.clock.now;
  while (test.monitor.online !== online) {
    if (test.clock.now - start > limitMs) throw new Error(`still ${test.monitor.online ? 'online' : 'offline'} after ${limitMs} ms`);
    await test.clock.advance(100);
  }
  return test.clock.now - start;
}

describe('ReachabilityMonitor', () => {
  it('asks central /health, and nothing else', async () => {
    const test = rig();
    test.monitor.start();
    await test.clock.advance(30_000);
    test.monitor.stop();
    expect(new Set(test.central.paths)).toEqual(new Set([CENTRAL_PATHS.health]));
  });

  it('shows central going away within 10 s, and coming back within 10 s, for any jitter', async () => {
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      const test = rig(random);
      test.monitor.start();
      await test.clock.advance(20_000);
      expect(test.monitor.online).toBe(true);
      for (let round = 0; round < 3; round++) {
        test.central.up = false;
        expect(await timeUntil(test, false, 10_000)).toBeLessThan(10_000);
        // A long outage: the backoff has reached its cap by the time central returns.
        await test.clock.advance(120_000);
        test.central.up = true;
        expect(await timeUntil(test, true, 10_000)).toBeLessThan(10_000);
        await test.clock.advance(17_000);
      }
      expect(test.changes.map((change) => change.online)).toEqual([false, true, false, true, false, true]);
      test.monitor.stop();
    }
  });

  it('backs off while central does not answer: fewer probes than while it does', async () => {
    const test = rig(() => 0.5);
    test.monitor.start();
    await test.clock.advance(60_000);
    const online = test.central.probes;
    test.central.up = false;
    await test.clock.advance(60_000);
    const offline = test.central.probes - online;
    test.monitor.stop();
    // Online: one probe every 4 s on average. Offline: 1, 2, 4 then 8 s apart (jittered), each 2.5 s long.
    expect(online).toBeGreaterThanOrEqual(14);
    expect(offline).toBeLessThan(online);
    expect(offline).toBeLessThanOrEqual(10);
  });

  it('spreads its probes: the online interval varies with the jitter, and the offline backoff grows to its cap', () => {
    const policy = DEFAULT_REACHABILITY;
    expect(nextProbeDelay(true, 0, policy, () => 0)).toBe(3_000);
    expect(nextProbeDelay(true, 0, policy, () => 1)).toBe(5_000);
    expect([1, 2, 3, 4, 5, 9].map((failures) => nextProbeDelay(false, failures, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(nextProbeDelay(false, 4, policy, () => 0)).toBe(4_000);
  });

  it('checks at once when real traffic contradicts what it shows', async () => {
    const test = rig(() => 0.5);
    test.monitor.start();
    await test.clock.advance(1_000);
    const before = test.central.probes;
    test.central.up = false;
    test.monitor.hint(false);
    await test.clock.advance(DEFAULT_REACHABILITY.probeTimeoutMs);
    expect(test.central.probes).toBe(before + 1);
    expect(test.monitor.online).toBe(false);
    // Evidence that agrees with the state shown costs nothing.
    test.monitor.hint(false);
    expect(test.central.probes).toBe(before + 1);
    test.monitor.stop();
  });

  it('probes nothing after it is stopped', async () => {
    const test = rig();
    test.monitor.start();
    await test.clock.advance(10_000);
    test.monitor.stop();
    const probes = test.central.probes;
    test.monitor.hint(false);
    await test.clock.advance(60_000);
    expect(test.central.probes).toBe(probes);
  });
});
