import { z } from 'zod';
import { CENTRAL_PATHS } from '../../contract/central/api.js';
import type { CentralClient } from './central-client.js';
import { REAL_TIMERS, type DrainerTimers } from './drainer.js';
import type { Logger } from './log.js';

/**
 * Is central reachable now? The status pill, the e-licence and shared-data screens and the technician's
 * diagnostics all read this one answer. Before it, the pill reflected only the outbox drainer's last send:
 * with nothing queued the drainer sent nothing, so a kiosk whose network had been down for an hour still
 * said 网络正常 (issue 9 item 5).
 *
 * The monitor asks central's `/health` (a GET with no body, answered before any database work) on a
 * jittered interval while central answers, so a change is seen within `onlineEveryMs + onlineJitterMs +
 * probeTimeoutMs` (7.5 s by default: the UI shows it well within 10 s). While central does not answer it
 * backs off, doubling from `offlineBaseMs` to `offlineCapMs` with equal jitter (half the delay fixed, half
 * random, so a hall's kiosks that lost the network together do not return as one wave), and the cap keeps
 * a recovery visible within 8 s. Evidence from real traffic (`hint`) that contradicts the state shown
 * triggers a probe at once, so a failing submission or look-up corrects the pill without waiting.
 *
 * "Reachable" means central answered `/health` with 2xx. A refusal (401 after a clock jump, 5xx) counts as
 * unreachable too: the citizen's application would wait in the outbox either way, which is what
 * 网络中断（申请会先保存在本机…） tells them.
 */
export interface ReachabilityPolicy {
  /** Mean time between probes while central answers (ms). */
  onlineEveryMs: number;
  /** Each online interval is `onlineEveryMs ± onlineJitterMs`. */
  onlineJitterMs: number;
  /** First retry after a failed probe (ms); doubles per further failure. */
  offlineBaseMs: number;
  /** Longest wait between probes while central does not answer (ms). */
  offlineCapMs: number;
  /** A probe that has not answered by then counts as a failure (ms). */
  probeTimeoutMs: number;
}

export const DEFAULT_REACHABILITY: ReachabilityPolicy = {
  onlineEveryMs: 4_000,
  onlineJitterMs: 1_000,
  offlineBaseMs: 1_000,
  offlineCapMs: 8_000,
  probeTimeoutMs: 2_500,
};

export interface ReachabilityOptions {
  client: Pick<CentralClient, 'call'>;
  log: Logger;
  /** Called when the state changes (not on every probe). */
  onChange: (online: boolean) => void;
  policy?: ReachabilityPolicy;
  random?: () => number;
  now?: () => number;
  timers?: DrainerTimers;
}

/** Delay before the next probe: jittered around the online interval, or the offline backoff. */
export function nextProbeDelay(online: boolean, failures: number, policy: ReachabilityPolicy, random: () => number): number {
  if (online) return Math.round(policy.onlineEveryMs - policy.onlineJitterMs + random() * 2 * policy.onlineJitterMs);
  const ceiling = Math.min(policy.offlineCapMs, policy.offlineBaseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class ReachabilityMonitor {
  /** Central reachable as last seen; assumed so until the first probe (sent at start) answers. */
  online = true;
  /** When the last probe answered or failed (epoch ms), or null before the first. */
  checkedAt: number | null = null;
  private readonly policy: ReachabilityPolicy;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timers: DrainerTimers;
  private timer: unknown = null;
  private probing: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;

  constructor(private readonly options: ReachabilityOptions) {
    this.policy = options.policy ?? DEFAULT_REACHABILITY;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** Probes at once, then on its own schedule until stopped. */
  start(): void {
    this.stopped = false;
    void this.probe();
  }

  /** No further probes; a probe still in flight (at most `probeTimeoutMs`) is let go and its answer ignored. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Real traffic says central answered (`true`) or the network failed (`false`). When that contradicts
   * the state shown, probe now rather than at the next tick; a probe in flight already decides.
   */
  hint(reachable: boolean): void {
    if (this.stopped || this.probing || reachable === this.online) return;
    void this.probe();
  }

  /** One probe now (or the one in flight); resolves when its answer is applied. Never rejects. */
  probe(): Promise<void> {
    if (this.probing) return this.probing;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.probing = this.ask()
      .catch((error: unknown) => this.apply(false, `probe-error: ${(error as Error).message}`))
      .finally(() => {
        this.probing = null;
        this.scheduleNext();
      });
    return this.probing;
  }

  private async ask(): Promise<void> {
    const outcome = await this.options.client.call('GET', CENTRAL_PATHS.health, z.unknown(), undefined, { timeoutMs: this.policy.probeTimeoutMs });
    this.apply(outcome.kind === 'ok', outcome.kind === 'ok' ? 'ok' : `${outcome.kind}: ${outcome.reason}`);
  }

  private apply(reachable: boolean, reason: string): void {
    if (this.stopped) return;
    this.checkedAt = this.now();
    this.failures = reachable ? 0 : this.failures + 1;
    if (reachable === this.online) return;
    this.online = reachable;
    this.options.log.log(reachable ? 'info' : 'warn', 'central.reachability', { online: reachable, reason });
    this.options.onChange(reachable);
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const delay = nextProbeDelay(this.online, this.failures, this.policy, this.random);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.probe();
    }, delay);
  }
}
