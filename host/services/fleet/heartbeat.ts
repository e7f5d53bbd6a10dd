import { HeartbeatAnswer, type CommandResult, type HeartbeatBody, type Screenshot } from '../../../contract/central/fleet.js';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import type { CentralClient } from '../central-client.js';
import { monotonicMs, timerDelay } from '../clock.js';
import type { Logger } from '../log.js';

/**
 * The kiosk's heartbeat to central (issue 13): every `intervalMs` with ±10 % jitter (a hall's kiosks
 * switched on together drift apart instead of beating in step), and soon after any status change (a
 * printer out of paper, out of service), at most one every `minGapMs`. The body is built fresh each time
 * by `build`; command results and a new idle-screen screenshot ride along until central has answered a
 * heartbeat that carried them. Central's answer goes to `onAnswer`. Kiosks always dial out: this is how
 * central's commands reach them.
 */
export type HeartbeatParts = Omit<HeartbeatBody, 'sentAt' | 'intervalSeconds' | 'commandResults' | 'screenshot'>;

export interface HeartbeatOptions {
  client: CentralClient;
  log: Logger;
  /** The heartbeat's current period, ms (remote configuration may change it). */
  intervalMs: () => number;
  build: () => Promise<HeartbeatParts>;
  onAnswer: (answer: HeartbeatAnswer) => Promise<void> | void;
  /** Results not yet reported (kept on disk by the command runner across restarts). */
  unreported: () => CommandResult[];
  onReported: (ids: string[]) => void;
  minGapMs?: number;
  random?: () => number;
  /** Wall clock, ms since the epoch: only for the body's `sentAt`. */
  now?: () => number;
  /** Monotonic clock, ms (default performance.now): for the gap between heartbeats, so a wall clock stepped back does not push the next one weeks away (issue 10, kind 3). */
  monotonicNow?: () => number;
}

export class HeartbeatService {
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private again = false;
  /** Monotonic ms of the last send; -Infinity before the first. */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private screenshot: Screenshot | null = null;
  private stopped = true;
  /** Whether the last heartbeat reached central. */
  online = false;

  constructor(private readonly options: HeartbeatOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(Math.min(2_000, this.options.intervalMs()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sending;
  }

  /** Something changed that central should know: send soon (not before minGapMs after the last). */
  poke(): void {
    if (this.stopped) return;
    const gap = this.options.minGapMs ?? 2_000;
    const wait = Math.max(0, this.lastSentAt + gap - (this.options.monotonicNow ?? monotonicMs)());
    this.schedule(wait);
  }

  /** The idle home screen's picture, sent with the next heartbeat (and then dropped). */
  offerScreenshot(screenshot: Screenshot | null): void {
    this.screenshot = screenshot;
  }

  /** Sends one heartbeat now (or waits for the one being sent and sends another). */
  async sendNow(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return this.sending;
    }
    this.sending = this.send().finally(() => {
      this.sending = null;
    });
    await this.sending;
    if (this.again && !this.stopped) {
      this.again = false;
      await this.sendNow();
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sendNow().finally(() => {
        const interval = this.options.intervalMs();
        const jitter = 0.9 + 0.2 * (this.options.random ?? Math.random)();
        if (!this.timer) this.schedule(Math.round(interval * jitter));
      });
    }, timerDelay(delayMs));
    this.timer.unref();
  }

  private async send(): Promise<void> {
    const now = this.options.now ?? Date.now;
    this.lastSentAt = (this.options.monotonicNow ?? monotonicMs)();
    const commandResults = this.options.unreported().slice(0, 20);
    const screenshot = this.screenshot;
    let body: HeartbeatBody;
    try {
      body = { ...(await this.options.build()), sentAt: new Date(now()).toISOString(), intervalSeconds: Math.max(1, Math.round(this.options.intervalMs() / 1000)), commandResults, screenshot };
    } catch (error) {
      this.options.log.log('error', 'heartbeat.build-failed', { error });
      return;
    }
    const outcome = await this.options.client.call('POST', CENTRAL_PATHS.heartbeat, HeartbeatAnswer, body, { timeoutMs: 15_000 });
    this.online = outcome.kind === 'ok';
    if (outcome.kind !== 'ok') {
      this.options.log.log('warn', 'heartbeat.failed', { outcome: outcome.kind, reason: outcome.reason });
      return;
    }
    if (commandResults.length > 0) this.options.onReported(commandResults.map((result) => result.id));
    if (screenshot && this.screenshot === screenshot) this.screenshot = null;
    try {
      await this.options.onAnswer(outcome.value);
    } catch (error) {
      this.options.log.log('error', 'heartbeat.answer-failed', { error });
    }
  }
}
