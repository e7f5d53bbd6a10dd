import { Converter } from 'opencc-js';
import { parseEssay } from './rime-source.js';

/**
 * Combining the answers of several handwriting models into one candidate list (issue 9: the Tegaki
 * Simplified Chinese model alone puts the written character in its top 5 for 0.82 of the 500 most frequent
 * characters; README "Input engines" has the figures).
 *
 * - **Score fusion after a softmax per model**: each model's answers (Zinnia's SVM scores, higher better)
 *   become shares of 1 by a softmax at temperature T over that model's own list,
 *   p_i = exp((s_i − s_max) / T) / Σ_j exp((s_j − s_max) / T), so a model sure of its first answer gives it
 *   nearly all its weight and an unsure one spreads it. A candidate scores Σ w · p over the models that
 *   propose it (w the model's weight, the primary's 1). The raw scores of two SVM models are not on one
 *   scale; their shares are. This replaced weighted reciprocal rank fusion (Cormack, Clarke & Büttcher,
 *   SIGIR 2009), which throws the margins away: ranks say 击 is first and 出 second whether the model is
 *   torn between them or sure of 击 (README: top-1 0.706 → 0.784 at the same top-5).
 * - **A frequency prior**: + λ · log(1 + count) / log(1 + largest count), counts being how often the
 *   character occurs in Rime's essay (the pinyin lexicon's source). People write common characters far more
 *   often than rare ones, so between two similar shapes the common one is the better guess.
 *
 * T, the Japanese model's weight, λ and the candidates per model were chosen on characters the benchmark
 * does not score (frequency ranks 500–1,500 and 2,500–3,500, three jitter seeds; README "Input engines"): of
 * the settings within 0.001 of the best top-5 there, the best top-1. Top-1 rose on every set, rare
 * characters (names) included.
 */
export interface FusionOptions {
  /** Softmax temperature over a model's SVM scores (smaller: its first answer takes more). Default 0.5. */
  temperature?: number;
  /** Weight of the frequency prior against a model’s share of 1. Default 0.05. */
  lambda?: number;
}

export const DEFAULT_FUSION: Required<FusionOptions> = { temperature: 0.5, lambda: 0.05 };

/** One model's answer: a character and the model's score for it (higher is better, this model's scale). */
export interface ScoredAnswer {
  text: string;
  score: number;
}

/** One model's answers, best first, with the weight its share carries (the primary model's is 1). */
export interface ScoredList {
  answers: readonly ScoredAnswer[];
  weight: number;
}

/** How common a character is, 0 (never seen) … 1 (the most common); see `characterPrior`. */
export type CharacterPrior = (character: string) => number;

/** No prior: every character equally likely (the essay could not be read). */
export const NO_PRIOR: CharacterPrior = () => 0;

/**
 * Fuses scored candidate lists (each list from one model, already in the script the kiosk writes) into one
 * list, best first, without duplicates, at most `limit` long. Empty strings are dropped; a character twice
 * in one list counts once, at its better score. Non-finite scores are dropped (a model's bad answer must not
 * make every share NaN).
 */
export function fuseCandidates(lists: readonly ScoredList[], prior: CharacterPrior, limit: number, options: FusionOptions = {}): string[] {
  const { temperature, lambda } = { ...DEFAULT_FUSION, ...options };
  const scores = new Map<string, number>();
  for (const list of lists) {
    const best = new Map<string, number>();
    for (const answer of list.answers) {
      if (answer.text.length === 0 || !Number.isFinite(answer.score)) continue;
      best.set(answer.text, Math.max(best.get(answer.text) ?? -Infinity, answer.score));
    }
    if (best.size === 0) continue;
    const top = Math.max(...best.values());
    const weights = [...best].map(([text, score]) => [text, Math.exp((score - top) / temperature)] as const);
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [text, weight] of weights) scores.set(text, (scores.get(text) ?? 0) + (list.weight * weight) / total);
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
 * Maps one model's answers (with their scores, order kept) to Simplified Chinese characters: a Japanese
 * model's kanji through OpenCC's Japanese Shinjitai → Simplified tables (this: 為 → 为, 雑 → 杂); kana and
 * anything not a single Han character dropped (a citizen writing Chinese never means あ).
 */
export function toSimplifiedAnswers(script: ModelScript): (answers: readonly ScoredAnswer[]) => ScoredAnswer[] {
  if (script === 'zh-CN') return (answers) => answers.filter((answer) => answer.text.length > 0);
  const fromJapanese = Converter({ from: 'jp', to: 'cn' });
  return (answers) => answers.map((answer) => ({ text: fromJapanese(answer.text), score: answer.score })).filter((answer) => /^\p{Script=Han}$/u.test(answer.text));
}
