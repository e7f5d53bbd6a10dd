import type { DeviceStatus } from '../../contract/domain.js';
import type { Device } from './types.js';

/**
 * A byte link to a device (serial port, USB bulk pipe, pty, in-memory pair). Contract:
 * - `write` resolves once the bytes are handed to the OS (drained), rejects if the link is gone;
 * - `onData` delivers received bytes in order, in chunks of any size; the returned function unsubscribes;
 * - `close` releases the link and is idempotent; after it, no data is delivered and `write` rejects.
 *
 * drivers/transports/ is being written in parallel; this is the minimal shape the printers need, and
 * any transport with write/data/close adapts to it in a few lines.
 */
export interface ByteDuplex {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): () => void;
  close(): Promise<void>;
}

/** Why a printer cannot take a job now. Codes for logs and tests; `message` is for the citizen. */
export type NotReadyReason = 'paper-out' | 'cover-open' | 'offline' | 'no-response' | 'no-device' | 'hardware-error' | 'busy';

export type Readiness =
  | { ready: true; status: DeviceStatus }
  | { ready: false; reason: NotReadyReason; message: string; status: DeviceStatus };

export type PrintResult =
  /** `confirmed`: the printer reported that it processed the whole job (see ReceiptPrinter.print). */
  | { outcome: 'printed'; jobId: string; confirmed: boolean }
  /** Nothing was sent: the job is untouched and can be printed later or elsewhere. */
  | { outcome: 'not-ready'; jobId: string; reason: NotReadyReason; message: string }
  /** Sent, but the printer stopped part-way or the link failed: treat as not printed, reprint whole. */
  | { outcome: 'failed'; jobId: string; reason: NotReadyReason; message: string };

/** Plain Chinese for the citizen: what happened and what to do next (STYLE.md, Errors). */
export const NOT_READY_MESSAGES: Record<NotReadyReason, string> = {
  'paper-out': '打印机缺纸，暂时无法打印回执。请用手机扫描屏幕上的二维码保存回执，工作人员补纸后可为您补打。',
  'cover-open': '打印机纸仓盖未关好，暂时无法打印回执。请扫描屏幕上的二维码保存回执，或联系工作人员。',
  offline: '打印机暂时无法使用。请扫描屏幕上的二维码保存回执，工作人员可为您补打。',
  'no-response': '打印机没有响应。请扫描屏幕上的二维码保存回执，工作人员可为您补打。',
  'no-device': '没有找到打印机。请扫描屏幕上的二维码保存回执，工作人员可为您补打。',
  'hardware-error': '打印机出现故障。请扫描屏幕上的二维码保存回执，工作人员会尽快处理并为您补打。',
  busy: '打印机正忙，请稍候再试。',
};

// A type alias, not an interface: TypedEmitter needs an index-signature-compatible events map.
export type PrinterEvents = { status: DeviceStatus };

/**
 * An 80 mm ESC/POS receipt printer on a direct link, where real-time status is readable (DOMAIN.md §3).
 * - `checkReady()` asks the printer now (DLE EOT 1–4); it never answers from a cached status.
 * - `print()` checks readiness first and sends nothing when the printer is not ready: it never queues a
 *   job for later, so a receipt can never come out after the citizen has left. Jobs are sent one at a
 *   time; a second call waits for the first to finish.
 * - Expected failures (paper out, cover open, no answer) resolve as values.
 */
export interface ReceiptPrinter extends Device<PrinterEvents> {
  checkReady(): Promise<Readiness>;
  print(bytes: Uint8Array, jobId: string): Promise<PrintResult>;
}

/** A document (A4) printer behind the OS spooler, where only the queue's state is visible. */
export type SpoolerJobState = 'pending' | 'held' | 'processing' | 'completed' | 'unknown';

export type SpoolResult =
  | { outcome: 'submitted'; jobId: string; spoolerJobId: string }
  | { outcome: 'not-ready'; jobId: string; reason: NotReadyReason; message: string }
  | { outcome: 'failed'; jobId: string; reason: NotReadyReason; message: string; detail: string };

/** Most copies of one document in one job: a kiosk is not a copy shop, and a stuck loop must not empty the tray. */
export const DOCUMENT_COPIES_MAX = 5;

/** Is `copies` a whole number from 1 to DOCUMENT_COPIES_MAX? Printers refuse anything else before spooling. */
export function validCopies(copies: number): boolean {
  return Number.isInteger(copies) && copies >= 1 && copies <= DOCUMENT_COPIES_MAX;
}

/**
 * - `print()` hands a PDF to the spooler and resolves with the spooler's job id; it does not wait for
 *   paper to come out (the spooler cannot tell paper state: DOMAIN.md §3).
 * - `jobState()` and `waitForJob()` follow a job through the spooler.
 */
export interface DocumentPrinter extends Device<PrinterEvents> {
  checkReady(): Promise<Readiness>;
  /**
   * `copies` (default 1) asks the spooler for that many copies of the whole document in one job (`lp -n`),
   * so they print together and the journal records one job; callers bound it (1–DOCUMENT_COPIES_MAX).
   */
  print(pdf: Uint8Array, jobId: string, title: string, copies?: number): Promise<SpoolResult>;
  jobState(spoolerJobId: string): Promise<SpoolerJobState>;
  waitForJob(spoolerJobId: string, timeoutMs: number): Promise<SpoolerJobState>;
}
