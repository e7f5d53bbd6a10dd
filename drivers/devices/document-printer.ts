import { spawn } from 'node:child_process';
import type { DeviceStatus } from '../../contract/domain.js';
import { TypedEmitter } from './emitter.js';
import { StatusPoller } from './status-poller.js';
import {
  NOT_READY_MESSAGES,
  type DocumentPrinter,
  type PrinterEvents,
  type Readiness,
  type SpoolResult,
  type SpoolerJobState,
  validCopies,
} from './printer-types.js';
import { readinessOf } from './receipt-printer.js';

export interface CupsDocumentPrinterOptions {
  id: string;
  /** CUPS queue name, e.g. `Hall_A4`. */
  queue: string;
  /** CUPS server (host[:port] or a socket path); sets CUPS_SERVER for lp/lpstat. Default: the system's. */
  cupsServer?: string;
  pollIntervalMs?: number;
  now?: () => Date;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A document printer behind CUPS, driven by `lp` and `lpstat` (spawned without a shell: queue names and
 * titles are arguments, never command text). The PDF goes to `lp` on stdin, so no copy of a citizen's
 * document is left in a temp file; the spooler's own copy is removed by CUPS when the job completes
 * (`PreserveJobFiles No`, the default).
 *
 * The spooler knows its queue (enabled, accepting) but not the paper (DOMAIN.md §3): a queue reported
 * ready can still hold a job for lack of paper, which `jobState` then shows as pending.
 * Windows goes through the print spooler instead: see print-templates/README.md.
 */
export class CupsDocumentPrinter extends TypedEmitter<PrinterEvents> implements DocumentPrinter {
  readonly id: string;
  private current: DeviceStatus;
  private readonly poller: StatusPoller;
  private readonly now: () => Date;

  constructor(private readonly options: CupsDocumentPrinterOptions) {
    super();
    this.id = options.id;
    this.now = options.now ?? (() => new Date());
    this.current = this.makeStatus('noDevice', 'not-started');
    this.poller = new StatusPoller(() => this.refreshStatus(), options.pollIntervalMs ?? 5000);
  }

  status(): DeviceStatus {
    return this.current;
  }

  async start(): Promise<void> {
    await this.poller.start();
  }

  async stop(): Promise<void> {
    this.poller.stop();
    this.removeAllListeners();
  }

  /** Reads the queue's state from `lpstat -p` and `lpstat -a`. */
  async refreshStatus(): Promise<DeviceStatus> {
    const printer = await this.run('lpstat', ['-p', this.options.queue]);
    if (printer.code !== 0) {
      const missing = /invalid destination|unknown destination|no destinations/i.test(printer.stderr + printer.stdout);
      const unreachable = printer.code === -1 || /unable to connect|scheduler is not running|connection refused/i.test(printer.stderr);
      return this.publish(this.makeStatus(missing ? 'noDevice' : 'offline', missing ? 'queue-not-found' : unreachable ? 'spooler-unreachable' : 'lpstat-failed'));
    }
    const accepting = await this.run('lpstat', ['-a', this.options.queue]);
    if (/disabled/.test(printer.stdout)) return this.publish(this.makeStatus('offline', 'queue-disabled'));
    if (accepting.code !== 0 || /not accepting/.test(accepting.stdout)) return this.publish(this.makeStatus('offline', 'queue-not-accepting'));
    return this.publish(this.makeStatus('online', /now printing/.test(printer.stdout) ? 'printing' : undefined));
  }

  async checkReady(): Promise<Readiness> {
    return readinessOf(await this.refreshStatus());
  }

  async print(pdf: Uint8Array, jobId: string, title: string, copies = 1): Promise<SpoolResult> {
    if (!validCopies(copies)) throw new RangeError(`copies out of range: ${copies}`);
    const readiness = await this.checkReady();
    if (!readiness.ready) return { outcome: 'not-ready', jobId, reason: readiness.reason, message: readiness.message };
    // No file argument: lp reads the document from stdin.
    const result = await this.run('lp', ['-d', this.options.queue, '-t', title, '-o', 'media=A4', '-n', String(copies)], pdf);
    const match = /request id is (\S+)/.exec(result.stdout);
    if (result.code !== 0 || !match?.[1]) {
      return { outcome: 'failed', jobId, reason: 'offline', message: NOT_READY_MESSAGES.offline, detail: (result.stderr || result.stdout).trim() };
    }
    return { outcome: 'submitted', jobId, spoolerJobId: match[1] };
  }

  async jobState(spoolerJobId: string): Promise<SpoolerJobState> {
    const jobLine = (lines: string[]): number => lines.findIndex((line) => line.split(/\s+/)[0] === spoolerJobId);
    const open = (await this.run('lpstat', ['-W', 'not-completed', '-l', '-o', this.options.queue])).stdout.split('\n');
    const index = jobLine(open);
    if (index >= 0) {
      const printer = await this.run('lpstat', ['-p', this.options.queue]);
      if (printer.stdout.includes(`now printing ${spoolerJobId}`)) return 'processing';
      // `-l` puts the job's details on the indented lines under it, e.g. "job-hold-until-specified".
      const details: string[] = [];
      for (let next = index + 1; next < open.length && /^\s/.test(open[next] ?? ''); next += 1) details.push(open[next] ?? '');
      return /held|hold-until/i.test(details.join(' ')) ? 'held' : 'pending';
    }
    const done = (await this.run('lpstat', ['-W', 'completed', '-o', this.options.queue])).stdout.split('\n');
    return jobLine(done) >= 0 ? 'completed' : 'unknown';
  }

  /** Polls until the job leaves the queue or `timeoutMs` passes; resolves the last state seen. */
  async waitForJob(spoolerJobId: string, timeoutMs: number): Promise<SpoolerJobState> {
    const deadline = performance.now() + timeoutMs;
    let state = await this.jobState(spoolerJobId);
    while (state !== 'completed' && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = await this.jobState(spoolerJobId);
    }
    return state;
  }

  private async run(command: string, args: string[], stdin?: Uint8Array): Promise<Run> {
    const env = { ...process.env, ...(this.options.cupsServer ? { CUPS_SERVER: this.options.cupsServer } : {}), LANG: 'C', LC_ALL: 'C' };
    return new Promise((resolve) => {
      const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      // Missing binary (no CUPS installed) is an expected outcome: report it as an unreachable spooler.
      child.on('error', (error) => resolve({ code: -1, stdout, stderr: String(error) }));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin ? Buffer.from(stdin) : undefined);
    });
  }

  private makeStatus(state: DeviceStatus['state'], detail?: string): DeviceStatus {
    return {
      id: this.id,
      kind: 'document-printer',
      state,
      paper: 'unknown',
      port: `cups:${this.options.queue}`,
      ...(detail ? { detail } : {}),
      simulated: false,
      updatedAt: this.now().toISOString(),
    };
  }

  private publish(status: DeviceStatus): DeviceStatus {
    const previous = this.current;
    this.current = status;
    if (previous.state !== status.state || previous.detail !== status.detail) this.emit('status', status);
    return status;
  }
}
