/**
 * QR/barcode scanner over any transport: serial line protocol, or HID keyboard-wedge reports
 * (a HidTransport with KeyboardReportUnpacker turns key presses into the same line bytes).
 *
 * - Reconnect: when the transport closes or cannot open, retry with capped backoff (a serial
 *   transport notices unplugging through its path watch, since a scanner is never written to).
 * - Debounce: a phone screen held in front of the scanner is read again and again; the same text
 *   within `repeatWindowMs` is one scan.
 * - Status: `online` while the port is open, `noDevice` otherwise. Scanners report no health, so
 *   `online` means "the port is there", not "the scanner works"; a test scan proves the rest.
 */
import type { DeviceStatus } from '../../contract/domain.js';
import { ScannerLineDecoder } from '../protocols/scanner-lines.js';
import type { LineDecoderOptions } from '../protocols/scanner-lines.js';
import type { Transport, TransportFactory } from '../transports/transport.js';
import { TransportError } from '../transports/transport.js';
import { TypedEmitter } from './emitter.js';
import type { DriverLog } from './log.js';
import { silentLog } from './log.js';
import type { Scanner, ScannerEvents } from './types.js';

export interface ScannerOptions extends LineDecoderOptions {
  id?: string;
  transport: TransportFactory;
  repeatWindowMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  model?: string;
  simulated?: boolean;
  clock?: () => Date;
  log?: DriverLog;
}

export class LineScanner extends TypedEmitter<ScannerEvents & Record<string, unknown>> implements Scanner {
  readonly id: string;
  private readonly options: ScannerOptions;
  private readonly clock: () => Date;
  private readonly log: DriverLog;
  private current: DeviceStatus;
  private running = false;
  private link: Transport | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoff: number;
  private lastScan: { text: string; at: number } | null = null;

  constructor(options: ScannerOptions) {
    super();
    this.options = options;
    this.id = options.id ?? 'qr-scanner';
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? silentLog;
    this.backoff = options.reconnectInitialMs ?? 200;
    this.current = {
      id: this.id, kind: 'qr-scanner', state: 'offline', model: options.model ?? 'QR/barcode scanner', detail: 'not-started',
      simulated: options.simulated ?? false, updatedAt: this.clock().toISOString(),
    };
  }

  status(): DeviceStatus {
    return { ...this.current };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const link = this.link;
    this.link = null;
    await link?.close().catch(() => undefined);
    this.setStatus('offline', 'stopped', true);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    let link: Transport;
    try {
      link = await this.options.transport();
      await link.open();
    } catch (error) {
      const code = error instanceof TransportError ? error.code : 'open-failed';
      this.setStatus('noDevice', code);
      this.scheduleReconnect();
      return;
    }
    if (!this.running) {
      await link.close();
      return;
    }
    this.link = link;
    this.backoff = this.options.reconnectInitialMs ?? 200;
    const decoder = new ScannerLineDecoder(this.options);
    link.on('data', (bytes) => {
      for (const text of decoder.push(bytes)) this.scanned(text);
    });
    link.on('close', ({ disconnected }) => {
      if (this.link !== link) return;
      this.link = null;
      if (!this.running) return;
      this.log({ level: 'warn', device: this.id, code: disconnected ? 'disconnected' : 'closed' });
      this.setStatus('noDevice', 'disconnected');
      this.scheduleReconnect();
    });
    this.current = { ...this.current, port: link.description };
    this.setStatus('online');
  }

  private scheduleReconnect(): void {
    if (!this.running || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.backoff);
    this.backoff = Math.min(this.backoff * 2, this.options.reconnectMaxMs ?? 5000);
  }

  private scanned(text: string): void {
    const now = performance.now();
    const window = this.options.repeatWindowMs ?? 1500;
    if (this.lastScan && this.lastScan.text === text && now - this.lastScan.at < window) {
      this.lastScan.at = now;
      return;
    }
    this.lastScan = { text, at: now };
    // The text may be a personal code: log its length only.
    this.log({ level: 'info', device: this.id, code: 'scan', detail: `${text.length} characters` });
    this.emit('scan', { text });
  }

  private setStatus(state: DeviceStatus['state'], detail?: string, force = false): void {
    if (!this.running && !force) return;
    if (this.current.state === state && this.current.detail === detail) return;
    const { detail: _previous, ...rest } = this.current;
    this.current = { ...rest, state, ...(detail ? { detail } : {}), updatedAt: this.clock().toISOString() };
    this.emit('status', this.status());
  }
}

export function createScanner(options: ScannerOptions): LineScanner {
  return new LineScanner(options);
}
