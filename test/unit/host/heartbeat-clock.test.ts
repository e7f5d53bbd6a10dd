import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CentralClient } from '../../../host/services/central-client.js';
import { HeartbeatService, type HeartbeatParts } from '../../../host/services/fleet/heartbeat.js';

/**
 * Issue 10, kind 3 (found by the clock chaos after fleet merged): the heartbeat measured its minimum gap
 * on the wall clock, so a poke after the clock stepped back 30 days asked Node for a 30-day timer, which
 * overflowed and fired at once (TimeoutOverflowWarning). The gap is on the monotonic clock now.
 */
describe('HeartbeatService across a stepped wall clock', () => {
  afterEach(() => vi.useRealTimers());

  function service(wall: () => number, monotonic: () => number) {
    const sent: string[] = [];
    const client = {
      call: vi.fn(async (_method: string, _path: string, _schema: unknown, body: { sentAt: string }) => {
        sent.push(body.sentAt);
        return { kind: 'ok', value: { commands: [], config: null, outOfService: null, auditAnchor: null } };
      }),
    } as unknown as CentralClient;
    const log = { log: vi.fn() } as never;
    const heartbeat = new HeartbeatService({
      client,
      log,
      intervalMs: () => 60_000,
      build: async () => ({}) as HeartbeatParts,
      onAnswer: () => undefined,
      unreported: () => [],
      onReported: () => undefined,
      minGapMs: 2_000,
      random: () => 0.5,
      now: wall,
      monotonicNow: monotonic,
    });
    return { heartbeat, sent };
  }

  /** A service whose first heartbeat has gone; `advance` moves the monotonic clock and Node's timers together. */
  async function afterFirstHeartbeat() {
    vi.useFakeTimers();
    let monotonic = 0;
    const clock = { wall: Date.parse('2026-12-01T08:00:00Z') };
    const { heartbeat, sent } = service(() => clock.wall, () => monotonic);
    const advance = async (ms: number) => {
      monotonic += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    heartbeat.start();
    await advance(2_000);
    expect(sent).toHaveLength(1);
    return { heartbeat, sent, clock, advance };
  }

  it('sends a poked heartbeat after the gap, neither at once nor weeks later, after the wall clock stepped back 30 days, stamped with the new wall time', async () => {
    const { heartbeat, sent, clock, advance } = await afterFirstHeartbeat();
    clock.wall -= 30 * 24 * 3_600_000; // NTP or a technician steps the clock back
    heartbeat.poke();
    // Not at once (a 30-day timer overflows to 1 ms), and not in 30 days: after the 2 s gap.
    await advance(1_000);
    expect(sent).toHaveLength(1);
    await advance(1_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe('2026-11-01T08:00:00.000Z');
    await heartbeat.stop();
  });

  it('still keeps the minimum gap between heartbeats when the wall clock jumps forward', async () => {
    const { heartbeat, sent, clock, advance } = await afterFirstHeartbeat();
    clock.wall += 48 * 3_600_000;
    heartbeat.poke();
    await advance(1_000);
    expect(sent).toHaveLength(1);
    await advance(1_000);
    expect(sent).toHaveLength(2);
    await heartbeat.stop();
  });
});
