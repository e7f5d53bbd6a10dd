import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceStatus } from '../../contract/domain.js';
import { TypedEmitter } from '../../drivers/devices/emitter.js';
import { NOT_READY_MESSAGES, type DocumentPrinter, type PrinterEvents, type Readiness, type SpoolResult, type SpoolerJobState, validCopies } from '../../drivers/devices/printer-types.js';

/**
 * A document printer whose paper is a folder: each job's PDF is written to `<directory>/<jobId>.pdf`.
 * Demo mode and tests use it so a 秒批 certificate really comes out somewhere a person or a test can open;
 * a hall configures `cups` instead. Like paper in an output tray, what it prints is not wiped with the
 * session: keep the folder on the demo machine's disk only, never on a kiosk serving real citizens.
 */
export class FileDocumentPrinter extends TypedEmitter<PrinterEvents> implements DocumentPrinter {
  readonly id: string;
  private current: DeviceStatus;

  constructor(private readonly options: { id: string; directory: string; simulated?: boolean; now?: () => Date }) {
    super();
    this.id = options.id;
    this.current = this.makeStatus('noDevice', 'not-started');
  }

  status(): DeviceStatus {
    return this.current;
  }

  async start(): Promise<void> {
    this.refresh();
  }

  async stop(): Promise<void> {
    this.removeAllListeners();
  }

  async checkReady(): Promise<Readiness> {
    const status = this.refresh();
    return status.state === 'online'
      ? { ready: true, status }
      : { ready: false, reason: 'offline', message: NOT_READY_MESSAGES.offline, status };
  }

  /**
   * The title names the job in a spooler's queue; a folder has no queue, the job id names the file. Copies
   * after the first land beside it as `<jobId>-copy-<n>.pdf`, as sheets would in a tray.
   */
  async print(pdf: Uint8Array, jobId: string, _title: string, copies = 1): Promise<SpoolResult> {
    if (!validCopies(copies)) throw new RangeError(`copies out of range: ${copies}`);
    const readiness = await this.checkReady();
    if (!readiness.ready) return { outcome: 'not-ready', jobId, reason: readiness.reason, message: readiness.message };
    try {
      writeFileSync(this.fileOf(jobId), pdf, { mode: 0o600 });
      for (let copy = 2; copy <= copies; copy += 1) writeFileSync(this.fileOf(`${jobId}-copy-${copy}`), pdf, { mode: 0o600 });
    } catch (error) {
      this.publish(this.makeStatus('hardwareError', 'write-failed'));
      return { outcome: 'failed', jobId, reason: 'hardware-error', message: NOT_READY_MESSAGES['hardware-error'], detail: (error as NodeJS.ErrnoException).code ?? 'write-failed' };
    }
    return { outcome: 'submitted', jobId, spoolerJobId: jobId };
  }

  async jobState(spoolerJobId: string): Promise<SpoolerJobState> {
    return existsSync(this.fileOf(spoolerJobId)) ? 'completed' : 'unknown';
  }

  async waitForJob(spoolerJobId: string): Promise<SpoolerJobState> {
    return this.jobState(spoolerJobId);
  }

  /** Where a job's PDF lands. Job ids are the printing service's UUIDs; anything else is refused. */
  fileOf(jobId: string): string {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(jobId)) throw new Error('invalid job id');
    return join(this.options.directory, `${jobId}.pdf`);
  }

  private refresh(): DeviceStatus {
    try {
      mkdirSync(this.options.directory, { recursive: true, mode: 0o700 });
      accessSync(this.options.directory, constants.W_OK);
      return this.publish(this.makeStatus('online'));
    } catch {
      return this.publish(this.makeStatus('offline', 'folder-not-writable'));
    }
  }

  private makeStatus(state: DeviceStatus['state'], detail?: string): DeviceStatus {
    return {
      id: this.id,
      kind: 'document-printer',
      state,
      paper: 'unknown',
      port: `file:${this.options.directory}`,
      model: '文件打印（PDF）',
      ...(detail ? { detail } : {}),
      simulated: this.options.simulated ?? true,
      updatedAt: (this.options.now?.() ?? new Date()).toISOString(),
    };
  }

  private publish(status: DeviceStatus): DeviceStatus {
    const previous = this.current;
    this.current = status;
    if (previous.state !== status.state || previous.detail !== status.detail) this.emit('status', status);
    return status;
  }
}
