import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HELP_CALL_PATHS, HELP_LONG_POLL_SECONDS, HelpCall, HelpCallState, type KioskHelpCall } from '../../contract/help-call.js';
import { nextDelay, type BackoffPolicy } from './backoff.js';
import type { CallOutcome } from './central-client.js';
import type { Logger } from './log.js';
import { readJsonState, setAside, writeFileAtomic } from './state-file.js';

/**
 * 呼叫工作人员 on the kiosk (issue 12). One open help call at a time, kept in a small state file (written
 * atomically, state-file.ts) from the tap until central has it and it has ended, so a host restart or a
 * network outage loses no call: the call is sent when central can be reached again, unless the citizen
 * cancelled it first (then it is dropped, or its cancel is sent if it may already have arrived).
 *
 * Sending: `POST /v1/help-calls` with the call's own id (a resend is the same call at central), retried
 * with capped exponential backoff and full jitter (backoff.ts), woken early when the reachability monitor
 * sees central again. Once delivered the service long-polls the call (`GET …?after=revision`) to learn
 * its place in the queue, acceptance (工作人员马上到) and closing. No personal data is in a call.
 *
 * While a call is open the session's idle timer is held (`onOpen`), and released when it ends (`onEnded`).
 */

/** The part of the central client this service uses (host/services/central-client.ts). */
export interface HelpCentral {
  call<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown, extra?: { timeoutMs?: number }): Promise<CallOutcome<z.output<T>>>;
}

export interface HelpCallOptions {
  /** The state file, e.g. `<dataDir>/help-call.json`. */
  file: string;
  client: HelpCentral;
  log: Logger;
  /** The open call changed (or is gone: null); the UI shows it. */
  onChange: (call: KioskHelpCall | null) => void;
  /** A call opened: hold the session's idle timer. */
  onOpen?: () => void;
  /** The open call ended (closed, cancelled, or dropped): release the idle timer. */
  onEnded?: () => void;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** How long `call()` waits for central's first answer before answering `delivered: false`, ms (default 3 s). */
  firstAnswerMs?: number;
}

/** What the state file holds: the open call, or null. */
const StoredCall = z.object({
  id: z.uuid(),
  screen: z.string(),
  serviceId: z.string().nullable(),
  createdAt: z.string(),
  state: HelpCallState,
  /** Central confirmed it has the call. */
  delivered: z.boolean(),
  /** A send was attempted: central may have it even without an answer (then a cancel must be sent). */
  attempted: z.boolean(),
  /** The citizen cancelled: the cancel is still to be confirmed by central. */
  cancelPending: z.boolean(),
  queuePosition: z.number().int().positive().nullable(),
  acceptedBy: z.string().nullable(),
  revision: z.number().int().nonnegative(),
});
type StoredCall = z.infer<typeof StoredCall>;
const StateFile = z.object({ call: StoredCall.nullable() });

/** A citizen is waiting: resend within half a minute at worst (the outbox's 5-minute cap suits applications, not people). */
export const HELP_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

export class HelpCallService {
  private record: StoredCall | null = null;
  private running = false;
  private stopped = false;
  private attempt = 0;
  private wakeSleep: (() => void) | null = null;
  /** Resolves `call()`'s wait for central's first answer. */
  private firstAnswerWaiter: (() => void) | null = null;
  private readonly random: () => number;

  constructor(private readonly options: HelpCallOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Reads the state file (a damaged one is set aside with a warning) and resumes sending or following its call. */
  start(): void {
    const read = readJsonState(this.options.file, StateFile);
    if (read.problem && read.problem !== 'missing') {
      this.options.log.log('warn', 'help-call.state-ignored', { reason: read.problem });
      setAside(this.options.file);
    }
    this.record = read.value?.call ?? null;
    if (this.record) {
      this.options.log.log('info', 'help-call.resumed', { callId: this.record.id, delivered: this.record.delivered, cancelPending: this.record.cancelPending });
      if (!this.record.cancelPending) this.options.onOpen?.();
      this.pump();
    }
  }

  /** Stops sending and following (the state file keeps the call for the next start). */
  stop(): void {
    this.stopped = true;
    this.wakeSleep?.();
  }

  /** The open call as the UI shows it, or null (none, or cancelled by the citizen). */
  view(): KioskHelpCall | null {
    const record = this.record;
    if (!record || record.cancelPending) return null;
    return { id: record.id, state: record.state, delivered: record.delivered, queuePosition: record.queuePosition, acceptedBy: record.acceptedBy, createdAt: record.createdAt };
  }

  /**
   * Files a call for `screen` (and `serviceId`), or answers the open one (a second tap calls nobody
   * twice). Waits up to `firstAnswerMs` for central, so the answer says whether it arrived.
   */
  async call(screen: string, serviceId: string | null): Promise<KioskHelpCall> {
    const open = this.view();
    if (open) return open;
    this.record = {
      id: randomUUID(),
      screen,
      serviceId,
      createdAt: new Date().toISOString(),
      state: 'new',
      delivered: false,
      attempted: false,
      cancelPending: false,
      queuePosition: null,
      acceptedBy: null,
      revision: 0,
    };
    this.attempt = 0;
    this.save();
    this.options.log.log('info', 'help-call.opened', { callId: this.record.id, screen, serviceId });
    this.options.onOpen?.();
    const id = this.record.id;
    const firstAnswer = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.firstAnswerMs ?? 3_000);
      this.firstAnswerWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.pump();
    await firstAnswer;
    this.firstAnswerWaiter = null;
    const view = this.view();
    // Cancelled while the first send was under way: answer the call as it ended.
    return view && view.id === id ? view : { id, state: 'cancelled', delivered: false, queuePosition: null, acceptedBy: null, createdAt: new Date().toISOString() };
  }

  /**
   * 取消呼叫: the call ends for the citizen at once. A call that never left is dropped; one that may have
   * arrived keeps a pending cancel, sent now and retried until central confirms it.
   */
  cancel(): boolean {
    const record = this.record;
    if (!record || record.cancelPending) return false;
    this.options.log.log('info', 'help-call.cancelled', { callId: record.id, delivered: record.delivered });
    if (!record.attempted) {
      this.finish();
    } else {
      record.cancelPending = true;
      this.save();
      this.options.onChange(null);
      this.options.onEnded?.();
      this.attempt = 0;
      void this.sendCancel(record.id);
    }
    this.wakeSleep?.();
    return true;
  }

  /** The reachability monitor's news: central is back, so send now instead of after the backoff. */
  networkChanged(online: boolean): void {
    if (online) {
      this.attempt = 0;
      this.wakeSleep?.();
    }
  }

  private pump(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    void this.loop()
      .catch((error: unknown) => this.options.log.log('error', 'help-call.loop-failed', { error }))
      .finally(() => {
        this.running = false;
      });
  }

  private async loop(): Promise<void> {
    while (this.record && !this.stopped) {
      const record = this.record;
      if (record.cancelPending) {
        if (!(await this.sendCancel(record.id))) await this.sleepBackoff(null);
        continue;
      }
      if (!record.delivered) {
        if (!record.attempted) {
          record.attempted = true;
          this.save();
        }
        const outcome = await this.options.client.call('POST', HELP_CALL_PATHS.file, HelpCall, {
          id: record.id,
          screen: record.screen,
          serviceId: record.serviceId,
          createdAt: record.createdAt,
        });
        if (this.stopped) return;
        if (this.record !== record) continue;
        if (outcome.kind === 'ok') {
          record.delivered = true;
          this.attempt = 0;
          this.apply(record, outcome.value);
        } else {
          this.options.log.log('warn', 'help-call.not-sent', { callId: record.id, outcome: outcome.kind, reason: outcome.reason });
          this.firstAnswerWaiter?.();
          // Undelivered: the UI says 请到服务窗口找工作人员 meanwhile; every kind of failure is tried again (a
          // refusal may be a central being upgraded), never more often than the backoff allows.
          this.options.onChange(this.view());
          await this.sleepBackoff(outcome.kind === 'retry' ? outcome.retryAfterMs : null);
        }
        continue;
      }
      if (record.state === 'closed' || record.state === 'cancelled') {
        this.finish();
        return;
      }
      const outcome = await this.options.client.call('GET', `${HELP_CALL_PATHS.wait(record.id)}?after=${record.revision}`, HelpCall, undefined, {
        timeoutMs: (HELP_LONG_POLL_SECONDS + 10) * 1000,
      });
      if (this.stopped) return;
      if (this.record !== record || record.cancelPending) continue;
      if (outcome.kind === 'ok') {
        this.attempt = 0;
        this.apply(record, outcome.value);
      } else {
        await this.sleepBackoff(outcome.kind === 'retry' ? outcome.retryAfterMs : null);
      }
    }
  }

  /** Takes central's view of the call into the record, saves it and tells the UI. */
  private apply(record: StoredCall, call: HelpCall): void {
    record.state = call.state;
    record.queuePosition = call.queuePosition;
    record.acceptedBy = call.acceptedBy;
    record.revision = call.revision;
    this.save();
    this.firstAnswerWaiter?.();
    this.options.log.log('info', 'help-call.state', { callId: record.id, state: call.state, queuePosition: call.queuePosition });
    this.options.onChange(this.view());
  }

  /** Sends the cancel of call `id`; true once central confirmed it (or the call is no longer this one). */
  private async sendCancel(id: string): Promise<boolean> {
    const outcome = await this.options.client.call('POST', HELP_CALL_PATHS.cancel(id), HelpCall, {});
    if (this.stopped || this.record?.id !== id) return true;
    // 404: central never received the call (the first send was lost): nothing to cancel there.
    if (outcome.kind === 'ok' || (outcome.kind === 'permanent' && outcome.status === 404)) {
      this.finish();
      return true;
    }
    return false;
  }

  /** The call is over: forget it on disk, tell the UI, release the idle timer (once). */
  private finish(): void {
    const record = this.record;
    if (!record) return;
    this.record = null;
    this.save();
    if (!record.cancelPending) {
      // The UI sees the final state (closed: 工作人员已处理), then nothing.
      this.options.onChange(record.state === 'closed' ? { id: record.id, state: 'closed', delivered: record.delivered, queuePosition: null, acceptedBy: record.acceptedBy, createdAt: record.createdAt } : null);
      this.options.onEnded?.();
    }
    this.options.log.log('info', 'help-call.ended', { callId: record.id, state: record.cancelPending ? 'cancelled' : record.state });
    this.firstAnswerWaiter?.();
  }

  private save(): void {
    try {
      writeFileAtomic(this.options.file, JSON.stringify({ call: this.record }));
    } catch (error) {
      // The call still goes out from memory; only a restart would lose it.
      this.options.log.log('error', 'help-call.save-failed', { error });
    }
  }

  private async sleepBackoff(retryAfterMs: number | null): Promise<void> {
    const delay = nextDelay(this.attempt, retryAfterMs, this.options.backoff ?? HELP_BACKOFF, this.random);
    this.attempt += 1;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
    this.wakeSleep = null;
  }
}
