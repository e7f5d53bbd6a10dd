import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The fonts documents are drawn with, all Noto Sans 400 Regular (SIL OFL 1.1; the npm packages that ship
 * them are MIT): Simplified Chinese from @expo-google-fonts/noto-sans-sc first, then fallbacks for the
 * characters it lacks. A name such as 王𠮷 holds a CJK Extension B character (U+20BB7) that Noto Sans SC
 * does not have; Noto Sans JP has it (353 Extension B characters), Noto Sans HK has the 1,707 of HKSCS.
 * Each character is drawn from the first font of the chain that has it (`faceFor`); a character no font
 * has is still drawn (as the main font's missing-glyph box) and reported to `onMissingGlyph` listeners,
 * never silently dropped.
 *
 * Each font is parsed once per process and the parsed fontkit font is handed to every pdfkit document:
 * pdfkit accepts a fontkit font in place of a file (PDFFontFactory.open checks for `layout`). Passing the
 * file instead would re-parse its 10 MB of glyph tables for every receipt (about 35 ms instead of 6 ms).
 * pdfkit subsets per document, so a receipt carries only the glyphs it uses, from the fonts it uses.
 * The fallbacks are parsed on first need only: most documents never need one.
 */
export type FontWeight = 'regular' | 'bold';

/** The subset of fontkit's glyph object that drawing needs. */
interface LoadedGlyph {
  advanceWidth: number;
  /** Outline in font units, y up. */
  path: { toSVG(): string };
}

/** The subset of fontkit's font object that layout needs (fontkit ships no types). */
export interface LoadedFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  glyphForCodePoint(codePoint: number): LoadedGlyph;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): unknown;
}

/** One font of the chain: the name pdfkit registers it under, and the parsed font. */
export interface FontFace {
  name: FaceName;
  font: LoadedFont;
}

export type FaceName = 'regular' | 'fallback-jp' | 'fallback-hk';

const requireFromHere = createRequire(import.meta.url);
// The fontkit that pdfkit itself resolves, so the font objects we pass are the kind pdfkit expects.
const requireFromPdfkit = createRequire(requireFromHere.resolve('pdfkit'));

/**
 * One weight is shipped and embedded: bold is drawn from the regular outlines (fill + stroke, see pdf.ts),
 * so it is measured with the same metrics. A second weight would double the font parse at start-up and
 * add a second subset to every document.
 */
const FONT_FILES: Record<FaceName, string> = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  'fallback-jp': '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  'fallback-hk': '@expo-google-fonts/noto-sans-hk/400Regular/NotoSansHK_400Regular.ttf',
};
/** The order characters are looked up in. */
const FACE_ORDER: readonly FaceName[] = ['regular', 'fallback-jp', 'fallback-hk'];

const parsed = new Map<FaceName, LoadedFont>();

function parse(name: FaceName): LoadedFont {
  let font = parsed.get(name);
  if (!font) {
    const fontkit = requireFromPdfkit('fontkit') as { create(buffer: Uint8Array): LoadedFont };
    font = fontkit.create(readFileSync(requireFromHere.resolve(FONT_FILES[name])));
    parsed.set(name, font);
  }
  return font;
}

/** Parses the main font on first use; later calls return the same objects. */
export function loadFonts(): Record<FontWeight, LoadedFont> {
  const regular = parse('regular');
  return { regular, bold: regular };
}

/** A parsed face of the chain (parsed now if it was not yet). */
export function face(name: FaceName): FontFace {
  return { name, font: parse(name) };
}

const faceCache = new Map<number, FaceName | null>();

/**
 * The first face of the chain that has a glyph for `codePoint`, or null when none has (then draw it with
 * the main font, which shows its missing-glyph box, and report it). Spaces and controls are the main font's.
 */
export function faceFor(codePoint: number): FontFace | null {
  if (codePoint < 0x80) return face('regular');
  let name = faceCache.get(codePoint);
  if (name === undefined) {
    name = FACE_ORDER.find((candidate) => parse(candidate).hasGlyphForCodePoint(codePoint)) ?? null;
    faceCache.set(codePoint, name);
  }
  return name ? face(name) : null;
}

/** What is reported of a character no font has: where in Unicode it lies, never the character (it may be part of a name). */
export interface MissingGlyphReport {
  /** e.g. `CJK Unified Ideographs Extension C`, or `plane 2` when the block is not one listed here. */
  block: string;
  /** The renderer that met it. */
  target: 'pdf' | 'escpos';
}

const missingGlyphListeners = new Set<(report: MissingGlyphReport) => void>();

/** Listen for characters no font can draw (the host logs them); returns the unsubscribe function. */
export function onMissingGlyph(listener: (report: MissingGlyphReport) => void): () => void {
  missingGlyphListeners.add(listener);
  return () => missingGlyphListeners.delete(listener);
}

const BLOCKS: ReadonlyArray<[number, number, string]> = [
  [0x3400, 0x4dbf, 'CJK Unified Ideographs Extension A'],
  [0x4e00, 0x9fff, 'CJK Unified Ideographs'],
  [0xe000, 0xf8ff, 'Private Use Area'],
  [0x20000, 0x2a6df, 'CJK Unified Ideographs Extension B'],
  [0x2a700, 0x2b73f, 'CJK Unified Ideographs Extension C'],
  [0x2b740, 0x2b81f, 'CJK Unified Ideographs Extension D'],
  [0x2b820, 0x2ceaf, 'CJK Unified Ideographs Extension E'],
  [0x2ceb0, 0x2ebef, 'CJK Unified Ideographs Extension F'],
  [0x2f800, 0x2fa1f, 'CJK Compatibility Ideographs Supplement'],
  [0x30000, 0x3134f, 'CJK Unified Ideographs Extension G'],
  [0x31350, 0x323af, 'CJK Unified Ideographs Extension H'],
];

export function reportMissingGlyph(codePoint: number, target: MissingGlyphReport['target']): void {
  const block = BLOCKS.find(([first, last]) => codePoint >= first && codePoint <= last)?.[2] ?? `plane ${codePoint >> 16}`;
  for (const listener of missingGlyphListeners) listener({ block, target });
}

const advanceCache = new WeakMap<LoadedFont, Map<number, number>>();

/** Advance width of one code point in font units, cached: layout measures every character it wraps. */
export function advanceOf(font: LoadedFont, codePoint: number): number {
  let cache = advanceCache.get(font);
  if (!cache) advanceCache.set(font, (cache = new Map()));
  let advance = cache.get(codePoint);
  if (advance === undefined) {
    advance = font.glyphForCodePoint(codePoint).advanceWidth;
    cache.set(codePoint, advance);
  }
  return advance;
}
