import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../contract/catalog.js';
import { loadCatalog } from '../../../catalog/load.js';
import { TIER, createSearchIndex, normalise } from '../../../catalog/search.js';
import { STAGES } from '../../../catalog/taxonomy.js';

const catalog = loadCatalog();
const index = createSearchIndex(catalog);
const top = (query: string) => index.search(query, 1)[0]?.service.id;
const ids = (query: string, limit = 10) => index.search(query, limit).map((hit) => hit.service.id);

describe('Catalog search', () => {
  it('finds a service by its pinyin initials, also partial ones', () => {
    expect(top('csyjs')).toBe('birth-one-thing');
    expect(top('lnrydz')).toBe('senior-preferential-card');
    expect(top('qykb')).toBe('enterprise-opening-one-thing');
    expect(ids('gjj')).toEqual(expect.arrayContaining(['provident-fund-rent-withdrawal', 'provident-fund-loan']));
  });

  it('finds a service by full pinyin with or without spaces, and by mixed syllables', () => {
    expect(top('chushengyijianshi')).toBe('birth-one-thing');
    expect(top('chu sheng yi jian shi')).toBe('birth-one-thing');
    expect(top('chushengyjs')).toBe('birth-one-thing');
    expect(top('yidijiuyi')).toBe('out-of-town-medical-filing');
    expect(top('CHUSHENG')).toBe(index.search('chusheng', 1)[0]?.service.id);
  });

  it('finds a service by its name in hanzi, exact before prefix before contains', () => {
    const exact = index.search('出生一件事', 1)[0];
    expect(exact?.service.id).toBe('birth-one-thing');
    expect(exact?.score).toBeGreaterThanOrEqual(TIER.exactName);
    const hits = index.search('居住证');
    expect(hits[0]?.service.id).toBe('residence-permit');
    expect(hits[0]?.score).toBeGreaterThanOrEqual(TIER.namePrefix);
    expect(ids('异地就医')[0]).toBe('out-of-town-medical-filing');
  });

  it('finds services by everyday words through keywords and synonyms', () => {
    expect(top('生孩子')).toBe('birth-one-thing');
    expect(top('开公司')).toBe('enterprise-opening-one-thing');
    expect(top('我要开公司')).toBe('enterprise-opening-one-thing');
    expect(ids('退休', 5)).toEqual(expect.arrayContaining(['employee-retirement-one-thing', 'resident-pension-enrolment', 'pension-qualification-certification']));
    expect(ids('看病报销', 5)).toEqual(expect.arrayContaining(['out-of-town-medical-filing', 'manual-medical-reimbursement']));
    expect(top('shenghaizi')).toBe('birth-one-thing');
  });

  it('ranks a keyword above a synonym and a synonym above a bundled item', () => {
    // One service per tier; the coverage bonus (query share of the target, × 40) orders within a tier only.
    const sample = Catalog.parse({
      version: 't',
      stages: STAGES,
      synonyms: { 老人: ['乙事项'] },
      services: [
        { ...catalog.services[0], id: 'item-only', code: 'T-0001', name: '甲事项', keywords: [], items: [{ name: '老人照护登记', department: '测试部门' }] },
        { ...catalog.services[0], id: 'synonym', code: 'T-0002', name: '乙事项', keywords: [] },
        { ...catalog.services[0], id: 'keyword', code: 'T-0003', name: '丙事项', keywords: ['老人'] },
      ],
    });
    const hits = createSearchIndex(sample).search('老人');
    expect(hits.map((hit) => hit.service.id)).toEqual(['keyword', 'synonym', 'item-only']);
    expect(hits.map((hit) => hit.score)).toEqual([TIER.keywordExact + 40, TIER.synonym + 40, TIER.item + Math.round((2 / 6) * 40)]);
  });

  it('returns nothing for empty or unmatched input', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('qqqqq')).toEqual([]);
    expect(index.search('火星移民')).toEqual([]);
  });

  it('returns summaries only, at most `limit`, best first', () => {
    const hits = index.search('s', 5);
    expect(hits).toHaveLength(5);
    for (const [position, hit] of hits.entries()) {
      expect(Object.keys(hit.service).sort()).toEqual(['approval', 'channel', 'id', 'lifeCycle', 'name', 'stage', 'summary']);
      if (position > 0) expect(hit.score).toBeLessThanOrEqual(hits[position - 1]?.score ?? Infinity);
    }
  });

  it('folds full-width letters, spaces, apostrophes and ü from on-screen keyboards', () => {
    expect(normalise(' Ｃｈｕ’sheng  Yi ')).toBe('chushengyi');
    expect(normalise('lü')).toBe('lv');
    expect(top('ｃｓｙｊｓ')).toBe('birth-one-thing');
  });
});
