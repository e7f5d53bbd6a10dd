/**
 * A serial QR/barcode scanner: `scan(text)` sends the text and a CR at the configured baud rate
 * (9600 is the common factory setting), as a scanner does when a code is held in front of it.
 */
import type { Transport } from '../transports/transport.js';
import { LinePacer } from './line-pacer.js';

export interface ScannerSimulatorOptions {
  baudRate?: number | null;
  /** Line terminator the scanner is configured to send. */
  terminator?: '\r' | '\n' | '\r\n';
}

export class ScannerSimulator {
  private pacer: LinePacer | null = null;
  private undo: Array<() => void> = [];
  private readonly baudRate: number | null;
  private readonly terminator: string;
  private readonly encoder = new TextEncoder();

  constructor(options: ScannerSimulatorOptions = {}) {
    this.baudRate = options.baudRate === undefined ? 9600 : options.baudRate;
    this.terminator = options.terminator ?? '\r';
  }

  attach(transport: Transport): void {
    this.release();
    this.pacer = new LinePacer(this.baudRate, (bytes) => void transport.write(bytes).catch(() => undefined));
    this.undo.push(transport.on('close', () => this.release()));
  }

  release(): void {
    for (const undo of this.undo) undo();
    this.undo = [];
    this.pacer?.stop();
    this.pacer = null;
  }

  /** False when no line is attached (the scan goes nowhere, as with an unplugged scanner). */
  scan(text: string): boolean {
    if (!this.pacer) return false;
    this.pacer.send(this.encoder.encode(text + this.terminator));
    return true;
  }

  /** Bytes that are not a code: a scanner emitting noise on power-up, for robustness tests. */
  sendRaw(bytes: Uint8Array): boolean {
    if (!this.pacer) return false;
    this.pacer.send(bytes);
    return true;
  }
}
