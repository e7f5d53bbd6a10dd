import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatusPoller } from '../../../drivers/devices/status-poller.js';

describe('StatusPoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes at start, then an interval after each refresh settles, never two at once', async () => {
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    const refresh = vi.fn(async () => {
      calls++;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // slower than the interval
      inFlight--;
    });
    const poller = new StatusPoller(refresh, 1_000);
    const started = poller.start();
    await vi.advanceTimersByTimeAsync(2_500);
    await started;
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(3_500 * 4);
    expect(calls).toBe(6);
    expect(most).toBe(1);
    poller.stop();
  });

  it('schedules nothing after stop, even when stopped while a refresh is in flight', async () => {
    let release: () => void = () => undefined;
    const refresh = vi.fn(() => (refresh.mock.calls.length === 1 ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve))));
    const poller = new StatusPoller(refresh, 1_000);
    await poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    poller.stop();
    release();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('starts again after a stop without doubling the loop', async () => {
    const refresh = vi.fn(() => Promise.resolve());
    const poller = new StatusPoller(refresh, 1_000);
    await poller.start();
    await poller.start();
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledTimes(3);
    poller.stop();
  });
});
