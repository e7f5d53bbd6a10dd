import { pinyin } from 'pinyin-pro';
import type { Catalog, Service, ServiceSummary } from '../contract/catalog.js';

/**
 * Search for a kiosk without a physical keyboard: the on-screen keyboard sends hanzi (handwriting or
 * pinyin IME) or lower-case latin. Latin is matched as pinyin: full ("chushengyijianshi", with or without
 * spaces), initials ("csyjs") or any mix of syllable prefixes ("chusyjs"). Everyday words reach services
 * through their keywords and `synonyms.json`.
 *
 * Ranking, best first (DOMAIN.md asks for the service in seconds, so the likely one must be on top):
 * exact name > name prefix > name contains > keyword > synonym > bundled item > fuzzy. Within a tier, the
 * larger the share of the target the query covers, the higher; ties keep catalog order.
 *
 * Pinyin is computed once when the index is built, so a query costs string comparisons only.
 */

export interface SearchHit {
  service: ServiceSummary;
  score: number;
}

export interface SearchIndex {
  /** Hits, best first; an empty or unmatched query gives `[]`. */
  search(query: string, limit?: number): SearchHit[];
}

/** Tier floors; a hit's score is its tier plus up to `COVERAGE_BONUS` for how much of the target it covers. */
export const TIER = {
  exactName: 1000,
  namePrefix: 800,
  nameContains: 700,
  keywordExact: 600,
  keywordPrefix: 550,
  keywordContains: 500,
  synonym: 400,
  item: 300,
  fuzzy: 100,
} as const;
const COVERAGE_BONUS = 40;

/** One searchable string with its pinyin precomputed. */
interface Target {
  /** Normalised text (lower-case, no spaces). */
  text: string;
  /** One entry per character of hanzi; latin and digit runs stay whole. */
  syllables: string[];
  /** Syllables joined: full pinyin. */
  full: string;
  /** First letter of each syllable. */
  initials: string;
}

interface Entry {
  order: number;
  summary: ServiceSummary;
  name: Target;
  keywords: Target[];
  items: Target[];
  /** Summary text for the fuzzy tier (hanzi only). */
  summaryText: string;
}

interface SynonymEntry {
  key: Target;
  /** Entries (by order) that the synonym's words lead to. */
  orders: number[];
}

type Match = 'exact' | 'prefix' | 'contains' | 'fuzzy';

const HAN = /\p{Script=Han}/u;

/** NFKC folds full-width latin and digits; spaces and apostrophes separate pinyin syllables only. */
export function normalise(query: string): string {
  return query
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ü/g, 'v')
    .replace(/[\s'’·,，.。、\-_/]+/g, '');
}

function syllablesOf(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .map((syllable) => normalise(syllable))
    .filter((syllable) => syllable !== '');
}

function target(raw: string): Target {
  const text = normalise(raw);
  const syllables = syllablesOf(text);
  return { text, syllables, full: syllables.join(''), initials: syllables.map((syllable) => syllable[0] ?? '').join('') };
}

/** A pinyin keyboard writes ü as v, but people also type u: `lu` finds 律 (lv). */
const sameLetter = (typed: string | undefined, indexed: string | undefined) => typed === indexed || (typed === 'u' && indexed === 'v');

/**
 * Can `query` be split into non-empty prefixes of consecutive syllables starting at `start`? Returns how
 * many syllables the match spans, or 0. Tracks the set of query positions reachable after each syllable,
 * which stays tiny because every step must match letters.
 */
function spanFrom(query: string, syllables: readonly string[], start: number): number {
  let reachable = [0];
  for (let index = start; index < syllables.length && reachable.length > 0; index++) {
    const syllable = syllables[index] ?? '';
    const next = new Set<number>();
    for (const position of reachable) {
      for (let length = 1; length <= syllable.length && position + length <= query.length; length++) {
        if (!sameLetter(query[position + length - 1], syllable[length - 1])) break;
        next.add(position + length);
      }
    }
    if (next.has(query.length)) return index - start + 1;
    reachable = [...next];
  }
  return 0;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let position = 0;
  for (const char of haystack) {
    if (char === needle[position]) position++;
    if (position === needle.length) return true;
  }
  return false;
}

/** How a latin query matches a target's pinyin, and the share of the target it covers. */
function matchPinyin(query: string, subject: Target): { match: Match; coverage: number } | null {
  const count = subject.syllables.length;
  if (count === 0 || !subject.initials.includes(query[0] ?? '')) return null;
  if (query === subject.full || query === subject.initials) return { match: 'exact', coverage: 1 };
  for (let start = 0; start < count; start++) {
    if (!sameLetter(query[0], subject.syllables[start]?.[0])) continue;
    const span = spanFrom(query, subject.syllables, start);
    if (span === 0) continue;
    if (start === 0 && span === count) return { match: 'exact', coverage: 1 };
    return { match: start === 0 ? 'prefix' : 'contains', coverage: span / count };
  }
  if (query.length >= 2 && isSubsequence(query, subject.initials)) return { match: 'fuzzy', coverage: query.length / count };
  return null;
}

/** How a hanzi (or mixed) query matches a target's text. */
function matchText(query: string, subject: Target, allowInverse: boolean): { match: Match; coverage: number } | null {
  const text = subject.text;
  if (text === '') return null;
  if (query === text) return { match: 'exact', coverage: 1 };
  if (text.startsWith(query)) return { match: 'prefix', coverage: query.length / text.length };
  if (text.includes(query)) return { match: 'contains', coverage: query.length / text.length };
  // "我要开公司" contains the keyword "开公司": a sentence typed by hand still finds its words.
  if (allowInverse && text.length >= 2 && query.includes(text)) return { match: 'contains', coverage: text.length / query.length };
  if (query.length >= 2 && isSubsequence(query, text)) return { match: 'fuzzy', coverage: query.length / text.length };
  return null;
}

function summaryOf(service: Service): ServiceSummary {
  const { id, name, lifeCycle, stage, summary, channel, approval } = service;
  return { id, name, lifeCycle, stage, summary, channel, approval };
}

/** Builds the index once per catalog version; pinyin for every name, keyword, item and synonym. */
export function createSearchIndex(catalog: Catalog): SearchIndex {
  const entries: Entry[] = catalog.services.map((service, order) => ({
    order,
    summary: summaryOf(service),
    name: target(service.name),
    keywords: service.keywords.map(target),
    items: service.items.filter((item) => item.name !== service.name).map((item) => target(item.name)),
    summaryText: normalise(service.summary),
  }));

  // A synonym leads to the services whose name, keywords or items contain one of its words.
  const synonyms: SynonymEntry[] = Object.entries(catalog.synonyms).map(([word, words]) => {
    const wanted = words.map(normalise).filter((text) => text !== '');
    const orders = entries
      .filter((entry) => [entry.name, ...entry.keywords, ...entry.items].some((subject) => wanted.some((text) => subject.text.includes(text))))
      .map((entry) => entry.order);
    return { key: target(word), orders };
  });

  function search(query: string, limit = 10): SearchHit[] {
    let normalised = normalise(query);
    if (normalised === '' || limit <= 0) return [];
    const hasHan = HAN.test(normalised);
    // Mixed input ("出生yjs") is matched as pinyin throughout.
    const latin = hasHan && /[a-z]/.test(normalised) ? syllablesOf(normalised).join('') : hasHan ? null : normalised;
    if (latin !== null) normalised = latin;

    const match = (subject: Target, inverse: boolean) => (latin === null ? matchText(normalised, subject, inverse) : matchPinyin(latin, subject));
    const best = new Map<number, number>();
    const offer = (order: number, score: number) => {
      if (score > (best.get(order) ?? 0)) best.set(order, score);
    };
    const scored = (tier: number, coverage: number) => tier + Math.round(Math.min(1, coverage) * COVERAGE_BONUS);

    for (const entry of entries) {
      const name = match(entry.name, false);
      if (name) {
        const tier = { exact: TIER.exactName, prefix: TIER.namePrefix, contains: TIER.nameContains, fuzzy: TIER.fuzzy }[name.match];
        offer(entry.order, scored(tier, name.coverage));
        if (name.match !== 'fuzzy') continue;
      }
      for (const keyword of entry.keywords) {
        const hit = match(keyword, true);
        if (!hit || hit.match === 'fuzzy') continue;
        const tier = { exact: TIER.keywordExact, prefix: TIER.keywordPrefix, contains: TIER.keywordContains }[hit.match];
        offer(entry.order, scored(tier, hit.coverage));
      }
      for (const item of entry.items) {
        const hit = match(item, false);
        if (hit && hit.match !== 'fuzzy') offer(entry.order, scored(TIER.item, hit.coverage));
      }
      if (latin === null && normalised.length >= 2 && entry.summaryText.includes(normalised)) offer(entry.order, TIER.fuzzy);
    }

    for (const synonym of synonyms) {
      const hit = match(synonym.key, true);
      if (!hit || hit.match === 'fuzzy') continue;
      const score = scored(TIER.synonym, hit.coverage);
      for (const order of synonym.orders) offer(order, score);
    }

    return [...best.entries()]
      .sort(([orderA, scoreA], [orderB, scoreB]) => scoreB - scoreA || orderA - orderB)
      .slice(0, limit)
      .map(([order, score]) => ({ service: (entries[order] as Entry).summary, score }));
  }

  return { search };
}
