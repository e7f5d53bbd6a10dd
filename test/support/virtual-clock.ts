import type { DrainerTimers } from '../../host/services/drainer.js';

/**
 * Virtual time for the drainer: timers fire in order as `advance` moves the clock, and promises
 * settled by each timer (a fake client answers at once) run before the next one fires. Lets a test or
 * a bench watch an hour of backoff in milliseconds.
 */
export class VirtualClock {
  now: number;
  private sequence = 0;
  private readonly pending = new Map<number, { at: number; run: () => void }>();

  constructor(start = Date.parse('2026-03-02T08:00:00Z')) {
    this.now = start;
  }

  readonly timers: DrainerTimers = {
    setTimeout: (run, delayMs) => {
      const handle = ++this.sequence;
      this.pending.set(handle, { at: this.now + Math.max(0, delayMs), run });
      return handle;
    },
    clearTimeout: (handle) => {
      this.pending.delete(handle as number);
    },
  };

  /** Runs every timer due up to `now + ms`, in time order, letting the work each one starts finish. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; run: () => void }] | null = null;
      for (const entry of this.pending) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.now = next[1].at;
      next[1].run();
    }
    this.now = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}
