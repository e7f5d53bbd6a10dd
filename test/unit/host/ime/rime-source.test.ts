import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEssay, parseLunaDict } from '../../../../host/services/ime/rime-source.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/ime/${name}`, import.meta.url), 'utf8');

describe('parseEssay', () => {
  it('reads word and count from each line of the Rime essay excerpt', () => {
    const { items, skipped } = parseEssay(fixture('essay.txt'));
    expect(skipped).toBe(0);
    expect(items).toContainEqual({ text: '張偉', count: 947 });
    expect(items).toContainEqual({ text: '爲', count: 211329 });
  });

  it('skips and counts malformed lines instead of throwing', () => {
    const { items, skipped } = parseEssay('好\t12\n壞\n負\t-3\n多\t1\t2\n\n# comment\n');
    expect(items).toEqual([{ text: '好', count: 12 }]);
    expect(skipped).toBe(3);
  });
});

describe('parseLunaDict', () => {
  it('reads the body after the YAML end marker, with reading shares', () => {
    const { items, skipped } = parseLunaDict(fixture('luna_pinyin.dict.yaml'));
    expect(skipped).toBe(0);
    const shares = Object.fromEntries(items.filter((item) => item.text === '行').map((item) => [item.syllables.join(' '), item.share]));
    expect(shares.xing).toBeCloseTo(0.9178, 6);
    expect(shares.hang).toBeCloseTo(0.0822, 6);
    expect(items).toContainEqual({ text: '銀行', syllables: ['yin', 'hang'], share: null });
  });

  it('treats a bare number as no share and skips lines with a malformed code', () => {
    const { items, skipped } = parseLunaDict('---\nname: x\n...\n\n繰\tzao\t0\n錯\tZHANG\n錯\tzh4ng\n空\n');
    expect(items).toEqual([{ text: '繰', syllables: ['zao'], share: null }]);
    expect(skipped).toBe(3);
  });

  it('returns nothing for a file without the end marker', () => {
    expect(parseLunaDict('張\tzhang\n')).toEqual({ items: [], skipped: 0 });
  });
});
