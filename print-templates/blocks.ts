/**
 * The layout model every document is written in: a list of blocks, drawn top to bottom.
 * A template is a function from its (validated) data to blocks; each renderer draws the blocks.
 * Receipts use only `ReceiptBlock`s, so the same list renders to an 80 mm PDF and to ESC/POS;
 * A4 documents may also use the `DocumentBlock`s that only a page renderer can draw.
 */

export interface Row {
  label: string;
  value: string;
}

export type ReceiptBlock =
  /** Centred, bold, large. */
  | { kind: 'title'; text: string; subtitle?: string }
  /** A bold section heading, left aligned. */
  | { kind: 'heading'; text: string }
  /** Label/value pairs; long values wrap under themselves. */
  | { kind: 'rows'; rows: Row[] }
  | { kind: 'rule' }
  /** A QR code, centred, with an optional caption under it. */
  | { kind: 'qr'; text: string; caption?: string }
  /** Small text; `emphasis` boxes it on paper (bold on a thermal printer) because the reader must act on it. */
  | { kind: 'note'; text: string; emphasis?: boolean }
  /** One value the citizen must find at a glance (the local number of an offline receipt). */
  | { kind: 'highlight'; label: string; value: string }
  | { kind: 'spacer'; lines: number };

export type DocumentBlock =
  | ReceiptBlock
  /** Body text; `indent` indents the first line by two characters, as Chinese official documents do. */
  | { kind: 'paragraph'; text: string; indent?: boolean }
  /** Centred line under the title (文号). */
  | { kind: 'reference'; text: string }
  /** Numbered items. */
  | { kind: 'list'; items: string[] }
  /** A signature line with the citizen's drawn signature (PNG bytes). */
  | { kind: 'signature'; label: string; png: Uint8Array; date: string }
  /** Right-aligned issuer name(s) and date at the foot of an official document. */
  | { kind: 'issuer'; lines: string[]; date: string }
  /** Verification QR on the left, explanation on the right. */
  | { kind: 'verification'; text: string; lines: string[] };

// Closing punctuation may not start a line (避头) and opening punctuation may not end one (避尾), per the
// common Chinese line-breaking rules (GB/T 15834 usage); a hanging closing mark beats an orphaned one.
const noLineStart = new Set(Array.from('，。、；：？！）》」』”’】〕…—,.;:?!)]}%'));
const noLineEnd = new Set(Array.from('（《「『“‘【〔([{'));

/** Fullwidth and CJK characters occupy two columns on a character printer and one em on paper. */
export function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/**
 * Splits text into breakable tokens: every wide character on its own, runs of narrow non-space characters
 * (words, numbers, URLs) kept together, and single spaces.
 */
function tokens(text: string): string[] {
  const result: string[] = [];
  let word = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (char === ' ' || isWide(codePoint) || noLineStart.has(char) || noLineEnd.has(char)) {
      if (word) result.push(word);
      word = '';
      result.push(char);
    } else {
      word += char;
    }
  }
  if (word) result.push(word);
  return result;
}

/**
 * Wraps text into lines no wider than `maxWidth`, measured by `widthOf` (points on paper, columns on a
 * character printer), so both renderers break lines by the same rules. `firstLineWidth` allows a first-line
 * indent. Newlines in the text start a new line. A word wider than a whole line is cut by characters.
 */
export function wrapText(text: string, maxWidth: number, widthOf: (text: string) => number, firstLineWidth = maxWidth): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const limit = (): number => (lines.length === 0 ? firstLineWidth : maxWidth);
    const push = (): void => {
      lines.push(line.trimEnd());
      line = '';
      lineWidth = 0;
    };
    const parts = tokens(paragraph);
    for (let index = 0; index < parts.length; index += 1) {
      let part = parts[index] ?? '';
      const width = widthOf(part);
      if (lineWidth + width <= limit() || line === '') {
        if (width > limit() && line === '') {
          // A word longer than a line: cut it by characters.
          for (const char of part) {
            const charWidth = widthOf(char);
            if (lineWidth + charWidth > limit() && line !== '') push();
            line += char;
            lineWidth += charWidth;
          }
          continue;
        }
        line += part;
        lineWidth += width;
        continue;
      }
      if (part === ' ') {
        push();
        continue;
      }
      if (noLineStart.has(part)) {
        // Hang the closing mark in the margin rather than start a line with it.
        line += part;
        lineWidth += width;
        continue;
      }
      // Carry an opening mark at the end of the line over to the new line.
      const last = Array.from(line).at(-1);
      let carried = '';
      if (last !== undefined && noLineEnd.has(last)) {
        carried = last;
        line = line.slice(0, line.length - last.length);
      }
      push();
      part = carried + part;
      line = part;
      lineWidth = widthOf(part);
    }
    if (line !== '' || lines.length === 0 || paragraph === '') push();
  }
  return lines;
}
