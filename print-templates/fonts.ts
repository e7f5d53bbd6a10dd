import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The bundled CJK font: Noto Sans SC (SIL OFL 1.1) from @expo-google-fonts/noto-sans-sc, the 400 Regular static weight.
 *
 * Each weight is parsed once per process and the parsed fontkit font is handed to every pdfkit document:
 * pdfkit accepts a fontkit font in place of a file (PDFFontFactory.open checks for `layout`). Passing the
 * file instead would re-parse its 10 MB of glyph tables for every receipt (about 35 ms instead of 6 ms).
 * pdfkit still subsets per document, so a receipt carries only the glyphs it uses.
 */
export type FontWeight = 'regular' | 'bold';

/** The subset of fontkit's font object that layout needs (fontkit ships no types). */
export interface LoadedFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
  layout(text: string): unknown;
}

const requireFromHere = createRequire(import.meta.url);
// The fontkit that pdfkit itself resolves, so the font objects we pass are the kind pdfkit expects.
const requireFromPdfkit = createRequire(requireFromHere.resolve('pdfkit'));

/**
 * One weight is shipped and embedded: bold is drawn from the regular outlines (fill + stroke, see pdf.ts),
 * so it is measured with the same metrics. A second weight would double the font parse at start-up and
 * add a second subset to every document.
 */
const REGULAR_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

let loaded: Record<FontWeight, LoadedFont> | undefined;

/** Parses the font on first use; later calls return the same object. */
export function loadFonts(): Record<FontWeight, LoadedFont> {
  if (!loaded) {
    const fontkit = requireFromPdfkit('fontkit') as { create(buffer: Uint8Array): LoadedFont };
    const regular = fontkit.create(readFileSync(requireFromHere.resolve(REGULAR_FONT)));
    loaded = { regular, bold: regular };
  }
  return loaded;
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
