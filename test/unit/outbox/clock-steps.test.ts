import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { MAX_TIMER_DELAY_MS, WallClockWatch, timerDelay } from '../../../host/services/clock.js';
import { Drainer, type DrainerTimers } from '../../../host/services/drainer.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox } from '../../../host/services/outbox.js';
import { submissionBody, temporaryDirectories } from '../../support/central-fixture.js';
import { VirtualClock } from '../../support/virtual-clock.js';

/**
 * Issue 10, kind 3: scheduling on the wall clock. The virtual clock stands for the monotonic clock (what
 * timers run on); the wall clock is it plus a `step` the test changes, as NTP or a technician would.
 */
const directories = temporaryDirectories();
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  directories.cleanup();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CAP = 5 * 60_000;

function rig(answer: (index: number) => CallOutcome<unknown>) {
  const clock = new VirtualClock();
  const wall = { step: 0 };
  const wallNow = () => clock.now + wall.step;
  const outbox = new Outbox({ file: join(directories.make(), 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001', now: wallNow });
  const sent: Array<{ localNumber: string; at: number }> = [];
  const delays: number[] = [];
  const timers: DrainerTimers = {
    setTimeout: (run, delayMs) => {
      delays.push(delayMs);
      return clock.timers.setTimeout(run, delayMs);
    },
    clearTimeout: (handle) => clock.timers.clearTimeout(handle),
  };
  const client = {
    call: (_method: string, _path: string, _schema: unknown, body?: unknown) => {
      const localNumber = String((body as { localNumber: string }).localNumber);
      sent.push({ localNumber, at: clock.now });
      const outcome = answer(sent.length - 1);
      return Promise.resolve(outcome.kind === 'ok' ? { ...outcome, value: { caseNumber: `CASE-${localNumber}`, localNumber, status: 'accepted', reasons: [] } } : outcome);
    },
  } as unknown as ConstructorParameters<typeof Drainer>[0]['client'];
  const drainer = new Drainer({
    outbox,
    client,
    log: createLogger({ dataDir: null, minLevel: 'error' }),
    policy: { baseMs: 1_000, capMs: CAP },
    random: () => 0.5,
    now: wallNow,
    timers,
  });
  closers.push(() => outbox.close(), () => drainer.stop());
  const enqueue = () => outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) });
  return { clock, wall, outbox, drainer, sent, delays, enqueue };
}

const ok: CallOutcome<unknown> = { kind: 'ok', status: 201, value: null };
const failOnceThenOk = (index: number): CallOutcome<unknown> => (index === 0 ? { kind: 'retry', reason: 'http-500', retryAfterMs: null } : ok);

describe('Drainer across wall-clock steps', () => {
  it('delivers within the backoff cap when the clock steps back 30 days after a failure (was: nothing for 720 h, timers firing every 1 ms)', async () => {
    const { clock, wall, outbox, drainer, sent, delays, enqueue } = rig(failOnceThenOk);
    const item = enqueue();
    drainer.start();
    await clock.advance(10);
    expect(sent).toHaveLength(1);
    const failedAt = clock.now;
    wall.step = -30 * DAY;
    await clock.advance(4 * CAP);
    expect(outbox.get(item.localNumber)?.state).toBe('delivered');
    expect(sent[1]!.at - failedAt).toBeLessThanOrEqual(4 * CAP);
    expect(Math.max(...delays)).toBeLessThan(MAX_TIMER_DELAY_MS);
  });

  it.each([
    ['−8 h', -8 * HOUR],
    ['+48 h', 48 * HOUR],
  ])('keeps delivering after a step of %s, every timer within the cap', async (_label, step) => {
    const { clock, wall, outbox, drainer, enqueue } = rig(failOnceThenOk);
    const item = enqueue();
    drainer.start();
    await clock.advance(10);
    wall.step = step;
    await clock.advance(4 * CAP);
    expect(outbox.get(item.localNumber)?.state).toBe('delivered');
  });

  it('delivers what was queued while the clock ran 48 h fast, once it is corrected (was: nothing for 48 h)', async () => {
    let online = false;
    const { clock, wall, outbox, drainer, delays, enqueue } = rig(() => (online ? ok : { kind: 'retry', reason: 'network: TypeError', retryAfterMs: null }));
    wall.step = 48 * HOUR;
    const items = [enqueue(), enqueue()];
    drainer.start();
    await clock.advance(60_000);
    wall.step = 0;
    online = true;
    await clock.advance(4 * CAP);
    expect(items.map((item) => outbox.get(item.localNumber)?.state)).toEqual(['delivered', 'delivered']);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4 * CAP);
  });

  it('runs a pass at once when told the wall clock jumped', async () => {
    const { clock, wall, outbox, drainer, sent, enqueue } = rig(failOnceThenOk);
    const item = enqueue();
    drainer.start();
    await clock.advance(10);
    wall.step = -30 * DAY;
    drainer.replan();
    await clock.advance(10);
    expect(sent).toHaveLength(2);
    expect(outbox.get(item.localNumber)?.state).toBe('delivered');
  });
});

describe('Outbox.replan', () => {
  it('starts the retention period of a delivery stamped in the future now, so a clock stepped back does not delay the purge by the step', () => {
    const clock = { now: Date.parse('2026-03-02T08:00:00Z') };
    const outbox = new Outbox({ file: join(directories.make(), 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001', now: () => clock.now });
    closers.push(() => outbox.close());
    const item = outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) });
    outbox.markDelivered(item, 'CASE-1', {});
    clock.now -= 30 * DAY;
    outbox.replan(4 * CAP);
    clock.now += 73 * HOUR;
    expect(outbox.purgeDelivered(72 * HOUR).map((purged) => purged.localNumber)).toEqual([item.localNumber]);
  });
});

describe('timerDelay', () => {
  it('keeps every delay below 2³¹−1 ms and at least 0', () => {
    expect(timerDelay(30 * DAY)).toBe(MAX_TIMER_DELAY_MS - 1);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(Number.NaN)).toBe(0);
    expect(timerDelay(1_500.7)).toBe(1_500);
  });
});

describe('WallClockWatch', () => {
  it('reports a step of the wall clock, and not the plain passing of time', () => {
    const clocks = { wall: 1_000_000, monotonic: 50 };
    const steps: number[] = [];
    const watch = new WallClockWatch({ intervalMs: 10_000, toleranceMs: 5_000, onJump: (step) => steps.push(step), wallNow: () => clocks.wall, monotonicNow: () => clocks.monotonic });
    clocks.wall += 10_000;
    clocks.monotonic += 10_000;
    expect(watch.check()).toBe(0);
    clocks.wall += 10_000 - 30 * DAY;
    clocks.monotonic += 10_000;
    expect(watch.check()).toBe(-30 * DAY);
    clocks.wall += 10_000 + 10 * 60_000;
    clocks.monotonic += 10_000;
    watch.check();
    expect(steps).toEqual([-30 * DAY, 10 * 60_000]);
  });
});
