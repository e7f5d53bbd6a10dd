import iconv from 'iconv-lite';
import { type ReceiptBlock, type Row, isWide, wrapText } from './blocks.js';

/**
 * Receipt blocks to ESC/POS bytes for an 80 mm thermal printer (DOMAIN.md §3): Chinese mode (`FS &`),
 * text in GB18030, the printer's own QR generator (`GS ( k`), and a cut (`GS V`).
 *
 * This is the print side of ESC/POS: what a document says. The device side (real-time status, recovery)
 * and the decoder the simulator uses live in drivers/protocols/escpos.ts; the two are written
 * independently and the golden tests feed one into the other, so a wrong byte on either side shows.
 */

/** Font A on an 80 mm head: 576 dots / 12 dots per character. A Chinese character takes two columns. */
export const RECEIPT_COLUMNS = 48;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

export type Alignment = 'left' | 'center' | 'right';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Command encoders, one per ESC/POS command this kiosk sends. */
export const escpos = {
  /** ESC @: reset modes (alignment, size, emphasis) left over from a previous job. */
  initialize: (): number[] => [ESC, 0x40],
  /** ESC a n */
  align: (alignment: Alignment): number[] => [ESC, 0x61, { left: 0, center: 1, right: 2 }[alignment]],
  /** ESC E n */
  bold: (on: boolean): number[] => [ESC, 0x45, on ? 1 : 0],
  /** GS ! n: width and height multipliers 1–8; applies to Chinese and ASCII characters alike. */
  size: (width: number, height: number): number[] => [GS, 0x21, ((width - 1) << 4) | (height - 1)],
  /** FS &: two-byte (GB18030) characters from here on; ASCII bytes still print as ASCII. */
  chineseOn: (): number[] => [FS, 0x26],
  /** FS . */
  chineseOff: (): number[] => [FS, 0x2e],
  /** ESC d n: print and feed n lines. */
  feedLines: (lines: number): number[] => [ESC, 0x64, lines],
  /** GS V 66 0: feed to the cutter, then partial cut (leaves a hinge so the receipt does not fall). */
  cut: (): number[] => [GS, 0x56, 0x42, 0x00],
  /**
   * The five `GS ( k` functions for a model 2 QR code: select model (165), module size (167), error
   * correction (169), store data (180), print (181). Data goes as UTF-8 bytes.
   */
  qr: (text: string, moduleDots: number, errorCorrection: QrErrorCorrection): number[] => {
    const data = Buffer.from(text, 'utf8');
    const stored = data.length + 3;
    return [
      ...[GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
      ...[GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, moduleDots],
      ...[GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 }[errorCorrection]],
      ...[GS, 0x28, 0x6b, stored & 0xff, stored >> 8, 0x31, 0x50, 0x30, ...data],
      ...[GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
    ];
  },
};

/**
 * Text to GB18030 bytes for a printer in Chinese mode.
 * - The yuan sign U+00A5 is a four-byte sequence in GB18030 that GBK-font printers print as garbage;
 *   the fullwidth ￥ (U+FFE5, A3 A4) prints everywhere, so it is substituted.
 * - Control characters become spaces: a service name must never be able to smuggle in a command.
 */
export function encodeText(text: string): Buffer {
  const printable = Array.from(text.replace(/¥/g, '￥'), (char) => {
    const codePoint = char.codePointAt(0) ?? 0;
    return codePoint < 0x20 || codePoint === 0x7f ? ' ' : char;
  }).join('');
  return iconv.encode(printable, 'gb18030');
}

/** Columns a string takes on the printer: two for each wide character, one otherwise. */
export function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) columns += isWide(char.codePointAt(0) ?? 0) ? 2 : 1;
  return columns;
}

class ByteWriter {
  private readonly parts: Buffer[] = [];
  command(bytes: number[]): void {
    this.parts.push(Buffer.from(bytes));
  }
  line(text: string): void {
    this.parts.push(encodeText(text), Buffer.from([LF]));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const LABEL_COLUMNS = 12;
const QR_MODULE_DOTS = 6;

function writeRows(writer: ByteWriter, rows: readonly Row[]): void {
  for (const row of rows) {
    const label = `${row.label}：`;
    const labelColumns = Math.max(LABEL_COLUMNS, columnsOf(label));
    const lines = wrapText(row.value, RECEIPT_COLUMNS - labelColumns, columnsOf);
    lines.forEach((line, index) => {
      const prefix = index === 0 ? label + ' '.repeat(labelColumns - columnsOf(label)) : ' '.repeat(labelColumns);
      writer.line(prefix + line);
    });
  }
}

function writeWrapped(writer: ByteWriter, text: string, columns = RECEIPT_COLUMNS): void {
  for (const line of wrapText(text, columns, columnsOf)) writer.line(line);
}

/** Renders receipt blocks to one ESC/POS job: initialise, Chinese mode, blocks, feed, cut. */
export function renderBlocksToEscPos(blocks: readonly ReceiptBlock[]): Buffer {
  const writer = new ByteWriter();
  writer.command([...escpos.initialize(), ...escpos.chineseOn()]);
  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        writer.command([...escpos.align('center'), ...escpos.bold(true), ...escpos.size(2, 2)]);
        writeWrapped(writer, block.text, RECEIPT_COLUMNS / 2);
        writer.command([...escpos.size(1, 1), ...escpos.bold(false)]);
        if (block.subtitle) writeWrapped(writer, block.subtitle);
        writer.command(escpos.align('left'));
        break;
      case 'heading':
        writer.command(escpos.bold(true));
        writeWrapped(writer, block.text);
        writer.command(escpos.bold(false));
        break;
      case 'rows':
        writeRows(writer, block.rows);
        break;
      case 'rule':
        writer.line('-'.repeat(RECEIPT_COLUMNS));
        break;
      case 'qr':
        writer.command([...escpos.align('center'), ...escpos.qr(block.text, QR_MODULE_DOTS, 'M')]);
        writer.command([LF]);
        if (block.caption) writeWrapped(writer, block.caption);
        writer.command(escpos.align('left'));
        break;
      case 'note':
        if (block.emphasis) {
          writer.line('='.repeat(RECEIPT_COLUMNS));
          writer.command(escpos.bold(true));
          writeWrapped(writer, block.text);
          writer.command(escpos.bold(false));
          writer.line('='.repeat(RECEIPT_COLUMNS));
        } else {
          writeWrapped(writer, block.text);
        }
        break;
      case 'highlight':
        writer.command(escpos.align('center'));
        writeWrapped(writer, block.label);
        writer.command([...escpos.bold(true), ...escpos.size(2, 2)]);
        writeWrapped(writer, block.value, RECEIPT_COLUMNS / 2);
        writer.command([...escpos.size(1, 1), ...escpos.bold(false), ...escpos.align('left')]);
        break;
      case 'spacer':
        writer.command(escpos.feedLines(block.lines));
        break;
      default:
        throw new Error(`unhandled block: ${JSON.stringify(block satisfies never)}`);
    }
  }
  writer.command([...escpos.feedLines(2), ...escpos.cut(), ...escpos.chineseOff()]);
  return writer.bytes();
}
