import { z } from 'zod';
import { CENTRAL_PATHS, SubmitApplicationResponse } from '../../central/api.js';
import { nextDelay, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
import type { CallOutcome, CentralClient } from './central-client.js';
import type { Logger } from './log.js';
import type { Outbox, OutboxItem } from './outbox.js';

const RatingAck = z.object({ accepted: z.boolean(), caseNumber: z.string() });

export interface DrainerOptions {
  outbox: Outbox;
  client: CentralClient;
  log: Logger;
  policy?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  /** Called after every change of queue state (depth badge, staff alert). */
  onChange?: (event: { item: OutboxItem | null; online: boolean }) => void;
  /** Called when an item is moved to the staff list. */
  onNeedsStaff?: (item: OutboxItem, reason: string) => void;
}

/**
 * Sends the outbox to central, one item at a time, in order. An item leaves `pending` only on an
 * acknowledgement (→ delivered) or a failure no retry can fix (→ needs-staff, with an alert). When the
 * network is down the drainer stops the pass at the first network failure and waits a jittered,
 * growing pause before probing again, so a hall full of kiosks neither hammers central while it is
 * down nor returns as one wave when it comes back.
 */
export class Drainer {
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private consecutiveFailures = 0;
  private waiters = new Set<() => void>();
  online = true;

  constructor(private readonly options: DrainerOptions) {
    this.policy = options.policy ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Starts draining after a jittered delay (fleet-friendly when a whole hall boots at once). */
  start(initialJitterMs = 0): void {
    this.stopped = false;
    this.schedule(Math.floor(this.random() * initialJitterMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** A new item was enqueued: try now unless a network pause is in force. */
  kick(): void {
    if (this.stopped) return;
    if (this.consecutiveFailures === 0) this.schedule(0);
  }

  /** Resolves with the item once it is no longer pending, or with its pending state after `timeoutMs`. */
  async waitFor(localNumber: string, timeoutMs: number): Promise<OutboxItem | null> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const item = this.options.outbox.get(localNumber);
      if (!item || item.state !== 'pending' || this.now() >= deadline) return item;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(1, deadline - this.now()));
        this.waiters.add(done);
      });
    }
  }

  private notify(item: OutboxItem | null): void {
    for (const waiter of [...this.waiters]) waiter();
    this.options.onChange?.({ item, online: this.online });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pass();
    }, delayMs);
  }

  /** One pass over the due items; exposed for tests with an injected clock. */
  async pass(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.runPass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runPass(): Promise<void> {
    let networkDown = false;
    for (;;) {
      const batch = this.options.outbox.due(10);
      if (batch.length === 0 || this.stopped) break;
      for (const item of batch) {
        const outcome = await this.send(item);
        if (outcome === 'network-down') {
          networkDown = true;
          break;
        }
      }
      if (networkDown) break;
    }
    if (networkDown) {
      this.consecutiveFailures++;
      this.schedule(nextDelay(this.consecutiveFailures, null, this.policy, this.random));
      return;
    }
    const next = this.options.outbox.msUntilNextDue();
    if (next !== null) this.schedule(next);
  }

  private async send(item: OutboxItem): Promise<'done' | 'network-down'> {
    const { outbox, client, log } = this.options;
    const payload = outbox.payload(item);
    let outcome: CallOutcome<{ caseNumber: string }>;
    if (item.kind === 'application') {
      outcome = await client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, payload, { idempotencyKey: item.idempotencyKey });
    } else {
      outcome = await client.call('POST', CENTRAL_PATHS.ratings, RatingAck, payload, { idempotencyKey: item.idempotencyKey });
    }
    switch (outcome.kind) {
      case 'ok':
        outbox.markDelivered(item, outcome.value.caseNumber, outcome.value);
        this.consecutiveFailures = 0;
        this.online = true;
        log.log('info', 'outbox.delivered', { localNumber: item.localNumber, kind: item.kind, attempts: item.attempts + 1 });
        this.notify(outbox.get(item.localNumber));
        return 'done';
      case 'retry': {
        const network = outcome.reason.startsWith('network');
        const delay = nextDelay(item.attempts + 1, outcome.retryAfterMs, this.policy, this.random);
        outbox.scheduleRetry(item, this.now() + delay, outcome.reason);
        log.log('warn', 'outbox.retry', { localNumber: item.localNumber, reason: outcome.reason, delayMs: delay });
        if (network) this.online = false;
        this.notify(outbox.get(item.localNumber));
        return network ? 'network-down' : 'done';
      }
      case 'needs-staff':
      case 'permanent': {
        outbox.markNeedsStaff(item, `${outcome.kind}: ${outcome.reason}`);
        this.online = true;
        log.log('error', 'outbox.needs-staff', { localNumber: item.localNumber, reason: outcome.reason, class: outcome.kind });
        const updated = outbox.get(item.localNumber);
        if (updated) this.options.onNeedsStaff?.(updated, outcome.reason);
        this.notify(updated);
        return 'done';
      }
    }
  }
}
