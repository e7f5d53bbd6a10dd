/**
 * Paces outgoing bytes at a serial line's real speed. A pseudo-terminal or an in-memory link moves
 * bytes instantly; a reader at 115200 baud (8N1: 10 bits per byte) does not. Simulators write
 * through a pacer so timing-dependent code (timeouts, latency benchmarks) meets real wire times.
 */
import { performance } from 'node:perf_hooks';

/** 8N1: start bit + 8 data bits + stop bit. */
export const BITS_PER_BYTE = 10;

export function wireTimeMs(bytes: number, baudRate: number): number {
  return (bytes * BITS_PER_BYTE * 1000) / baudRate;
}

export class LinePacer {
  /** When the line becomes idle, in performance.now() milliseconds. */
  private lineFreeAt = 0;
  /** Each message keeps the speed it was queued at: a speed change applies to what is sent after it. */
  private readonly queue: Array<{ bytes: Uint8Array; sent: number; startAt: number; baudRate: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private stopped = false;

  /**
   * `precise`: finish the last millisecond of each message by yielding with setImmediate instead of
   * sleeping on a timer (Node timers fire up to ~1 ms late). A real UART is not late; benchmarks that
   * divide by wire time want the simulator as punctual as the hardware. Costs CPU, so off by default.
   */
  constructor(
    private baudRate: number | null,
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly precise = false,
  ) {}

  /** Queue bytes to go out no earlier than `notBefore` (performance.now() ms). */
  send(bytes: Uint8Array, notBefore = performance.now()): void {
    if (this.stopped || bytes.length === 0) return;
    if (this.baudRate === null) {
      this.sink(bytes);
      return;
    }
    const startAt = Math.max(notBefore, this.lineFreeAt, performance.now());
    this.lineFreeAt = startAt + wireTimeMs(bytes.length, this.baudRate);
    this.queue.push({ bytes, sent: 0, startAt, baudRate: this.baudRate });
    this.pump();
  }

  /** The line now runs at `baudRate` (a device told to change speed); bytes already queued keep theirs. */
  setBaudRate(baudRate: number): void {
    if (this.baudRate !== null) this.baudRate = baudRate;
  }

  /** When the last queued byte will have left. */
  get idleAt(): number {
    return this.lineFreeAt;
  }

  /** Drop everything not yet sent (the device lost power, the card was lifted). */
  clear(): void {
    this.queue.length = 0;
    this.lineFreeAt = performance.now();
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private pump(): void {
    if (this.timer || this.immediate || this.baudRate === null) return;
    const now = performance.now();
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!head) break;
      // Everything whose last bit has been on the wire by now may be delivered.
      const due = Math.min(head.bytes.length, Math.floor(((now - head.startAt) * head.baudRate) / (BITS_PER_BYTE * 1000)));
      if (due > head.sent) {
        this.sink(head.bytes.subarray(head.sent, due));
        head.sent = due;
      }
      if (head.sent < head.bytes.length) break;
      this.queue.shift();
    }
    const head = this.queue[0];
    if (!head) return;
    // Wake when the whole message is due, or in 4 ms chunks for long messages (a UART delivers as it goes).
    const finishAt = head.startAt + wireTimeMs(head.bytes.length, head.baudRate);
    const wait = Math.max(0, Math.min(finishAt - now, 4));
    const wake = (): void => {
      this.timer = null;
      this.immediate = null;
      this.pump();
    };
    if (this.precise && finishAt - now < 1.5) this.immediate = setImmediate(wake);
    else this.timer = setTimeout(wake, this.precise ? Math.max(0, wait - 1) : wait);
  }
}
