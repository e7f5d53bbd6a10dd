import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { childOf, compileIndex, isPinyinIndexData } from '../../../../host/services/ime/pinyin-index.js';

const entries = [
  { text: '张伟', syllables: ['zhang', 'wei'], weight: 947 },
  { text: '张', syllables: ['zhang'], weight: 28350 },
  { text: '长', syllables: ['zhang'], weight: 9575 },
  { text: '张维', syllables: ['zhang', 'wei'], weight: 120 },
  { text: '为', syllables: ['wei'], weight: 212013 },
];

function wordsAt(index: ReturnType<typeof compileIndex>, path: string[]): string[] {
  let node = 0;
  for (const syllable of path) node = childOf(index, node, index.syllables.indexOf(syllable));
  if (node < 0) return [];
  return Array.from(index.entryIds.subarray(index.entryStart[node], index.entryStart[node + 1]), (id) => index.texts[id] ?? '');
}

describe('compileIndex', () => {
  it('puts each word at the node its syllables reach, heaviest first', () => {
    const index = compileIndex(entries);
    expect(index.syllables).toEqual(['wei', 'zhang']);
    expect(wordsAt(index, ['zhang'])).toEqual(['张', '长']);
    expect(wordsAt(index, ['zhang', 'wei'])).toEqual(['张伟', '张维']);
    expect(wordsAt(index, ['wei'])).toEqual(['为']);
    expect(wordsAt(index, ['wei', 'zhang'])).toEqual([]);
  });

  it('survives a v8 round trip as the cache file stores it, and the shape check accepts it', () => {
    const copy = deserialize(serialize(compileIndex(entries))) as unknown;
    expect(isPinyinIndexData(copy)).toBe(true);
    if (isPinyinIndexData(copy)) expect(wordsAt(copy, ['zhang', 'wei'])).toEqual(['张伟', '张维']);
  });

  it('rejects a damaged index (lengths that disagree)', () => {
    const index = compileIndex(entries);
    expect(isPinyinIndexData({ ...index, entryIds: index.entryIds.subarray(1) })).toBe(false);
    expect(isPinyinIndexData({ ...index, weights: [1, 2] })).toBe(false);
    expect(isPinyinIndexData(null)).toBe(false);
  });
});
