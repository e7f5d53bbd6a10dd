/**
 * Time on a kiosk: the wall clock (Date) is a setting that NTP, a technician or a flat CMOS battery can
 * step by days in either direction; the monotonic clock (performance.now, the one Node's timers run on)
 * only moves forward at the rate of real time. So durations and timeouts use the monotonic clock, plans
 * stored as wall-clock instants are redone when the wall clock jumps, and no timer is given a delay
 * Node cannot hold (issue 10, kind 3).
 */

/**
 * The longest delay a Node timer holds: 2³¹−1 ms (about 24.8 days). A longer one is replaced by 1 ms
 * with a TimeoutOverflowWarning, so a plan 30 days away (a wall clock stepped back) fired every
 * millisecond (nodejs.org/api/timers.html#settimeoutcallback-delay-args).
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A delay any timer accepts: finite, not negative, below 2³¹−1 ms. */
export function timerDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(Math.floor(ms), MAX_TIMER_DELAY_MS - 1);
}

/** Milliseconds on the monotonic clock: for durations and deadlines only, never for dates. */
export function monotonicMs(): number {
  return performance.now();
}

export interface WallClockWatchOptions {
  /** How often the two clocks are compared, ms (monotonic). */
  intervalMs: number;
  /** Disagreement between them, beyond timer lateness, that counts as a step of the wall clock. */
  toleranceMs: number;
  /** The wall clock stepped by `stepMs` (negative: back) since the last comparison. */
  onJump: (stepMs: number) => void;
  wallNow?: () => number;
  monotonicNow?: () => number;
}

/**
 * Notices a step of the wall clock: between two comparisons the wall clock should advance exactly as far
 * as the monotonic one. A process that was suspended advances both alike, so a suspend is not a jump.
 */
export class WallClockWatch {
  private readonly wallNow: () => number;
  private readonly monotonicNow: () => number;
  private lastWall: number;
  private lastMonotonic: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: WallClockWatchOptions) {
    this.wallNow = options.wallNow ?? Date.now;
    this.monotonicNow = options.monotonicNow ?? monotonicMs;
    this.lastWall = this.wallNow();
    this.lastMonotonic = this.monotonicNow();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), timerDelay(this.options.intervalMs));
    this.timer.unref();
  }

  /** Compares the clocks now; returns the step seen (0 within tolerance). Exposed for tests. */
  check(): number {
    const wall = this.wallNow();
    const monotonic = this.monotonicNow();
    const step = wall - this.lastWall - (monotonic - this.lastMonotonic);
    this.lastWall = wall;
    this.lastMonotonic = monotonic;
    if (Math.abs(step) <= this.options.toleranceMs) return 0;
    this.options.onJump(step);
    return step;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
