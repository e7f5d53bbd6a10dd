import { childOf, type PinyinIndexData } from './pinyin-index.js';

/**
 * Pinyin → Chinese candidates over the compiled lexicon (pinyin-index.ts).
 *
 * Input is full pinyin (`zhangwei`), initials (`zw`), or both (`zhangw`, `zhw`); `'` or a space forces a
 * syllable break (`xi'an`); ü is typed `v` (`lv`, `nve`). The input is read as a lattice of tokens:
 * a whole syllable, an initial (one letter, or zh/ch/sh, standing for any syllable it begins — Rime
 * Luna Pinyin's `abbrev` spelling rules) or, at the very end, an unfinished syllable (`zhangwe`). Words
 * of the lexicon span runs of tokens; a Viterbi search over word frequencies (unigram, log-probability,
 * with a penalty per initial or unfinished token) finds the best reading of the whole input, so a
 * name or an address that is no single lexicon word (`wangxiuying`, `taishanqudongyuejie`) is still
 * offered whole.
 *
 * Candidates, in order: that best whole reading; the lexicon words covering the whole input; the best
 * readings as a name (surname + one or two given-name characters, pinyin-pro surname readings); then
 * words covering fewer syllables of the best reading, longest first, each by frequency. Every
 * candidate says how many characters of the input it stands for (`consumed`, separators included),
 * so the panel can commit it and continue with `input.slice(consumed)`.
 */

export interface PinyinModel {
  words: PinyinIndexData;
  surnames: PinyinIndexData;
  givenNames: PinyinIndexData;
}

export interface PinyinCandidate {
  text: string;
  /** Characters of the input this candidate stands for (letters and separators, from the start). */
  consumed: number;
}

export interface PinyinAnswer {
  candidates: PinyinCandidate[];
  /** How many candidates there are in all (at most MAX_CANDIDATES), for paging. */
  total: number;
  /** The input as it was segmented, syllables joined by `'` (`zhang'wei`, `zh'w`). */
  syllables: string;
}

type TokenKind = 'syllable' | 'initial' | 'partial';

interface Token {
  /** Input positions: the token's letters are input[start, letterEnd); the next token starts at `end`. */
  start: number;
  letterEnd: number;
  end: number;
  kind: TokenKind;
  /** Sorted ids of the syllables the token stands for. */
  ids: readonly number[];
  cost: number;
}

interface Edge {
  start: number;
  end: number;
  /** Trie node of the word(s) the tokens spell. */
  node: number;
  cost: number;
  tokens: Token[];
}

/** Most candidates one input yields (more is never read; paging stays bounded). */
export const MAX_CANDIDATES = 400;
/** Longest Mandarin syllable in letters (zhuang, shuang). */
const MAX_SYLLABLE_LETTERS = 6;
/** Penalties in natural-log units: an initial stands for many syllables, so it must earn its place. */
const COST: Record<TokenKind, number> = { syllable: 0, initial: 3, partial: 1.5 };
/** Bounds the trie walk from one position (pathological initials-only input). */
const MAX_WALK_STATES = 20_000;
const SEPARATOR = /['\s]/;
const WHOLE_WORDS_BEFORE_NAMES = 3;
const NAME_CANDIDATES = 2;

export class PinyinEngine {
  private readonly idOf: Map<string, number>;
  /** Prefix → ids of the syllables that begin with it (every prefix of every syllable). */
  private readonly byPrefix = new Map<string, number[]>();
  private readonly logTotal: number;
  private readonly logSurnameTotal: number;
  private readonly logGivenTotal: number;
  private readonly recent = new Map<string, { list: PinyinCandidate[]; syllables: string }>();

  constructor(private readonly model: PinyinModel) {
    const syllables = model.words.syllables;
    this.idOf = new Map(syllables.map((syllable, id) => [syllable, id]));
    syllables.forEach((syllable, id) => {
      for (let length = 1; length <= syllable.length; length++) {
        const prefix = syllable.slice(0, length);
        const list = this.byPrefix.get(prefix) ?? [];
        list.push(id);
        this.byPrefix.set(prefix, list);
      }
    });
    this.logTotal = Math.log(sum(model.words.weights) + 1);
    this.logSurnameTotal = Math.log(sum(model.surnames.weights));
    this.logGivenTotal = Math.log(sum(model.givenNames.weights));
  }

  /**
   * Candidates offset … offset+limit-1 for `input` (lowercase a–z, `'` and spaces; the channel checks
   * that). An input no token can start (`i`, `u`, `v` first) has no candidates.
   */
  candidates(input: string, offset: number, limit: number): PinyinAnswer {
    const { list, syllables } = this.listFor(input);
    return { candidates: list.slice(offset, offset + limit), total: list.length, syllables };
  }

  private listFor(input: string): { list: PinyinCandidate[]; syllables: string } {
    const cached = this.recent.get(input);
    if (cached) return cached;
    const result = this.compute(input);
    this.recent.set(input, result);
    // Paging asks the same input again; a few recent inputs are enough (the citizen types forwards).
    if (this.recent.size > 16) this.recent.delete(this.recent.keys().next().value ?? '');
    return result;
  }

  private compute(input: string): { list: PinyinCandidate[]; syllables: string } {
    const tokensAt = this.tokenize(input);
    const first = skipSeparators(input, 0);
    const n = input.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const back: (Edge | null)[] = new Array<Edge | null>(n + 1).fill(null);
    best[first] = 0;
    const edgesFromFirst: Edge[] = [];
    for (let position = first; position < n; position++) {
      const here = best[position] ?? -Infinity;
      if (here === -Infinity) continue;
      const edges = this.walk(this.model.words, tokensAt, position);
      if (position === first) edgesFromFirst.push(...edges);
      for (const edge of edges) {
        const score = here + this.edgeScore(edge);
        if (score > (best[edge.end] ?? -Infinity)) {
          best[edge.end] = score;
          back[edge.end] = edge;
        }
      }
    }
    let reach = n;
    while (reach > first && (best[reach] ?? -Infinity) === -Infinity) reach--;
    if (reach === first) return { list: [], syllables: input.slice(first) };

    const path: Edge[] = [];
    for (let position = reach; position > first; ) {
      const edge = back[position];
      if (!edge) break;
      path.unshift(edge);
      position = edge.start;
    }
    const pathTokens = path.flatMap((edge) => edge.tokens);
    const boundaries = new Set(pathTokens.map((token) => token.end));
    const syllables = [...pathTokens.map((token) => input.slice(token.start, token.letterEnd)), ...(reach < n ? [input.slice(reach)] : [])].join("'");

    const words = edgesFromFirst
      .filter((edge) => boundaries.has(edge.end))
      .flatMap((edge) => this.entriesOf(this.model.words, edge).map((entry) => ({ text: entry.text, consumed: edge.end, score: Math.log(entry.weight + 1) - edge.cost })))
      .sort((a, b) => b.consumed - a.consumed || b.score - a.score);
    const whole = words.filter((word) => word.consumed === reach);
    const list: PinyinCandidate[] = [];
    const seen = new Set<string>();
    const offer = (text: string, consumed: number) => {
      if (seen.has(text) || list.length >= MAX_CANDIDATES) return;
      seen.add(text);
      list.push({ text, consumed });
    };
    if (path.length > 1) offer(path.map((edge) => this.topEntry(this.model.words, edge.node)).join(''), reach);
    for (const word of whole.slice(0, WHOLE_WORDS_BEFORE_NAMES)) offer(word.text, word.consumed);
    for (const name of this.names(tokensAt, first, reach, boundaries)) offer(name, reach);
    for (const word of words) offer(word.text, word.consumed);
    return { list, syllables };
  }

  /** Tokens that start at each letter position of the input. */
  private tokenize(input: string): Token[][] {
    const n = input.length;
    const tokensAt: Token[][] = Array.from({ length: n + 1 }, () => []);
    for (let start = 0; start < n; start++) {
      if (SEPARATOR.test(input[start] ?? '')) continue;
      let runEnd = start;
      while (runEnd < n && !SEPARATOR.test(input[runEnd] ?? '')) runEnd++;
      for (let length = 1; length <= Math.min(MAX_SYLLABLE_LETTERS, runEnd - start); length++) {
        const letterEnd = start + length;
        const text = input.slice(start, letterEnd);
        const end = skipSeparators(input, letterEnd);
        const atInputEnd = letterEnd === n;
        const whole = this.idOf.get(text);
        const longer = (this.byPrefix.get(text) ?? []).filter((id) => id !== whole);
        const push = (kind: TokenKind, ids: readonly number[]) => tokensAt[start]?.push({ start, letterEnd, end, kind, ids, cost: COST[kind] });
        if (whole !== undefined) push('syllable', [whole]);
        if (longer.length === 0) continue;
        if (length === 1 || text === 'zh' || text === 'ch' || text === 'sh') push('initial', longer);
        else if (atInputEnd) push('partial', longer);
      }
    }
    return tokensAt;
  }

  /** Every run of tokens from `start` that spells a path in the trie and ends on a node with words. */
  private walk(index: PinyinIndexData, tokensAt: readonly Token[][], start: number): Edge[] {
    const edges: Edge[] = [];
    const stack: { node: number; position: number; cost: number; tokens: Token[] }[] = [{ node: 0, position: start, cost: 0, tokens: [] }];
    let states = 0;
    while (stack.length > 0 && states++ < MAX_WALK_STATES) {
      const state = stack.pop();
      if (!state) break;
      for (const token of tokensAt[state.position] ?? []) {
        for (const id of token.ids) {
          const node = childOf(index, state.node, id);
          if (node < 0) continue;
          const next = { node, position: token.end, cost: state.cost + token.cost, tokens: [...state.tokens, token] };
          if ((index.entryStart[node + 1] ?? 0) > (index.entryStart[node] ?? 0)) edges.push({ start, end: token.end, node, cost: next.cost, tokens: next.tokens });
          if ((index.childStart[node + 1] ?? 0) > (index.childStart[node] ?? 0)) stack.push(next);
        }
      }
    }
    return edges;
  }

  private edgeScore(edge: Edge): number {
    const top = this.model.words.entryIds[this.model.words.entryStart[edge.node] ?? 0] ?? 0;
    return Math.log((this.model.words.weights[top] ?? 0) + 1) - this.logTotal - edge.cost;
  }

  private topEntry(index: PinyinIndexData, node: number): string {
    return index.texts[index.entryIds[index.entryStart[node] ?? 0] ?? 0] ?? '';
  }

  private entriesOf(index: PinyinIndexData, edge: Edge): { text: string; weight: number }[] {
    const entries: { text: string; weight: number }[] = [];
    for (let slot = index.entryStart[edge.node] ?? 0; slot < (index.entryStart[edge.node + 1] ?? 0); slot++) {
      const id = index.entryIds[slot] ?? 0;
      entries.push({ text: index.texts[id] ?? '', weight: index.weights[id] ?? 0 });
    }
    return entries;
  }

  /**
   * The best readings of input[first, reach) as surname + one or two given-name characters, split where
   * the best reading splits the syllables (so `zhang` is never read z + hang as 赵航).
   */
  private names(tokensAt: readonly Token[][], first: number, reach: number, boundaries: ReadonlySet<number>): string[] {
    const readings: { text: string; score: number }[] = [];
    const aligned = tokensAt.map((tokens) => tokens.filter((token) => boundaries.has(token.end)));
    for (const surname of this.walk(this.model.surnames, aligned, first)) {
      const surnameScores = this.entriesOf(this.model.surnames, surname).map((entry) => ({ text: entry.text, score: Math.log(entry.weight) - this.logSurnameTotal - surname.cost }));
      const given = this.givenNameTails(aligned, surname.end, reach, 2);
      for (const head of surnameScores.slice(0, 3)) for (const tail of given) readings.push({ text: head.text + tail.text, score: head.score + tail.score });
    }
    return readings
      .sort((a, b) => b.score - a.score)
      .slice(0, NAME_CANDIDATES)
      .map((reading) => reading.text);
  }

  /** Best strings of `count` or fewer given-name characters spelling input[from, reach) exactly. */
  private givenNameTails(tokensAt: readonly Token[][], from: number, reach: number, count: number): { text: string; score: number }[] {
    if (count === 0 || from >= reach) return [];
    const tails: { text: string; score: number }[] = [];
    for (const edge of this.walk(this.model.givenNames, tokensAt, from)) {
      if (edge.tokens.length !== 1) continue;
      const heads = this.entriesOf(this.model.givenNames, edge)
        .slice(0, 4)
        .map((entry) => ({ text: entry.text, score: Math.log(entry.weight) - this.logGivenTotal - edge.cost }));
      if (edge.end === reach) tails.push(...heads);
      else for (const head of heads) for (const rest of this.givenNameTails(tokensAt, edge.end, reach, count - 1)) tails.push({ text: head.text + rest.text, score: head.score + rest.score });
    }
    return tails.sort((a, b) => b.score - a.score).slice(0, 4);
  }
}

function skipSeparators(input: string, position: number): number {
  let at = position;
  while (at < input.length && SEPARATOR.test(input[at] ?? '')) at++;
  return at;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
