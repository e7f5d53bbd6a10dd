import type { DeviceStatus } from '../../contract/domain.js';
import {
  STATUS_KINDS,
  clearBuffersRequest,
  decodeStatus,
  isStatusByte,
  paperSensorRequest,
  statusRequest,
  type PrinterStatusBits,
} from '../protocols/escpos.js';
import { TypedEmitter } from './emitter.js';
import { StatusPoller } from './status-poller.js';
import {
  NOT_READY_MESSAGES,
  type ByteDuplex,
  type NotReadyReason,
  type PrintResult,
  type PrinterEvents,
  type Readiness,
  type ReceiptPrinter,
} from './printer-types.js';

export interface EscPosReceiptPrinterOptions {
  id: string;
  /** Opens the link; called again after a failure, so a replugged printer comes back by itself. */
  open: () => Promise<ByteDuplex>;
  /** Shown to technicians, e.g. `/dev/ttyUSB0@9600`. */
  port?: string;
  simulated?: boolean;
  /** How often `start()` polls status. */
  pollIntervalMs?: number;
  /** How long to wait for each one-byte answer to DLE EOT. */
  answerTimeoutMs?: number;
  /** How long to wait for a job to be processed (the answer to GS r 1 sent after it). */
  jobTimeoutMs?: number;
  now?: () => Date;
}

/**
 * An ESC/POS receipt printer over any byte link, with real-time status (DLE EOT 1–4) and recovery.
 *
 * Every exchange (a status poll, a job) holds one lock, because answers are single unlabelled bytes:
 * two exchanges in flight could not tell whose byte arrived.
 */
export class EscPosReceiptPrinter extends TypedEmitter<PrinterEvents> implements ReceiptPrinter {
  readonly id: string;
  private readonly options: Required<Omit<EscPosReceiptPrinterOptions, 'port'>> & { port?: string };
  private link: ByteDuplex | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly received: number[] = [];
  private waiter: (() => void) | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private current: DeviceStatus;
  private readonly poller: StatusPoller;

  constructor(options: EscPosReceiptPrinterOptions) {
    super();
    this.id = options.id;
    this.options = {
      simulated: false,
      pollIntervalMs: 3000,
      answerTimeoutMs: 500,
      jobTimeoutMs: 15_000,
      now: () => new Date(),
      ...options,
    };
    this.current = this.makeStatus({ state: 'noDevice', paper: 'unknown', detail: 'not-started' });
    this.poller = new StatusPoller(() => this.refreshStatus(), this.options.pollIntervalMs);
  }

  status(): DeviceStatus {
    return this.current;
  }

  async start(): Promise<void> {
    await this.poller.start();
  }

  async stop(): Promise<void> {
    this.poller.stop();
    await this.exclusive(async () => this.closeLink());
    this.removeAllListeners();
  }

  /** Asks the printer now and publishes the answer. */
  async refreshStatus(): Promise<DeviceStatus> {
    return this.exclusive(async () => this.queryStatus());
  }

  async checkReady(): Promise<Readiness> {
    return readinessOf(await this.refreshStatus());
  }

  async print(bytes: Uint8Array, jobId: string): Promise<PrintResult> {
    return this.exclusive(async (): Promise<PrintResult> => {
      const readiness = readinessOf(await this.queryStatus());
      if (!readiness.ready) return { outcome: 'not-ready', jobId, reason: readiness.reason, message: readiness.message };
      const link = this.link;
      if (!link) return { outcome: 'not-ready', jobId, reason: 'no-device', message: NOT_READY_MESSAGES['no-device'] };
      this.received.length = 0;
      try {
        await link.write(bytes);
        await link.write(paperSensorRequest());
      } catch {
        await this.closeLink();
        this.publish(this.makeStatus({ state: 'noDevice', paper: 'unknown', detail: 'link-lost' }));
        return { outcome: 'failed', jobId, reason: 'no-device', message: NOT_READY_MESSAGES['no-device'] };
      }
      // The answer to GS r 1 comes only after the printer has processed the whole job.
      const processed = await this.readByte(this.options.jobTimeoutMs);
      const after = readinessOf(await this.queryStatus());
      if (!after.ready) {
        // Stopped part-way: drop the rest of the job so it does not print when the paper is reloaded.
        await link.write(clearBuffersRequest()).catch(() => undefined);
        return { outcome: 'failed', jobId, reason: after.reason, message: after.message };
      }
      return { outcome: 'printed', jobId, confirmed: processed !== null };
    });
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async ensureLink(): Promise<ByteDuplex | null> {
    if (this.link) return this.link;
    try {
      const link = await this.options.open();
      this.link = link;
      this.unsubscribe = link.onData((chunk) => {
        for (const byte of chunk) this.received.push(byte);
        this.waiter?.();
      });
      return link;
    } catch {
      return null;
    }
  }

  private async closeLink(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const link = this.link;
    this.link = null;
    await link?.close().catch(() => undefined);
  }

  /** Next received byte, or null after `timeoutMs`. */
  private async readByte(timeoutMs: number): Promise<number | null> {
    if (this.received.length > 0) return this.received.shift() ?? null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = () => {
        if (this.received.length === 0) return;
        clearTimeout(timer);
        this.waiter = null;
        resolve(this.received.shift() ?? null);
      };
    });
  }

  /** DLE EOT 1–4, one answer byte each; call only inside `exclusive`. */
  private async queryStatus(): Promise<DeviceStatus> {
    const link = await this.ensureLink();
    if (!link) return this.publish(this.makeStatus({ state: 'noDevice', paper: 'unknown', detail: 'port-unavailable' }));
    // Stale bytes (a late answer from a timed-out exchange) would shift every answer by one.
    this.received.length = 0;
    const answers: number[] = [];
    for (const kind of STATUS_KINDS) {
      try {
        await link.write(statusRequest(kind));
      } catch {
        await this.closeLink();
        return this.publish(this.makeStatus({ state: 'noDevice', paper: 'unknown', detail: 'link-lost' }));
      }
      // A late answer to GS r 1 (bit 4 clear) or line noise can precede the answer: skip what cannot be one.
      let answer = await this.readByte(this.options.answerTimeoutMs);
      let skipped: number | null = null;
      while (answer !== null && !isStatusByte(answer)) {
        skipped = answer;
        answer = await this.readByte(this.options.answerTimeoutMs);
      }
      if (answer === null) {
        const detail = skipped === null ? 'no-response' : `bad-status-byte-${hex(skipped)}`;
        return this.publish(this.makeStatus({ state: 'offline', paper: 'unknown', detail }));
      }
      answers.push(answer);
    }
    const bits = decodeStatus(answers as [number, number, number, number]);
    return this.publish(this.makeStatus(statusFromBits(bits)));
  }

  private makeStatus(parts: Pick<DeviceStatus, 'state' | 'paper'> & { detail?: string }): DeviceStatus {
    return {
      id: this.id,
      kind: 'receipt-printer',
      ...parts,
      ...(this.options.port ? { port: this.options.port } : {}),
      simulated: this.options.simulated,
      updatedAt: this.options.now().toISOString(),
    };
  }

  private publish(status: DeviceStatus): DeviceStatus {
    const previous = this.current;
    this.current = status;
    if (previous.state !== status.state || previous.paper !== status.paper || previous.detail !== status.detail) this.emit('status', status);
    return status;
  }
}

const hex = (byte: number): string => byte.toString(16).padStart(2, '0');

/** Status bits to the common vocabulary, most severe cause first. */
export function statusFromBits(bits: PrinterStatusBits): Pick<DeviceStatus, 'state' | 'paper'> & { detail?: string } {
  const paper = bits.paperEnd || bits.stoppedByPaperEnd ? 'out' : bits.paperNearEnd ? 'low' : 'full';
  if (bits.unrecoverableError) return { state: 'hardwareError', paper, detail: 'unrecoverable-error' };
  if (bits.cutterError) return { state: 'hardwareError', paper, detail: 'cutter-error' };
  if (bits.autoRecoverableError) return { state: 'hardwareError', paper, detail: 'head-temperature-or-voltage' };
  if (bits.coverOpen) return { state: 'userError', paper, detail: 'cover-open' };
  if (paper === 'out') return { state: 'userError', paper, detail: 'paper-out' };
  if (bits.feedingByButton) return { state: 'deviceBusy', paper, detail: 'feeding-by-button' };
  if (bits.offline || bits.errorOccurred) return { state: 'offline', paper, detail: 'printer-offline' };
  if (paper === 'low') return { state: 'online', paper, detail: 'paper-near-end' };
  return { state: 'online', paper };
}

/** Whether a status allows printing; near-end paper still prints (staff are alerted through the status). */
export function readinessOf(status: DeviceStatus): Readiness {
  if (status.state === 'online') return { ready: true, status };
  const reason = reasonOf(status);
  return { ready: false, reason, message: NOT_READY_MESSAGES[reason], status };
}

function reasonOf(status: DeviceStatus): NotReadyReason {
  if (status.detail === 'cover-open') return 'cover-open';
  if (status.paper === 'out') return 'paper-out';
  if (status.detail === 'no-response' || status.detail?.startsWith('bad-status-byte')) return 'no-response';
  switch (status.state) {
    case 'noDevice':
    case 'powerOff':
      return 'no-device';
    case 'hardwareError':
      return 'hardware-error';
    case 'deviceBusy':
      return 'busy';
    case 'offline':
    case 'userError':
    case 'online':
      return 'offline';
    default:
      throw new Error(`unhandled state: ${JSON.stringify(status.state satisfies never)}`);
  }
}
