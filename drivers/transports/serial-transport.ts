/**
 * Serial transport over the `serialport` package (8N1, no flow control: what SAM readers and
 * serial scanners use). Works on real UARTs, USB-serial adapters and pseudo-terminals alike.
 */
import { realpath } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { BaseTransport, TransportError } from './transport.js';

export interface SerialOptions {
  path: string;
  baudRate: number;
  /**
   * How often to check that the device node still exists and is the same one (ms; 0 = never).
   * A device that only listens (a scanner) would otherwise never notice an unplugged USB-serial
   * adapter or a replaced pty: Linux reports neither on read.
   */
  watchIntervalMs?: number;
}

export class SerialTransport extends BaseTransport {
  readonly description: string;
  readonly bitsPerSecond: number;
  readonly options: SerialOptions;
  private port: SerialPort | null = null;
  private watch: NodeJS.Timeout | null = null;

  constructor(options: SerialOptions) {
    super();
    this.options = options;
    this.bitsPerSecond = options.baudRate;
    this.description = `${options.path}@${options.baudRate}`;
  }

  protected openPort(): Promise<void> {
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false, hupcl: false });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.received(chunk));
    // serialport reports unplugging as a close with `disconnected`; it can fire more than once.
    port.on('close', (error?: { disconnected?: boolean }) => {
      if (error?.disconnected) this.lost();
    });
    // Errors also surface through write callbacks and close; without a listener Node would throw.
    port.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      port.open((error) => {
        if (!error) {
          void this.startWatch();
          return resolve();
        }
        const code = /ENOENT|No such file/i.test(error.message) ? 'not-found' : 'open-failed';
        reject(new TransportError(code, `cannot open ${this.description}: ${error.message}`, { cause: error }));
      });
    });
  }

  protected writePort(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(new TransportError('not-open', `${this.description} is not open`));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => {
        if (!error) return resolve();
        const flags = error as Error & { canceled?: boolean; disconnected?: boolean };
        if (flags.canceled || !this.isOpen) return reject(new TransportError('canceled', `write to ${this.description} canceled`, { cause: error }));
        // EIO on a vanished pty or USB adapter: the port is gone.
        if (flags.disconnected || /EIO|ENXIO|ENODEV/.test(error.message)) {
          this.lost();
          return reject(new TransportError('disconnected', `${this.description} disconnected`, { cause: error }));
        }
        reject(new TransportError('write-failed', `write to ${this.description} failed: ${error.message}`, { cause: error }));
      });
    });
  }

  private async startWatch(): Promise<void> {
    const interval = this.options.watchIntervalMs ?? 1000;
    if (interval <= 0) return;
    const node = await realpath(this.options.path).catch(() => null);
    if (!this.port) return;
    this.watch = setInterval(() => {
      realpath(this.options.path).then(
        (now) => now !== node && this.lost(),
        () => this.lost(),
      );
    }, interval);
    this.watch.unref();
  }

  protected closePort(): Promise<void> {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
    const port = this.port;
    this.port = null;
    if (!port?.isOpen) {
      port?.removeAllListeners('data');
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      port.close(() => {
        port.removeAllListeners('data');
        resolve();
      });
    });
  }
}

export async function listSerialPorts(): Promise<Array<{ path: string; vendorId?: string; productId?: string; manufacturer?: string }>> {
  const ports = await SerialPort.list();
  return ports.map((port) => ({
    path: port.path,
    ...(port.vendorId ? { vendorId: port.vendorId } : {}),
    ...(port.productId ? { productId: port.productId } : {}),
    ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
  }));
}
