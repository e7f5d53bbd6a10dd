import { Converter } from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { parseEssay, parseLunaDict } from './rime-source.js';
import { BUSINESS_SCOPE_PHRASES } from './supplements/business-scope.js';
import { GIVEN_NAME_CHARACTERS, SURNAMES } from './supplements/names.js';
import { TAIAN_PLACES } from './supplements/taian-places.js';
import { TAIAN_ROADS } from './supplements/taian-roads.js';

/**
 * The pinyin lexicon: Simplified words with their toneless readings and a frequency weight, made from
 * Rime's essay (word counts) and Luna Pinyin dictionary (readings) plus the kiosk's supplements.
 *
 * Decisions, each from a measurement (README "Input engines"):
 * - Traditional → Simplified with OpenCC (opencc-js, `t` → `cn`); words that meet in Simplified
 *   (髮/發 → 发) add their counts.
 * - A phrase's reading is Luna Pinyin's own when it lists the phrase (those are exactly the phrases
 *   whose reading is not the obvious one), otherwise pinyin-pro's, which reads polyphonic characters
 *   in context: on Luna's 21,775 listed phrases pinyin-pro agrees with Luna on 73 %, the character's
 *   most weighted reading on 53 %.
 * - A character's weight is its essay count split by Luna's reading shares (行: xing 91.78 %, hang 8.22 %).
 * - Supplements (places, roads, business scope, catalog phrases) weigh at least SUPPLEMENT_WEIGHT,
 *   about the 88th percentile of the essay's multi-character words: real, typed here often, and never
 *   buried under a rarer homophone.
 */
export interface LexiconEntry {
  /** Simplified text. */
  text: string;
  /** One toneless syllable per character, ü as `v`. */
  syllables: string[];
  /** Relative frequency (essay counts); ≥ 0. */
  weight: number;
}

export interface Lexicon {
  words: LexiconEntry[];
  /** Surnames (single and compound) with surname readings; weight by rank. */
  surnames: LexiconEntry[];
  /** Characters of given names with every reading; weight by rank. */
  givenNames: LexiconEntry[];
  stats: { essayWords: number; lunaReadings: number; skippedLines: number; unreadable: number; supplements: number };
}

export interface LexiconSources {
  /** Text of essay.txt. */
  essay: string;
  /** Text of luna_pinyin.dict.yaml. */
  lunaDict: string;
  /** More phrases to supplement (e.g. the catalog's service names and keywords). */
  extraPhrases?: readonly string[];
  /** Called between slices of work so a caller can yield to its event loop. */
  pause?: () => Promise<void>;
}

export const SUPPLEMENT_WEIGHT = 800;
const SLICE = 20_000;
const HAN = /^\p{Script=Han}+$/u;

/** Toneless pinyin of Simplified text, one syllable per character, or null when a character has none. */
export function readingOf(text: string, surname = false): string[] | null {
  const syllables = pinyin(text, { toneType: 'none', type: 'array', v: true, ...(surname ? { surname: 'head' as const } : {}) });
  return syllables.length === [...text].length && syllables.every((syllable) => /^[a-z]+$/.test(syllable)) ? syllables : null;
}

/** Every reading pinyin-pro knows for one character (乐: le, yue, yao, lao). */
function readingsOfCharacter(character: string): string[] {
  return pinyin(character, { toneType: 'none', type: 'array', v: true, multiple: true }).filter((syllable) => /^[a-z]+$/.test(syllable));
}

/** The supplement phrases, deduplicated: Taian places and roads, business scope, and the caller's extras. */
export function supplementPhrases(extra: readonly string[] = []): string[] {
  const phrases: string[] = [];
  for (const county of TAIAN_PLACES) {
    phrases.push(county.county, ...county.townships, ...county.communities);
    // 岱庙街道 is also said 岱庙, 范镇 stays whole (one character would be no phrase).
    for (const township of county.townships) {
      const base = township.replace(/(街道|镇|乡)$/, '');
      if ([...base].length >= 2) phrases.push(base);
    }
  }
  phrases.push('泰安', '泰安市', '山东省', ...TAIAN_ROADS, ...BUSINESS_SCOPE_PHRASES, ...extra);
  return [...new Set(phrases.map((phrase) => phrase.trim()).filter((phrase) => HAN.test(phrase)))];
}

export async function buildLexicon(sources: LexiconSources): Promise<Lexicon> {
  const pause = sources.pause ?? (() => Promise.resolve());
  const toSimplified = Converter({ from: 't', to: 'cn' });
  const luna = parseLunaDict(sources.lunaDict);
  const essay = parseEssay(sources.essay);
  const counts = new Map(essay.items.map((word) => [word.text, word.count]));

  // (Simplified text, reading) → weight; the key keeps readings of one text apart.
  const weights = new Map<string, number>();
  const add = (text: string, syllables: string[], weight: number) => {
    const key = `${text}\t${syllables.join(' ')}`;
    weights.set(key, (weights.get(key) ?? 0) + weight);
  };

  const characterReadings = new Map<string, { syllables: string[]; share: number | null }[]>();
  const phraseReadings = new Map<string, string[][]>();
  for (const reading of luna.items) {
    if ([...reading.text].length === 1) {
      const list = characterReadings.get(reading.text) ?? [];
      list.push({ syllables: reading.syllables, share: reading.share });
      characterReadings.set(reading.text, list);
    } else {
      const list = phraseReadings.get(reading.text) ?? [];
      list.push(reading.syllables);
      phraseReadings.set(reading.text, list);
    }
  }
  await pause();

  for (const [character, readings] of characterReadings) {
    const simplified = toSimplified(character);
    if ([...simplified].length !== 1) continue;
    const count = counts.get(character) ?? 0;
    const unstated = readings.filter((reading) => reading.share === null).length;
    const stated = readings.reduce((sum, reading) => sum + (reading.share ?? 0), 0);
    for (const reading of readings) {
      const share = reading.share ?? Math.max(0, 1 - stated) / unstated;
      add(simplified, reading.syllables, count * share);
    }
  }
  await pause();

  let unreadable = 0;
  let done = 0;
  for (const word of essay.items) {
    if (++done % SLICE === 0) await pause();
    const length = [...word.text].length;
    if (length === 1 && characterReadings.has(word.text)) continue;
    const simplified = toSimplified(word.text);
    if ([...simplified].length !== length || !HAN.test(simplified)) continue;
    const listed = phraseReadings.get(word.text)?.filter((syllables) => syllables.length === length);
    const readings = listed && listed.length > 0 ? listed : [readingOf(simplified)].filter((reading) => reading !== null);
    if (readings.length === 0) {
      unreadable++;
      continue;
    }
    for (const syllables of readings) add(simplified, syllables, word.count / readings.length);
  }
  await pause();

  const supplements = supplementPhrases(sources.extraPhrases);
  for (const phrase of supplements) {
    const syllables = readingOf(phrase);
    if (!syllables) continue;
    const key = `${phrase}\t${syllables.join(' ')}`;
    weights.set(key, Math.max(weights.get(key) ?? 0, SUPPLEMENT_WEIGHT));
  }

  const words: LexiconEntry[] = [];
  for (const [key, weight] of weights) {
    const [text = '', reading = ''] = key.split('\t');
    words.push({ text, syllables: reading.split(' '), weight });
  }

  const surnames = SURNAMES.flatMap((surname, rank) => {
    const syllables = readingOf(surname, true);
    return syllables ? [{ text: surname, syllables, weight: 1 / (rank + 1) }] : [];
  });
  const givenNames = GIVEN_NAME_CHARACTERS.flatMap((character, rank) => {
    const readings = readingsOfCharacter(character);
    return readings.map((syllable) => ({ text: character, syllables: [syllable], weight: 1 / (rank + 1) / readings.length }));
  });

  return {
    words,
    surnames,
    givenNames,
    stats: { essayWords: essay.items.length, lunaReadings: luna.items.length, skippedLines: essay.skipped + luna.skipped, unreadable, supplements: supplements.length },
  };
}
