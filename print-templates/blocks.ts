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
  /** Label/value pairs; long values wrap under themselves. `labelEms`: the label column's width on A4 (default 6). */
  | { kind: 'rows'; rows: Row[]; labelEms?: number }
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
  | { kind: 'verification'; text: string; lines: string[] }
  /** A ruled table (a proof's 缴费明细, 不动产登记信息): header row, then one row per entry; cells wrap. */
  | { kind: 'table'; columns: string[]; rows: string[][] };

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

/** How `wrapText` treats a closing mark that does not fit at the end of a line. */
export interface WrapOptions {
  /**
   * true (paper): the mark hangs past the wrap width, into a margin the layout keeps for it.
   * false (a thermal head, which has no margin: anything past its last dot starts a new line): the
   * character before the mark moves down with it, so no line starts with a closing mark (避头) and none
   * overflows. Default true.
   */
  hangingPunctuation?: boolean;
}

/**
 * Wraps text into lines no wider than `maxWidth`, measured by `widthOf` (points on paper, columns on a
 * character printer), so both renderers break lines by the same rules. `firstLineWidth` allows a first-line
 * indent. Newlines in the text start a new line. A word wider than a whole line is cut by characters.
 */
export function wrapText(text: string, maxWidth: number, widthOf: (text: string) => number, firstLineWidth = maxWidth, options: WrapOptions = {}): string[] {
  const hanging = options.hangingPunctuation ?? true;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    /** The tokens on the current line, so that the last one can move down whole. */
    let parts: string[] = [];
    let lineWidth = 0;
    const line = (): string => parts.join('');
    const limit = (): number => (lines.length === 0 ? firstLineWidth : maxWidth);
    const push = (): void => {
      lines.push(line().trimEnd());
      parts = [];
      lineWidth = 0;
    };
    const tokenList = tokens(paragraph);
    for (let index = 0; index < tokenList.length; index += 1) {
      const part = tokenList[index] ?? '';
      const width = widthOf(part);
      if (lineWidth + width <= limit() || parts.length === 0) {
        if (width > limit() && parts.length === 0) {
          // A word longer than a line: cut it by characters.
          for (const char of part) {
            const charWidth = widthOf(char);
            if (lineWidth + charWidth > limit() && parts.length > 0) push();
            parts.push(char);
            lineWidth += charWidth;
          }
          continue;
        }
        parts.push(part);
        lineWidth += width;
        continue;
      }
      if (part === ' ') {
        push();
        continue;
      }
      if (noLineStart.has(part)) {
        if (hanging) {
          // Hang the closing mark in the margin rather than start a line with it.
          parts.push(part);
          lineWidth += width;
          continue;
        }
        // No margin: the token before the mark goes down with it (and any closing marks before that).
        const moved: string[] = [];
        while (parts.length > 1) {
          const last = parts.pop() ?? '';
          moved.unshift(last);
          if (!noLineStart.has(last) && last !== ' ') break;
        }
        // A line of one token cannot give one up: then, and only then, the mark starts the next line.
        const carriedDown = moved.join('').trimStart();
        push();
        parts = carriedDown ? [carriedDown, part] : [part];
        lineWidth = widthOf(line());
        continue;
      }
      // Carry an opening mark at the end of the line over to the new line.
      const last = parts.at(-1);
      let carried = '';
      if (last !== undefined && noLineEnd.has(last)) {
        carried = last;
        parts.pop();
      }
      push();
      parts = carried ? [carried, part] : [part];
      lineWidth = widthOf(line());
    }
    if (parts.length > 0 || lines.length === 0 || paragraph === '') push();
  }
  return lines;
}
