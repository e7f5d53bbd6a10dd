import iconv from 'iconv-lite';
import { EscPosReceiptPrinter } from '../devices/receipt-printer.js';
import type { ByteDuplex } from '../devices/printer-types.js';
import { EscPosDecoder, type EscPosCommand, encodePaperSensor, encodeStatus, isRealTime } from '../protocols/escpos.js';
import { createMemoryLinkPair } from './escpos-memory-link.js';

export type SimulatedPaper = 'ok' | 'near-end' | 'out';

/**
 * An 80 mm ESC/POS printer on the far end of a byte link. It decodes what it receives into a transcript
 * a person can read, answers DLE EOT and GS r as a real printer does, and has switches for the faults a
 * hall sees: paper near end, paper out (now, or after n more lines), cover open, cutter jam, silence.
 *
 * Transcript lines: `> command`, `| printed text`, `? status exchange`, `! something a real printer
 * would print wrongly or not at all`.
 *
 * Like a real printer, it keeps ordinary data it cannot print (paper out, cover open) and prints it once
 * the fault clears, unless told to clear its buffers (DLE ENQ 2); real-time commands run on arrival.
 */
/**
 * What the simulator keeps of what it printed: the latest receipts and transcript lines only. Demo mode runs
 * all day in halls (training), and each receipt holds a (masked) name: an unbounded record grew without end
 * and kept every citizen's receipt in memory (issue 10, kind 11).
 */
export const KEPT_RECEIPTS = 50;
export const KEPT_TRANSCRIPT_LINES = 2_000;

export class EscPosPrinterSimulator {
  /** The latest lines printed and commands seen (at least KEPT_TRANSCRIPT_LINES, trimmed in batches). */
  readonly transcript: string[] = [];
  /** Printed text of each job, split at each cut; the latest KEPT_RECEIPTS. */
  readonly receipts: string[][] = [];

  /** One transcript line; the oldest go in batches once twice the kept number is reached. */
  private record(line: string): void {
    this.transcript.push(line);
    if (this.transcript.length >= KEPT_TRANSCRIPT_LINES * 2) this.transcript.splice(0, this.transcript.length - KEPT_TRANSCRIPT_LINES);
  }
  private readonly decoder = new EscPosDecoder();
  private readonly held: EscPosCommand[] = [];
  private readonly unsubscribe: () => void;
  private paper: SimulatedPaper = 'ok';
  private coverOpen = false;
  private cutterError = false;
  private silent = false;
  private stoppedByPaperEnd = false;
  private linesUntilPaperOut: number | null = null;
  private chineseMode = false;
  private line: number[] = [];
  private page: string[] = [];
  private qrData: Uint8Array = new Uint8Array(0);

  constructor(private readonly link: ByteDuplex) {
    this.unsubscribe = link.onData((chunk) => this.receive(chunk));
  }

  setPaper(paper: SimulatedPaper): void {
    this.paper = paper;
    if (paper !== 'out') this.stoppedByPaperEnd = false;
    this.linesUntilPaperOut = null;
    this.resume();
  }

  /** The roll ends after `lines` more printed lines (a job that runs out part-way). */
  runOutOfPaperAfter(lines: number): void {
    this.linesUntilPaperOut = lines;
  }

  setCoverOpen(open: boolean): void {
    this.coverOpen = open;
    this.resume();
  }

  setCutterError(error: boolean): void {
    this.cutterError = error;
  }

  /** No answers at all: a printer switched off or a cable pulled at the printer's end. */
  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.link.close();
  }

  private canPrint(): boolean {
    return this.paper !== 'out' && !this.coverOpen && !this.cutterError;
  }

  private receive(chunk: Uint8Array): void {
    for (const command of this.decoder.push(chunk)) {
      if (isRealTime(command)) this.execute(command);
      else if (this.canPrint() && this.held.length === 0) this.execute(command);
      else this.held.push(command);
    }
  }

  private resume(): void {
    while (this.canPrint() && this.held.length > 0) {
      const command = this.held.shift();
      if (command) this.execute(command);
    }
  }

  private answer(byte: number): void {
    if (!this.silent) void this.link.write(Uint8Array.of(byte)).catch(() => undefined);
  }

  private flushLine(): void {
    const bytes = Uint8Array.from(this.line);
    this.line = [];
    const high = bytes.filter((byte) => byte >= 0x80).length;
    if (!this.chineseMode && high > 0) this.record(`! ${high} bytes ≥ 0x80 outside Chinese mode print as code-page symbols`);
    const text = this.chineseMode ? iconv.decode(Buffer.from(bytes), 'gb18030') : Buffer.from(bytes).toString('latin1');
    this.record(`| ${text}`);
    this.page.push(text);
    if (this.linesUntilPaperOut !== null) {
      this.linesUntilPaperOut -= 1;
      if (this.linesUntilPaperOut <= 0) {
        this.paper = 'out';
        this.stoppedByPaperEnd = true;
        this.linesUntilPaperOut = null;
        this.record('! paper ran out');
      }
    }
  }

  private statusByte(kind: 1 | 2 | 3 | 4): number {
    const bytes = encodeStatus({
      offline: !this.canPrint(),
      coverOpen: this.coverOpen,
      feedingByButton: false,
      stoppedByPaperEnd: this.stoppedByPaperEnd,
      errorOccurred: this.cutterError,
      cutterError: this.cutterError,
      unrecoverableError: false,
      autoRecoverableError: false,
      paperNearEnd: this.paper === 'near-end',
      paperEnd: this.paper === 'out',
    });
    return bytes[kind - 1] ?? 0;
  }

  private execute(command: EscPosCommand): void {
    switch (command.kind) {
      case 'status-request': {
        if (this.silent) return;
        const byte = this.statusByte(command.status);
        this.record(`? status ${command.status} -> 0x${byte.toString(16).padStart(2, '0')}`);
        this.answer(byte);
        return;
      }
      case 'recover':
        if (command.clearBuffers) {
          this.record(`> recover, clear buffers (${this.held.length} held commands dropped)`);
          this.held.length = 0;
          this.line = [];
        } else {
          this.record('> recover, resume');
          this.resume();
        }
        return;
      case 'paper-sensor-request': {
        if (this.silent) return;
        const byte = encodePaperSensor(this.paper === 'near-end', this.paper === 'out');
        this.record(`? paper sensor -> 0x${byte.toString(16).padStart(2, '0')}`);
        this.answer(byte);
        return;
      }
      case 'text':
        this.line.push(...command.bytes);
        return;
      case 'line-feed':
        this.flushLine();
        return;
      case 'feed-lines':
        if (this.line.length > 0) this.flushLine();
        this.record(`> feed ${command.lines}`);
        return;
      case 'cut':
        if (this.line.length > 0) this.flushLine();
        this.record(`> cut ${command.partial ? 'partial' : 'full'}`);
        this.receipts.push(this.page);
        if (this.receipts.length > KEPT_RECEIPTS) this.receipts.splice(0, this.receipts.length - KEPT_RECEIPTS);
        this.page = [];
        return;
      case 'initialize':
        this.chineseMode = false;
        this.record('> initialize');
        return;
      case 'chinese-mode':
        this.chineseMode = command.on;
        this.record(`> chinese-mode ${command.on ? 'on' : 'off'}`);
        return;
      case 'align':
        this.record(`> align ${command.alignment}`);
        return;
      case 'bold':
        this.record(`> bold ${command.on ? 'on' : 'off'}`);
        return;
      case 'size':
        this.record(`> size ${command.width}x${command.height}`);
        return;
      case 'qr-model':
        this.record(`> qr model ${command.model}`);
        return;
      case 'qr-module-size':
        this.record(`> qr module ${command.dots} dots`);
        return;
      case 'qr-error-correction':
        this.record(`> qr error-correction ${command.level}`);
        return;
      case 'qr-store':
        this.qrData = command.data;
        this.record(`> qr store ${command.data.length} bytes`);
        return;
      case 'qr-print': {
        const text = Buffer.from(this.qrData).toString('utf8');
        this.record(`> qr print ${text}`);
        this.page.push(`[QR ${text}]`);
        return;
      }
      case 'unknown':
        this.record(`! unknown ${Array.from(command.bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ')}`);
        return;
      default:
        throw new Error(`unhandled command: ${JSON.stringify(command satisfies never)}`);
    }
  }
}

/**
 * Demo mode's receipt printer: a real EscPosReceiptPrinter talking to the simulator over an in-memory
 * link, so the host runs the same driver code as on a kiosk. The caller starts and stops the printer.
 */
export function createDemoReceiptPrinter(id = 'receipt-printer'): { printer: EscPosReceiptPrinter; simulator: EscPosPrinterSimulator } {
  const [hostEnd, printerEnd] = createMemoryLinkPair();
  const simulator = new EscPosPrinterSimulator(printerEnd);
  const printer = new EscPosReceiptPrinter({ id, open: async () => hostEnd, port: 'simulator:escpos', simulated: true });
  return { printer, simulator };
}
