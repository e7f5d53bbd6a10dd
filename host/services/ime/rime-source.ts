/**
 * Readers for the two Rime files the pinyin lexicon is made from (Debian package librime-data, from
 * rime/rime-essay and rime/rime-luna-pinyin, LGPL-3.0):
 * - `essay.txt`: one word per line, `word<TAB>count`: how often the word occurs in Rime's corpus.
 * - `luna_pinyin.dict.yaml`: a YAML header ending in a `...` line, then `text<TAB>code[<TAB>weight]`
 *   lines, where code is space-separated toneless syllables (ü written `v`) and weight is either a
 *   share among the character's readings (`91.78%`), a bare number, or absent.
 * Both are in Traditional characters. Pure functions over the file text; malformed lines are skipped
 * and counted, never thrown on (a damaged line must not cost the citizen the whole keyboard).
 */

export interface EssayWord {
  /** Traditional text. */
  text: string;
  /** Occurrences in the essay corpus (≥ 0). */
  count: number;
}

export interface LunaReading {
  /** Traditional text: one character or a phrase. */
  text: string;
  /** Toneless syllables, e.g. ['zhang', 'wei']; ü as `v` (lv, nve). */
  syllables: string[];
  /** Share of this reading among the character's readings, 0–1; null when the line gives none. */
  share: number | null;
}

export interface Parsed<T> {
  items: T[];
  /** Lines that were not comments or blank and did not parse. */
  skipped: number;
}

const SYLLABLE = /^[a-z]+$/;

export function parseEssay(text: string): Parsed<EssayWord> {
  const items: EssayWord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [word, count, extra] = line.split('\t');
    const value = Number(count);
    if (!word || extra !== undefined || !Number.isInteger(value) || value < 0) {
      skipped++;
      continue;
    }
    items.push({ text: word, count: value });
  }
  return { items, skipped };
}

/** The dictionary body starts after the YAML document's `...` end marker. */
export function parseLunaDict(text: string): Parsed<LunaReading> {
  const marker = text.search(/^\.\.\.\s*$/m);
  if (marker < 0) return { items: [], skipped: 0 };
  const items: LunaReading[] = [];
  let skipped = 0;
  for (const line of text.slice(marker).split('\n').slice(1)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [word, code, weight] = line.split('\t');
    const syllables = code?.split(' ') ?? [];
    // A bare number (one line: `繰 zao 0`) is an absolute weight Rime ranks by; only shares are used here.
    const share = weight === undefined || /^\d+$/.test(weight) ? null : weight.endsWith('%') ? Number(weight.slice(0, -1)) / 100 : NaN;
    if (!word || syllables.length === 0 || !syllables.every((syllable) => SYLLABLE.test(syllable)) || Number.isNaN(share)) {
      skipped++;
      continue;
    }
    items.push({ text: word, syllables, share });
  }
  return { items, skipped };
}
