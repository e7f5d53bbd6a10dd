import { CENTRAL_PATHS, CaseRecord, RatingAck, SubmitApplicationResponse } from '../../contract/central/api.js';
import { maxPlannedDelay, nextDelay, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
import type { CallOutcome, CentralClient } from './central-client.js';
import { monotonicMs, timerDelay } from './clock.js';
import type { Logger } from './log.js';
import { isStorageFailure, type Outbox, type OutboxItem } from './outbox.js';

/** Timer functions, injectable so a virtual clock can drive the drainer (tests, the offline-probe bench). */
export interface DrainerTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: DrainerTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DrainerOptions {
  outbox: Outbox;
  client: Pick<CentralClient, 'call'>;
  log: Logger;
  policy?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  timers?: DrainerTimers;
  /** Called after every change of queue state (depth badge, staff alert). */
  onChange?: (event: { item: OutboxItem | null; online: boolean }) => void;
  /** Called when an item is moved to the staff list. */
  onNeedsStaff?: (item: OutboxItem, reason: string) => void;
  /** Called when the outbox cannot be written (disk full, I/O error): the kiosk goes out of service. */
  onStorageFailure?: (error: unknown) => void;
}

/**
 * Retry reasons that concern every item alike, so the whole queue pauses instead of each item taking its
 * turn: central busy, a clock central refuses (corrected by the client, then probed again), or a central
 * URL that redirects (a configuration fault the technician is alerted to; nothing is re-sent elsewhere).
 */
const PAUSING_REASONS = new Set(['unavailable', 'http-503', 'http-429', 'too-many-requests', 'signature-stale-timestamp', 'central-redirect']);

/** A record lost to storage damage, not yet asked of central; and one central does not have either. */
export const LOST_UNCHECKED = 'lost: record-damaged';
export const LOST_NOT_ON_CENTRAL = 'lost: not-on-central';

/** What one send tells the pass: carry on, or stop and pause the whole queue (central or network unwell). */
type SendResult = { kind: 'continue' } | { kind: 'pause'; retryAfterMs: number | null; network: boolean };

/**
 * Sends the outbox to central, one item at a time, in order. An item leaves `pending` only on an
 * acknowledgement (→ delivered, written after the answer arrives) or a failure no retry can fix
 * (→ needs-staff, with an audit entry and an alert). When the network is down, or central answers
 * 503/429, the drainer stops the pass at once and pauses the whole queue for a jittered, growing time
 * before probing again with one request. So a hall full of kiosks neither hammers central while it is
 * down (at the 5-minute cap: one probe per 2.5 minutes on average per kiosk) nor returns as one wave.
 */
export class Drainer {
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timers: DrainerTimers;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private consecutiveFailures = 0;
  private waiters = new Set<() => void>();
  online = true;

  constructor(private readonly options: DrainerOptions) {
    this.policy = options.policy ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** Starts draining after a jittered delay (fleet-friendly when a whole hall boots at once). */
  start(initialJitterMs = 0): void {
    this.stopped = false;
    this.schedule(Math.floor(this.random() * initialJitterMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    for (const waiter of [...this.waiters]) waiter();
    await this.running;
  }

  /** A new item was enqueued: try now unless a pause is in force (then it waits for the next probe). */
  kick(): void {
    if (this.stopped) return;
    if (this.consecutiveFailures === 0) this.schedule(0);
  }

  /**
   * The wall clock stepped (host/services/clock.ts): plans stored as wall-clock instants are redone and a
   * pass runs now, so a clock stepped back 30 days does not hold the queue for 30 days.
   */
  replan(): void {
    if (this.stopped) return;
    this.options.outbox.replan(maxPlannedDelay(this.policy));
    this.schedule(0);
  }

  /**
   * Resolves with the item once it is no longer pending, or with its pending state after `timeoutMs`.
   * The deadline is on the monotonic clock: a wall-clock step while a citizen waits neither ends the
   * wait at once nor stretches it by the size of the step.
   */
  async waitFor(localNumber: string, timeoutMs: number): Promise<OutboxItem | null> {
    const deadline = monotonicMs() + timeoutMs;
    for (;;) {
      const item = this.options.outbox.get(localNumber);
      if (!item || item.state !== 'pending' || monotonicMs() >= deadline || this.stopped) return item;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timerDelay(Math.max(1, deadline - monotonicMs())));
        this.waiters.add(done);
      });
    }
  }

  private notify(item: OutboxItem | null): void {
    for (const waiter of [...this.waiters]) waiter();
    this.options.onChange?.({ item, online: this.online });
  }

  /** Never further ahead than any plan the policy makes, and never beyond what a timer can hold. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.pass();
    }, timerDelay(Math.min(delayMs, maxPlannedDelay(this.policy))));
  }

  /** One pass over the due items; exposed for tests with an injected clock. Never rejects. */
  async pass(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.runPass()
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** The outbox itself failed (disk full, I/O): nothing was lost, but the queue pauses and the kiosk stops. */
  private failed(error: unknown): void {
    this.options.log.log('error', 'outbox.drain-failed', { error, storage: isStorageFailure(error) });
    if (isStorageFailure(error)) this.options.onStorageFailure?.(error);
    this.consecutiveFailures++;
    this.schedule(nextDelay(this.consecutiveFailures, null, this.policy, this.random));
  }

  private async runPass(): Promise<void> {
    // A plan further ahead than any the policy makes was stored under a wall clock that has since
    // stepped back: it is due now (cheap: a range of the (state, next_attempt_at) index, usually empty).
    this.options.outbox.replan(maxPlannedDelay(this.policy));
    let pause: Extract<SendResult, { kind: 'pause' }> | null = null;
    while (!pause && !this.stopped) {
      const batch = this.options.outbox.due(10);
      if (batch.length === 0) break;
      for (const item of batch) {
        const result = await this.send(item);
        if (result.kind === 'pause') {
          pause = result;
          break;
        }
        if (this.stopped) break;
      }
    }
    if (!pause && !this.stopped) pause = await this.askAboutLost();
    if (pause) {
      this.consecutiveFailures++;
      this.schedule(nextDelay(this.consecutiveFailures, pause.retryAfterMs, this.policy, this.random));
      return;
    }
    const next = this.options.outbox.msUntilNextDue();
    if (next !== null) this.schedule(next);
  }

  /**
   * Records lost to storage damage (outbox-integrity.ts) are asked of central by local number: one it has
   * was delivered before the damage, to its own case (local numbers never repeat, local-numbers.ts); one it
   * does not have stays on the staff list, marked so. Central unreachable: asked again after a pause.
   */
  private async askAboutLost(): Promise<Extract<SendResult, { kind: 'pause' }> | null> {
    const { outbox, client, log } = this.options;
    for (const item of outbox.withLastError(LOST_UNCHECKED, 10)) {
      if (this.stopped) return null;
      const outcome = await client.call('GET', CENTRAL_PATHS.caseByRef(item.localNumber), CaseRecord);
      if (outcome.kind === 'ok' && outcome.value.localNumber === item.localNumber) {
        outbox.markFoundOnCentral(item.localNumber, outcome.value.caseNumber, outcome.value);
        log.log('info', 'outbox.lost-found-on-central', { localNumber: item.localNumber });
      } else if (outcome.kind === 'permanent' && outcome.status === 404) {
        outbox.setStaffReason(item.localNumber, LOST_NOT_ON_CENTRAL);
        log.log('error', 'outbox.lost-not-on-central', { localNumber: item.localNumber });
      } else if (outcome.kind === 'retry') {
        return { kind: 'pause', retryAfterMs: outcome.retryAfterMs, network: outcome.reason.startsWith('network') };
      }
      this.notify(outbox.get(item.localNumber));
    }
    return null;
  }

  private async send(item: OutboxItem): Promise<SendResult> {
    const { outbox, client, log } = this.options;
    let payload: unknown;
    try {
      payload = outbox.payload(item);
    } catch (error) {
      if (isStorageFailure(error)) throw error;
      // The sealed payload does not open (wrong key after a reinstall, damaged row): a person must decide.
      this.toStaff(item, 'needs-staff', 'payload-unreadable');
      return { kind: 'continue' };
    }
    if (payload === null) {
      // Nothing to send (a record whose payload was lost): never a request with an empty body.
      this.toStaff(item, 'needs-staff', 'payload-missing');
      return { kind: 'continue' };
    }
    let outcome: CallOutcome<{ caseNumber: string }>;
    if (item.kind === 'application') {
      outcome = await client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, payload, { idempotencyKey: item.idempotencyKey });
    } else {
      outcome = await client.call('POST', CENTRAL_PATHS.ratings, RatingAck, payload, { idempotencyKey: item.idempotencyKey });
    }
    switch (outcome.kind) {
      case 'ok':
        // Only now, with central's answer in hand, is the item delivered; a crash before this line means
        // a redelivery with the same Idempotency-Key, which central answers from its stored result.
        outbox.markDelivered(item, outcome.value.caseNumber, outcome.value);
        this.consecutiveFailures = 0;
        this.online = true;
        log.log('info', 'outbox.delivered', { localNumber: item.localNumber, kind: item.kind, attempts: item.attempts + 1 });
        this.notify(outbox.get(item.localNumber));
        return { kind: 'continue' };
      case 'retry': {
        const network = outcome.reason.startsWith('network') || outcome.reason === 'unparseable-response';
        const unwell = network || PAUSING_REASONS.has(outcome.reason);
        const delay = nextDelay(item.attempts + 1, outcome.retryAfterMs, this.policy, this.random);
        outbox.scheduleRetry(item, this.now() + delay, outcome.reason);
        log.log('warn', 'outbox.retry', { localNumber: item.localNumber, reason: outcome.reason, delayMs: delay });
        if (network) this.online = false;
        this.notify(outbox.get(item.localNumber));
        return unwell ? { kind: 'pause', retryAfterMs: outcome.retryAfterMs, network } : { kind: 'continue' };
      }
      case 'needs-staff':
      case 'permanent':
        this.online = true;
        this.toStaff(item, outcome.kind, outcome.reason);
        return { kind: 'continue' };
    }
  }

  private toStaff(item: OutboxItem, kind: 'needs-staff' | 'permanent', reason: string): void {
    const { outbox, log } = this.options;
    outbox.markNeedsStaff(item, `${kind}: ${reason}`);
    log.log('error', 'outbox.needs-staff', { localNumber: item.localNumber, reason, class: kind });
    const updated = outbox.get(item.localNumber);
    if (updated) this.options.onNeedsStaff?.(updated, reason);
    this.notify(updated);
  }
}
