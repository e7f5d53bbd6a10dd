/**
 * An in-memory byte link: two transport ends, what one writes the other receives. For unit tests
 * and demo mode (no socat, no serial port). Delivery is asynchronous and in order, like a real port;
 * `unplug()` kills the link the way pulling a cable does.
 */
import { BaseTransport, TransportError } from './transport.js';

export class MemoryTransport extends BaseTransport {
  readonly description: string;
  readonly bitsPerSecond: number | undefined;
  private peer: MemoryTransport | null = null;
  private unplugged = false;

  /** `bitsPerSecond` only advertises a line speed (for the device's timeouts); pacing is the simulator's job. */
  constructor(description: string, bitsPerSecond?: number) {
    super();
    this.description = description;
    this.bitsPerSecond = bitsPerSecond;
  }

  /** @internal wiring by MemoryLink */
  connect(peer: MemoryTransport): void {
    this.peer = peer;
  }

  /** @internal called by MemoryLink */
  pull(): void {
    this.unplugged = true;
    this.lost();
  }

  protected async openPort(): Promise<void> {
    if (this.unplugged) throw new TransportError('not-found', `${this.description} is unplugged`);
  }

  protected async writePort(bytes: Uint8Array): Promise<void> {
    if (this.unplugged) throw new TransportError('disconnected', `${this.description} is unplugged`);
    const peer = this.peer;
    // Copy: the writer may reuse its buffer, a real port would have taken the bytes already.
    const copy = bytes.slice();
    // A peer that is not open hears nothing, like a serial line with nobody listening.
    setImmediate(() => peer?.deliver(copy));
  }

  protected async closePort(): Promise<void> {}

  private deliver(bytes: Uint8Array): void {
    this.received(bytes);
  }
}

export class MemoryLink {
  readonly a: MemoryTransport;
  readonly b: MemoryTransport;

  constructor(name = 'memory', bitsPerSecond?: number) {
    this.a = new MemoryTransport(`memory:${name}:a`, bitsPerSecond);
    this.b = new MemoryTransport(`memory:${name}:b`, bitsPerSecond);
    this.a.connect(this.b);
    this.b.connect(this.a);
  }

  /** Both ends see `close` with `disconnected: true`; writes reject with `disconnected`. */
  unplug(): void {
    this.a.pull();
    this.b.pull();
  }
}
