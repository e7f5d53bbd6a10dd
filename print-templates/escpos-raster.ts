import { Resvg } from '@resvg/resvg-js';
import { faceFor, loadFonts, reportMissingGlyph } from './fonts.js';

/**
 * A line of text as a 1-bit raster image for `GS v 0`, for text the printer's own font cannot print:
 * characters outside GBK (four-byte GB18030 such as 𠮷 U+20BB7) print as garbage on the GBK-font heads of
 * hall receipt printers. The glyphs come from the document fonts (fonts.ts: Noto Sans SC, then the
 * fallbacks), laid on the printer's own character grid: 24 dots a wide character, 12 a narrow one, 24
 * dots high, times the `GS !` size, so the image takes exactly the columns the text would have.
 *
 * Outlines are fontkit's; resvg (@resvg/resvg-js, a maintained renderer) rasterises them. A character
 * no font has is drawn as an empty box, reported to onMissingGlyph, never dropped.
 */
export interface RasterLine {
  /** Dots across: the head's full width, so the image sits where the line would. */
  widthDots: number;
  heightDots: number;
  /** Rows top to bottom, each `widthDots / 8` bytes, most significant bit leftmost; 1 = print a dot. */
  rows: Uint8Array;
}

/** Dots of one column (half a Chinese character) at size 1: ESC/POS Font A is 12 × 24. */
const COLUMN_DOTS = 12;
const LINE_DOTS = 24;

/**
 * Renders `text` (already wrapped to fit) as one raster line, `headDots` wide, each character in its
 * column cells (`columnsOfChar`), aligned like the text would be.
 */
export function rasterLine(text: string, options: { headDots: number; size: 1 | 2; bold: boolean; align: 'left' | 'center' | 'right'; columnsOfChar: (char: string) => number }): RasterLine {
  const { headDots, size } = options;
  const cellDots = COLUMN_DOTS * size;
  const height = LINE_DOTS * size;
  // Glyphs are set at 22 dots to the em on a 24-dot line (the head's own Chinese font leaves a dot or two
  // between lines), baseline 19 dots down: Noto's ideographs sit 0.88 em above it and 0.12 below.
  const em = 22 * size;
  const baseline = 19 * size;
  const chars = Array.from(text);
  const used = chars.reduce((sum, char) => sum + options.columnsOfChar(char), 0) * cellDots;
  let x = options.align === 'center' ? Math.floor((headDots - used) / 2) : options.align === 'right' ? headDots - used : 0;
  const paths: string[] = [];
  const regular = loadFonts().regular;
  for (const char of chars) {
    const columns = options.columnsOfChar(char);
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint > 0x20) {
      const found = faceFor(codePoint);
      if (!found) reportMissingGlyph(codePoint, 'escpos');
      const font = found?.font ?? regular;
      const glyph = font.glyphForCodePoint(codePoint);
      const scale = em / font.unitsPerEm;
      // Centre the glyph's advance in its cells: a narrow Latin glyph in 12 dots, an ideograph in 24.
      const offset = x + (columns * cellDots - glyph.advanceWidth * scale) / 2;
      const stroke = options.bold ? ` stroke="black" stroke-width="${(0.6 / scale).toFixed(1)}"` : '';
      paths.push(`<path transform="translate(${offset.toFixed(2)} ${baseline}) scale(${scale.toFixed(5)} ${(-scale).toFixed(5)})" d="${glyph.path.toSVG()}"${stroke}/>`);
    }
    x += columns * cellDots;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${headDots}" height="${height}" viewBox="0 0 ${headDots} ${height}"><g fill="black">${paths.join('')}</g></svg>`;
  const image = new Resvg(svg, { fitTo: { mode: 'original' }, shapeRendering: 2 }).render();
  const bytesPerRow = Math.ceil(headDots / 8);
  const rows = new Uint8Array(bytesPerRow * height);
  const pixels = image.pixels;
  for (let y = 0; y < height; y += 1) {
    for (let column = 0; column < headDots; column += 1) {
      // Black on transparent: a dot wherever the glyph covers at least half the pixel.
      if ((pixels[(y * image.width + column) * 4 + 3] ?? 0) >= 128) rows[y * bytesPerRow + (column >> 3)]! |= 0x80 >> (column & 7);
    }
  }
  return { widthDots: bytesPerRow * 8, heightDots: height, rows };
}
