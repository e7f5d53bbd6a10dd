/**
 * An independent reading of ESC/POS bytes as a thermal head lays them out, for tests. It shares no code
 * with the encoder (print-templates/escpos.ts) or the simulator's decoder (drivers/protocols/escpos.ts):
 * it is written from the command reference (Epson ESC/POS: ESC @, ESC a, ESC E, ESC d, GS !, FS &, FS .,
 * GS ( k, GS v 0, GS V, LF) and decodes text with the platform's own GB18030 decoder (ICU's, through
 * TextDecoder), not iconv-lite.
 *
 * What it models of a head with a GBK Chinese font in Chinese mode:
 * - a single byte below 0x80 prints a half-width cell (12 dots × width multiplier);
 * - a two-byte GBK sequence (lead 0x81–0xFE, trail 0x40–0xFE except 0x7F) a full-width cell (24 dots);
 * - a four-byte GB18030 sequence (lead, then 0x30–0x39) is not in the font: recorded as an error;
 * - a cell that would pass the head's last dot prints the line so far and starts a new one (auto wrap:
 *   a head has no margin); LF prints the line (an empty one too); ESC d n prints and feeds n lines;
 * - GS v 0 prints a raster image, only at the start of a line (elsewhere it is ignored: an error here).
 */
export type HeadLine =
  | { kind: 'text'; text: string; dots: number; bold: boolean; size: number; align: 'left' | 'center' | 'right' }
  | { kind: 'raster'; widthDots: number; heightDots: number; rows: Uint8Array }
  | { kind: 'qr'; data: string };

export interface HeadPrintout {
  lines: HeadLine[];
  /** What a real head would print wrongly or not at all. */
  errors: string[];
  cuts: number;
}

const gb18030 = new TextDecoder('gb18030', { fatal: true });

export function printOnHead(input: Uint8Array, headDots: number): HeadPrintout {
  const lines: HeadLine[] = [];
  const errors: string[] = [];
  let cuts = 0;
  let chinese = false;
  let align: 'left' | 'center' | 'right' = 'left';
  let bold = false;
  let width = 1;
  let height = 1;
  let lineBytes: number[] = [];
  let lineDots = 0;
  let qrData = new Uint8Array(0);

  const printLine = (): void => {
    let text: string;
    try {
      text = gb18030.decode(Uint8Array.from(lineBytes));
    } catch {
      text = '\ufffd';
      errors.push('undecodable text');
    }
    lines.push({ kind: 'text', text, dots: lineDots, bold, size: Math.max(width, height), align });
    lineBytes = [];
    lineDots = 0;
  };
  const addCell = (bytes: number[], dots: number): void => {
    if (lineDots + dots > headDots) printLine();
    lineBytes.push(...bytes);
    lineDots += dots;
  };

  let at = 0;
  const byte = (offset: number): number => {
    const value = input[at + offset];
    if (value === undefined) throw new Error(`command cut short at byte ${at}`);
    return value;
  };
  while (at < input.length) {
    const first = byte(0);
    if (first === 0x0a) {
      printLine();
      at += 1;
    } else if (first === 0x1b) {
      const command = byte(1);
      if (command === 0x40) {
        [chinese, align, bold, width, height] = [false, 'left', false, 1, 1];
        at += 2;
      } else if (command === 0x61) {
        align = (['left', 'center', 'right'] as const)[byte(2) % 48] ?? 'left';
        at += 3;
      } else if (command === 0x45) {
        bold = (byte(2) & 1) === 1;
        at += 3;
      } else if (command === 0x64) {
        const feed = byte(2);
        if (lineBytes.length > 0) printLine();
        for (let index = 0; index < feed; index++) printLine();
        at += 3;
      } else {
        errors.push(`unknown ESC 0x${command.toString(16)}`);
        at += 2;
      }
    } else if (first === 0x1c) {
      const command = byte(1);
      if (command === 0x26) chinese = true;
      else if (command === 0x2e) chinese = false;
      else errors.push(`unknown FS 0x${command.toString(16)}`);
      at += 2;
    } else if (first === 0x1d) {
      const command = byte(1);
      if (command === 0x21) {
        width = (byte(2) >> 4) + 1;
        height = (byte(2) & 0x0f) + 1;
        at += 3;
      } else if (command === 0x56) {
        cuts += 1;
        at += byte(2) === 65 || byte(2) === 66 ? 4 : 3;
      } else if (command === 0x28 && byte(2) === 0x6b) {
        const length = byte(3) + byte(4) * 256;
        const fn = byte(6);
        if (fn === 0x50) qrData = input.slice(at + 8, at + 5 + length);
        if (fn === 0x51) {
          if (lineBytes.length > 0) printLine();
          lines.push({ kind: 'qr', data: new TextDecoder().decode(qrData) });
        }
        at += 5 + length;
      } else if (command === 0x76 && byte(2) === 0x30) {
        const bytesPerRow = byte(4) + byte(5) * 256;
        const rows = byte(6) + byte(7) * 256;
        if (lineBytes.length > 0) errors.push('raster image not at the start of a line: ignored by the head');
        if (bytesPerRow * 8 > headDots) errors.push(`raster image ${bytesPerRow * 8} dots wide on a ${headDots}-dot head`);
        lines.push({ kind: 'raster', widthDots: bytesPerRow * 8, heightDots: rows, rows: input.slice(at + 8, at + 8 + bytesPerRow * rows) });
        at += 8 + bytesPerRow * rows;
      } else {
        errors.push(`unknown GS 0x${command.toString(16)}`);
        at += 2;
      }
    } else if (first === 0x10) {
      at += 3; // DLE EOT n, DLE ENQ n: real-time, nothing printed
    } else if (first < 0x20 || first === 0x7f) {
      errors.push(`control byte 0x${first.toString(16)} in text`);
      at += 1;
    } else if (chinese && first >= 0x81 && first <= 0xfe) {
      const second = byte(1);
      if (second >= 0x30 && second <= 0x39) {
        errors.push(`four-byte GB18030 character ${Array.from(input.slice(at, at + 4), (value) => value.toString(16)).join(' ')}: not in a GBK font`);
        addCell([first, second, byte(2), byte(3)], 24 * width);
        at += 4;
      } else {
        if (second < 0x40 || second === 0x7f || second === 0xff) errors.push(`invalid two-byte sequence ${first.toString(16)} ${second.toString(16)}`);
        addCell([first, second], 24 * width);
        at += 2;
      }
    } else {
      if (first >= 0x80) errors.push(`byte 0x${first.toString(16)} outside Chinese mode`);
      addCell([first], 12 * width);
      at += 1;
    }
  }
  if (lineBytes.length > 0) errors.push('text left in the buffer at the end of the job (never printed)');
  return { lines, errors, cuts };
}

/** Columns of a raster line (12-dot cells × size) that carry at least one dot. */
export function inkedCells(line: Extract<HeadLine, { kind: 'raster' }>, cellDots: number): boolean[] {
  const bytesPerRow = line.widthDots / 8;
  const cells = Array.from({ length: Math.floor(line.widthDots / cellDots) }, () => false);
  for (let y = 0; y < line.heightDots; y++) {
    for (let x = 0; x < line.widthDots; x++) {
      if (((line.rows[y * bytesPerRow + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0) cells[Math.floor(x / cellDots)] = true;
    }
  }
  return cells;
}
