import { Converter } from 'opencc-js';
import { parseEssay } from './rime-source.js';

/**
 * Combining the answers of several handwriting models into one candidate list (issue 9: the Tegaki
 * Simplified Chinese model alone puts the written character in its top 5 for 0.82 of the 500 most frequent
 * characters; README "Input engines" has the figures).
 *
 * - **Weighted reciprocal rank fusion** (Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms
 *   Condorcet and individual rank learning methods", SIGIR 2009): a candidate scores Σ w / (k + rank) over
 *   the lists it appears in (rank from 1; w the list's weight). Ranks, not the models' scores, are
 *   combined: two SVM models' scores are not on one scale. A character both models propose rises above one
 *   only one of them proposes; the Japanese model weighs less, so the Chinese model's first answer keeps
 *   first place unless the other agrees with something else.
 * - **A frequency prior**: + λ · log(1 + count) / log(1 + largest count), counts being how often the
 *   character occurs in Rime's essay (the pinyin lexicon's source). People write common characters far more
 *   often than rare ones, so between two similar shapes the common one is the better guess.
 *
 * k, the weights and λ were chosen on characters the benchmark does not score (frequency ranks 500–1,500
 * and 2,500–3,500; README "Input engines"): the best top-5 there whose top-1 is no worse than the Chinese
 * model's alone (an equal weight and a larger k lifted top-5 as much but cost rare characters a third of
 * their first places).
 */
export interface FusionOptions {
  /** RRF's k: how flat the rank weights are (larger: lower ranks count more). Default 1. */
  k?: number;
  /** Weight of the frequency prior relative to a first place's 1 / (k + 1). Default 0.05. */
  lambda?: number;
}

export const DEFAULT_FUSION: Required<FusionOptions> = { k: 1, lambda: 0.05 };

/** One model's answers, best first, with the weight its ranks carry (the primary model's is 1). */
export interface RankedList {
  texts: readonly string[];
  weight: number;
}

/** How common a character is, 0 (never seen) … 1 (the most common); see `characterPrior`. */
export type CharacterPrior = (character: string) => number;

/** No prior: every character equally likely (the essay could not be read). */
export const NO_PRIOR: CharacterPrior = () => 0;

/**
 * Fuses ranked candidate lists (best first; each list from one model, already in the script the kiosk
 * writes) into one list, best first, without duplicates, at most `limit` long. Empty strings are dropped.
 */
export function fuseCandidates(lists: readonly RankedList[], prior: CharacterPrior, limit: number, options: FusionOptions = {}): string[] {
  const { k, lambda } = { ...DEFAULT_FUSION, ...options };
  const scores = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.texts.forEach((text, index) => {
      if (text.length === 0 || seen.has(text)) return;
      seen.add(text);
      scores.set(text, (scores.get(text) ?? 0) + list.weight / (k + index + 1));
    });
  }
  return [...scores]
    .map(([text, score]) => ({ text, score: score + lambda * prior(text) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((entry) => entry.text);
}

/**
 * How often each single Han character occurs in Rime's essay.txt (word<TAB>count lines, Traditional
 * characters): converted to Simplified with OpenCC, counts of characters that convert to the same one added.
 * Lines that are not one Han character are ignored. The handwriting prior and its benchmark's character set
 * both come from this.
 */
export function simplifiedCharacterCounts(essayText: string): Map<string, number> {
  const toSimplified = Converter({ from: 't', to: 'cn' });
  const counts = new Map<string, number>();
  for (const word of parseEssay(essayText).items) {
    if ([...word.text].length !== 1) continue;
    const character = toSimplified(word.text);
    if (!/^\p{Script=Han}$/u.test(character)) continue;
    counts.set(character, (counts.get(character) ?? 0) + word.count);
  }
  return counts;
}

/** The prior from the text of Rime's essay.txt: `simplifiedCharacterCounts`, log-scaled to 0…1. */
export function characterPrior(essayText: string): CharacterPrior {
  const counts = simplifiedCharacterCounts(essayText);
  const largest = Math.log1p(Math.max(0, ...counts.values()));
  if (largest === 0) return NO_PRIOR;
  return (character) => Math.log1p(counts.get(character) ?? 0) / largest;
}

/** The script a model writes, and how its answers become Simplified Chinese. */
export type ModelScript = 'zh-CN' | 'ja';

/**
 * Maps one model's answers to Simplified Chinese characters: a Japanese model's kanji through OpenCC's
 * Japanese Shinjitai → Simplified tables (this: 為 → 为, 雑 → 杂); kana and anything not a single Han
 * character dropped (a citizen writing Chinese never means あ).
 */
export function toSimplifiedAnswers(script: ModelScript): (answers: readonly string[]) => string[] {
  if (script === 'zh-CN') return (answers) => answers.filter((text) => text.length > 0);
  const fromJapanese = Converter({ from: 'jp', to: 'cn' });
  return (answers) => answers.map((text) => fromJapanese(text)).filter((text) => /^\p{Script=Han}$/u.test(text));
}
