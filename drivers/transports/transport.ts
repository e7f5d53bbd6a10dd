/**
 * The one contract every transport keeps (serial, HID, in-memory). A transport moves bytes and knows
 * nothing of their meaning; the device on top owns timing, retries and framing.
 *
 * - `open()` resolves once bytes can flow. It rejects with a TransportError: `not-found` when the port
 *   or device does not exist, `open-failed` for anything else (busy, permission), `closed` when this
 *   transport was already closed. A transport is single-use: after `close` it cannot be reopened; a
 *   device asks its factory for a fresh one (that is how re-plugging works).
 * - `write(bytes)` resolves when the bytes have been handed to the operating system (not when they
 *   are on the wire). It rejects with `not-open` before open or after close, `canceled` when close()
 *   is called while the write is pending, `disconnected` when the device vanished (and then `close`
 *   fires with `disconnected: true`).
 * - `data` delivers received bytes in order, split arbitrarily. Nothing is delivered after `close`.
 * - `close` fires exactly once per opened transport: `{ disconnected: false }` after close(),
 *   `{ disconnected: true }` when the device was unplugged or the line died. close() is idempotent
 *   and resolves after the port is released.
 * - No timeouts: a transport never gives up waiting. A silent device is the device layer's problem.
 * - Unplug detection: some links only notice at the next write (a Linux pty, many USB-serial chips
 *   return EIO on write but stay silent on read), so a device that must notice unplugging writes
 *   periodically (the ID-card reader's card poll does).
 */
import { TypedEmitter } from '../devices/emitter.js';

export type TransportErrorCode = 'not-found' | 'open-failed' | 'closed' | 'not-open' | 'canceled' | 'disconnected' | 'write-failed';

export class TransportError extends Error {
  readonly code: TransportErrorCode;
  /** serialport's flags, kept for callers that test them. */
  readonly canceled: boolean;
  readonly disconnected: boolean;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
    this.canceled = code === 'canceled';
    this.disconnected = code === 'disconnected';
  }
}

export interface TransportEvents {
  [event: string]: unknown;
  data: Uint8Array;
  close: { disconnected: boolean };
}

export interface Transport {
  /** Where it goes, for DeviceStatus.port: `/dev/ttyUSB0@115200`, `hid:0400:c35a`, `memory:demo`. */
  readonly description: string;
  /** Line speed when the link has one (serial); devices size their timeouts by it. Undefined for HID and memory. */
  readonly bitsPerSecond?: number;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  on<Name extends keyof TransportEvents>(event: Name, listener: (payload: TransportEvents[Name]) => void): () => void;
}

/** Makes a fresh, unopened transport; devices call it on every (re)connect. */
export type TransportFactory = () => Transport | Promise<Transport>;

/**
 * The bookkeeping every transport shares, so each keeps the contract the same way: state, the
 * once-only `close` event, and no data after close.
 */
export abstract class BaseTransport extends TypedEmitter<TransportEvents> implements Transport {
  abstract readonly description: string;
  private state: 'new' | 'opening' | 'open' | 'closed' = 'new';

  get isOpen(): boolean {
    return this.state === 'open';
  }

  async open(): Promise<void> {
    if (this.state === 'closed') throw new TransportError('closed', `${this.description} was closed; make a new transport`);
    if (this.state !== 'new') throw new TransportError('open-failed', `${this.description} is already ${this.state}`);
    this.state = 'opening';
    try {
      await this.openPort();
    } catch (error) {
      this.state = 'closed';
      throw error instanceof TransportError ? error : new TransportError('open-failed', `cannot open ${this.description}`, { cause: error });
    }
    // The port may have died while opening.
    if ((this.state as string) === 'opening') this.state = 'open';
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.state !== 'open') throw new TransportError('not-open', `${this.description} is not open`);
    return this.writePort(bytes);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open' || this.state === 'opening';
    this.state = 'closed';
    if (wasOpen) {
      await this.closePort();
      this.emit('close', { disconnected: false });
    }
  }

  /** Implementations call this with received bytes. */
  protected received(bytes: Uint8Array): void {
    if (this.state === 'open' && bytes.length > 0) this.emit('data', bytes);
  }

  /** Implementations call this when the device vanished; it releases the port and fires `close` once. */
  protected lost(): void {
    if (this.state === 'closed' || this.state === 'new') return;
    this.state = 'closed';
    void this.closePort().catch(() => undefined);
    this.emit('close', { disconnected: true });
  }

  protected abstract openPort(): Promise<void>;
  protected abstract writePort(bytes: Uint8Array): Promise<void>;
  protected abstract closePort(): Promise<void>;
}
