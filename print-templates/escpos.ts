import iconv from 'iconv-lite';
import { type ReceiptBlock, type Row, wrapText } from './blocks.js';
import { rasterLine, type RasterLine } from './escpos-raster.js';

/**
 * Receipt blocks to ESC/POS bytes for an 80 mm or 58 mm thermal printer (DOMAIN.md §3): Chinese mode
 * (`FS &`), text in GB18030, the printer's own QR generator (`GS ( k`), and a cut (`GS V`).
 *
 * Widths are measured as the printer prints, in the target's encoding and font: in Chinese mode every
 * two-byte GB18030 character is a full-width 24-dot cell (“ ” — · × included, which look narrow but are
 * A1xx codes) and every ASCII byte a half-width 12-dot cell (Font A). A head has no margin: what passes its
 * last dot starts a new line, so lines are wrapped to the paper's columns with no hanging punctuation (a
 * closing mark that does not fit takes the character before it down with it, 避头尾). A line with a
 * character outside GBK (four bytes in GB18030, which GBK-font printers print as garbage) is sent as a
 * raster image (`GS v 0`) drawn from the document fonts (escpos-raster.ts).
 *
 * This is the print side of ESC/POS: what a document says. The device side (real-time status, recovery)
 * and the decoder the simulator uses live in drivers/protocols/escpos.ts; the two are written
 * independently and the golden tests feed one into the other, so a wrong byte on either side shows.
 */

/** Roll widths: printable dots of the head (203 dpi) and Font A columns of 12 dots. */
export const ESC_POS_PAPER = {
  '80mm': { dots: 576, columns: 48 },
  '58mm': { dots: 384, columns: 32 },
} as const;
export type PaperWidth = keyof typeof ESC_POS_PAPER;

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

const bytesCache = new Map<number, number>();

/** Bytes one character takes in GB18030 as encodeText sends it (controls become a space: 1). */
function gbBytes(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  if (codePoint < 0x80) return 1;
  let length = bytesCache.get(codePoint);
  if (length === undefined) {
    length = encodeText(char).length;
    bytesCache.set(codePoint, length);
  }
  return length;
}

/** True when the printer's GBK font has the character: one or two GB18030 bytes, never four. */
function printableInGbk(char: string): boolean {
  return gbBytes(char) <= 2;
}

/**
 * Columns a string takes on the printer in Chinese mode: one for each single-byte character, two for each
 * two-byte GB18030 character, two for a character sent as a raster cell (four bytes in GB18030).
 */
export function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) columns += gbBytes(char) === 1 ? 1 : 2;
  return columns;
}

/** One thing the job prints, in order: the layout the bytes are meant to produce. */
export type EscPosLine =
  | { kind: 'text'; text: string; align: Alignment; bold: boolean; size: 1 | 2 }
  | { kind: 'qr'; text: string }
  | { kind: 'feed'; lines: number };

export interface EscPosOptions {
  /** Default 80 mm. */
  paper?: PaperWidth;
}

const LABEL_COLUMNS = 12;
const QR_MODULE_DOTS = 6;

/**
 * The lines a receipt is meant to print at the given paper width: every text line wrapped to the head's
 * columns (half of them at double size), with its alignment, weight and size. renderBlocksToEscPos
 * encodes exactly these; a test decoder that lays out the bytes as a head does must find the same lines.
 */
export function escPosLayout(blocks: readonly ReceiptBlock[], options: EscPosOptions = {}): EscPosLine[] {
  const { columns } = ESC_POS_PAPER[options.paper ?? '80mm'];
  const out: EscPosLine[] = [];
  const wrap = (text: string, width: number): string[] => wrapText(text, width, columnsOf, width, { hangingPunctuation: false });
  const lines = (text: string, style: { align?: Alignment; bold?: boolean; size?: 1 | 2 } = {}): void => {
    const size = style.size ?? 1;
    for (const line of wrap(text, Math.floor(columns / size))) out.push({ kind: 'text', text: line, align: style.align ?? 'left', bold: style.bold ?? false, size });
  };
  const rows = (entries: readonly Row[]): void => {
    for (const row of entries) {
      const label = `${row.label}：`;
      const labelColumns = Math.max(LABEL_COLUMNS, columnsOf(label));
      wrap(row.value, columns - labelColumns).forEach((line, index) => {
        const prefix = index === 0 ? label + ' '.repeat(labelColumns - columnsOf(label)) : ' '.repeat(labelColumns);
        out.push({ kind: 'text', text: prefix + line, align: 'left', bold: false, size: 1 });
      });
    }
  };
  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        lines(block.text, { align: 'center', bold: true, size: 2 });
        if (block.subtitle) lines(block.subtitle, { align: 'center' });
        break;
      case 'heading':
        lines(block.text, { bold: true });
        break;
      case 'rows':
        rows(block.rows);
        break;
      case 'rule':
        lines('-'.repeat(columns));
        break;
      case 'qr':
        out.push({ kind: 'qr', text: block.text });
        if (block.caption) lines(block.caption, { align: 'center' });
        break;
      case 'note':
        if (block.emphasis) {
          lines('='.repeat(columns));
          lines(block.text, { bold: true });
          lines('='.repeat(columns));
        } else {
          lines(block.text);
        }
        break;
      case 'highlight':
        lines(block.label, { align: 'center' });
        lines(block.value, { align: 'center', bold: true, size: 2 });
        break;
      case 'spacer':
        out.push({ kind: 'feed', lines: block.lines });
        break;
      default:
        throw new Error(`unhandled block: ${JSON.stringify(block satisfies never)}`);
    }
  }
  return out;
}

/** `GS v 0 m xL xH yL yH d…`: print a raster image at the start of a line (m 0: normal size). */
function rasterCommand(image: RasterLine): number[] {
  const bytesPerRow = image.widthDots / 8;
  return [GS, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, image.heightDots & 0xff, image.heightDots >> 8, ...image.rows];
}

/** Renders receipt blocks to one ESC/POS job: initialise, Chinese mode, the lines of escPosLayout, feed, cut. */
export function renderBlocksToEscPos(blocks: readonly ReceiptBlock[], options: EscPosOptions = {}): Buffer {
  const paper = ESC_POS_PAPER[options.paper ?? '80mm'];
  const parts: Buffer[] = [Buffer.from([...escpos.initialize(), ...escpos.chineseOn()])];
  const command = (bytes: number[]): void => void parts.push(Buffer.from(bytes));
  // Modes are sent only when they change: a receipt is a few hundred lines of mostly the same style.
  let mode = { align: 'left' as Alignment, bold: false, size: 1 };
  const setMode = (next: { align: Alignment; bold: boolean; size: number }): void => {
    if (next.align !== mode.align) command(escpos.align(next.align));
    if (next.bold !== mode.bold) command(escpos.bold(next.bold));
    if (next.size !== mode.size) command(escpos.size(next.size, next.size));
    mode = { ...next };
  };
  for (const line of escPosLayout(blocks, options)) {
    switch (line.kind) {
      case 'text':
        if (Array.from(line.text).every(printableInGbk)) {
          setMode(line);
          parts.push(encodeText(line.text), Buffer.from([LF]));
        } else {
          // The whole line as an image, full width and aligned inside it: GS v 0 prints from the left margin.
          setMode({ align: 'left', bold: false, size: 1 });
          const columnsOfChar = (char: string): number => columnsOf(char);
          command(rasterCommand(rasterLine(line.text, { headDots: paper.dots, size: line.size, bold: line.bold, align: line.align, columnsOfChar })));
        }
        break;
      case 'qr':
        setMode({ align: 'center', bold: false, size: 1 });
        command([...escpos.qr(line.text, QR_MODULE_DOTS, 'M'), LF]);
        break;
      case 'feed':
        command(escpos.feedLines(line.lines));
        break;
      default:
        throw new Error(`unhandled line: ${JSON.stringify(line satisfies never)}`);
    }
  }
  setMode({ align: 'left', bold: false, size: 1 });
  command([...escpos.feedLines(2), ...escpos.cut(), ...escpos.chineseOff()]);
  return Buffer.concat(parts);
}
