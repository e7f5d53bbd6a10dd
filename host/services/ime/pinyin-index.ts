import type { LexiconEntry } from './lexicon.js';

/**
 * A syllable trie over a lexicon, in flat typed arrays so that it is compact (≈ 330k words in a few
 * MB) and can be written to `<dataDir>` and read back in one step.
 *
 * Node 0 is the root. Node n's children are slots childStart[n] … childStart[n+1]-1, sorted by
 * syllable id (binary search); its words are slots entryStart[n] … entryStart[n+1]-1 of entryIds,
 * heaviest first. A word sits at the node reached by its syllables from the root.
 */
export interface PinyinIndexData {
  /** Sorted syllables; a syllable's id is its position. */
  syllables: string[];
  texts: string[];
  weights: Float64Array;
  childStart: Int32Array;
  childSyllable: Uint16Array;
  childNode: Int32Array;
  entryStart: Int32Array;
  entryIds: Int32Array;
}

/** The sorted syllables of several lexicons, so that their indexes share syllable ids. */
export function syllableTable(...lists: readonly (readonly LexiconEntry[])[]): string[] {
  const all = new Set<string>();
  for (const list of lists) for (const entry of list) for (const syllable of entry.syllables) all.add(syllable);
  return [...all].sort();
}

/** `syllables` must hold every syllable of `entries` (syllableTable); ids are positions in it. */
export function compileIndex(entries: readonly LexiconEntry[], syllables: readonly string[] = syllableTable(entries)): PinyinIndexData {
  const idOf = new Map(syllables.map((syllable, id) => [syllable, id]));
  // One character per syllable (id + 1, never 0): sorting these strings sorts by syllable sequence.
  const keys = entries.map((entry) => String.fromCharCode(...entry.syllables.map((syllable) => (idOf.get(syllable) ?? 0) + 1)));
  const order = entries.map((_, index) => index);
  order.sort((a, b) => {
    const keyA = keys[a] ?? '';
    const keyB = keys[b] ?? '';
    if (keyA !== keyB) return keyA < keyB ? -1 : 1;
    return (entries[b]?.weight ?? 0) - (entries[a]?.weight ?? 0);
  });

  const rawStart: number[] = [];
  const rawCount: number[] = [];
  const rawSyllable: number[] = [];
  const rawNode: number[] = [];
  const visit: { lo: number; hi: number; depth: number }[] = [];
  const keyAt = (index: number) => keys[order[index] ?? 0] ?? '';
  let nodes = 1;
  // Depth-first over the sorted keys: a node's words are the keys that end at its depth, its children
  // the runs of keys that share the next syllable. Each node's children are reserved together.
  const pending = [{ node: 0, lo: 0, hi: order.length, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, lo, hi, depth } = next;
    visit[node] = { lo, hi, depth };
    let index = lo;
    while (index < hi && keyAt(index).length === depth) index++;
    rawStart[node] = rawSyllable.length;
    while (index < hi) {
      const code = keyAt(index).charCodeAt(depth);
      const groupStart = index;
      while (index < hi && keyAt(index).charCodeAt(depth) === code) index++;
      rawSyllable.push(code - 1);
      rawNode.push(nodes);
      pending.push({ node: nodes++, lo: groupStart, hi: index, depth: depth + 1 });
    }
    rawCount[node] = rawSyllable.length - (rawStart[node] ?? 0);
  }

  // Lay the slots out in node order so that node n's children end where node n+1's begin.
  const childStart = new Int32Array(nodes + 1);
  const childSyllable = new Uint16Array(rawSyllable.length);
  const childNode = new Int32Array(rawSyllable.length);
  const entryStart = new Int32Array(nodes + 1);
  const entryIds: number[] = [];
  let slot = 0;
  for (let node = 0; node < nodes; node++) {
    childStart[node] = slot;
    const from = rawStart[node] ?? 0;
    for (let offset = 0; offset < (rawCount[node] ?? 0); offset++, slot++) {
      childSyllable[slot] = rawSyllable[from + offset] ?? 0;
      childNode[slot] = rawNode[from + offset] ?? 0;
    }
    entryStart[node] = entryIds.length;
    const { lo, hi, depth } = visit[node] ?? { lo: 0, hi: 0, depth: 0 };
    for (let index = lo; index < hi && keyAt(index).length === depth; index++) entryIds.push(order[index] ?? 0);
  }
  childStart[nodes] = slot;
  entryStart[nodes] = entryIds.length;

  return {
    syllables: [...syllables],
    texts: entries.map((entry) => entry.text),
    weights: Float64Array.from(entries, (entry) => entry.weight),
    childStart,
    childSyllable,
    childNode,
    entryStart,
    entryIds: Int32Array.from(entryIds),
  };
}

/** The child of `node` along `syllable`, or -1 (children are sorted by syllable id). */
export function childOf(index: PinyinIndexData, node: number, syllable: number): number {
  let lo = index.childStart[node] ?? 0;
  let hi = (index.childStart[node + 1] ?? 0) - 1;
  while (lo <= hi) {
    const middle = (lo + hi) >> 1;
    const value = index.childSyllable[middle] ?? 0;
    if (value === syllable) return index.childNode[middle] ?? -1;
    if (value < syllable) lo = middle + 1;
    else hi = middle - 1;
  }
  return -1;
}

/** Checks a value read back from the cache file has the shape of an index (lengths agree). */
export function isPinyinIndexData(value: unknown): value is PinyinIndexData {
  if (typeof value !== 'object' || value === null) return false;
  const index = value as Partial<PinyinIndexData>;
  return (
    Array.isArray(index.syllables) &&
    Array.isArray(index.texts) &&
    index.weights instanceof Float64Array &&
    index.childStart instanceof Int32Array &&
    index.childSyllable instanceof Uint16Array &&
    index.childNode instanceof Int32Array &&
    index.entryStart instanceof Int32Array &&
    index.entryIds instanceof Int32Array &&
    index.weights.length === index.texts.length &&
    index.childStart.length === index.entryStart.length &&
    index.childSyllable.length === index.childNode.length &&
    index.childStart[index.childStart.length - 1] === index.childNode.length &&
    index.entryStart[index.entryStart.length - 1] === index.entryIds.length
  );
}
