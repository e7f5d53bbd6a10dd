import { beforeAll, describe, expect, it } from 'vitest';
import { PinyinCandidatesRequest } from '../../../../contract/ime.js';
import { PinyinEngine } from '../../../../host/services/ime/pinyin-engine.js';
import { fixtureLexicon, modelOf } from './fixture-model.js';

/** Over the Rime excerpts in test/fixtures/ime plus the real supplements; a fresh engine per test. */
let model: ReturnType<typeof modelOf>;
beforeAll(async () => {
  model = modelOf(await fixtureLexicon());
});
const ask = (input: string, offset = 0, limit = 10) => new PinyinEngine(model).candidates(input, offset, limit);
const texts = (input: string, limit = 10) => ask(input, 0, limit).candidates.map((candidate) => candidate.text);

describe('PinyinEngine', () => {
  it('reads full pinyin: zhangwei offers the word 张伟 for all eight letters, after the best composition', () => {
    const answer = ask('zhangwei');
    expect(answer.syllables).toBe("zhang'wei");
    // In this small excerpt 为 (212,013) outweighs the word 张伟 (947); over the whole essay 张伟 comes
    // first (test/integration/ime/pinyin.integration.test.ts).
    expect(answer.candidates.slice(0, 2)).toEqual([
      { text: '张为', consumed: 8 },
      { text: '张伟', consumed: 8 },
    ]);
  });

  it('reads initials: zw offers 作为 (more frequent) before 张伟', () => {
    const answer = ask('zw', 0, 20);
    expect(answer.syllables).toBe("z'w");
    const list = answer.candidates.map((candidate) => candidate.text);
    expect(list).toContain('张伟');
    expect(list.indexOf('作为')).toBeLessThan(list.indexOf('张伟'));
    expect(answer.candidates.every((candidate) => candidate.consumed <= 2)).toBe(true);
  });

  it('reads mixed input: zhangw and zhw both offer 张伟', () => {
    expect(ask('zhangw').syllables).toBe("zhang'w");
    expect(texts('zhangw')).toContain('张伟');
    expect(ask('zhw').syllables).toBe("zh'w");
    expect(texts('zhw', 20)).toContain('张伟');
  });

  it("honours ' and a space as syllable breaks: xi'an is 西安, xian is 先", () => {
    expect(texts("xi'an")[0]).toBe('西安');
    expect(ask("xi'an").syllables).toBe("xi'an");
    expect(texts('xi an')[0]).toBe('西安');
    expect(texts('xian')[0]).toBe('先');
    expect(ask('xian').syllables).toBe('xian');
  });

  it('reads v as ü: lv offers 绿 and 吕, nvren is 女人', () => {
    expect(texts('lv')).toEqual(expect.arrayContaining(['绿', '吕']));
    expect(texts('nvren')[0]).toBe('女人');
  });

  it('completes an unfinished last syllable: zhangwe offers 张伟', () => {
    const answer = ask('zhangwe');
    expect(answer.syllables).toBe("zhang'we");
    expect(answer.candidates).toContainEqual({ text: '张伟', consumed: 7 });
  });

  it('composes a whole address that is no single lexicon word', () => {
    expect(ask('taishanqudaizongdajie').candidates[0]).toEqual({ text: '泰山区岱宗大街', consumed: 21 });
  });

  it('offers a name reading (surname + given-name characters) among the first candidates', () => {
    expect(texts('wangxiuying', 3)).toContain('王秀英');
    expect(texts('liguilan', 5)).toContain('李桂兰');
  });

  it('reads names only along the best syllable split: zhang offers no 赵航 (z + hang)', () => {
    expect(texts('zhang', 50).filter((text) => text.length > 1)).toEqual([]);
  });

  it('ranks longer words first, then by frequency: yinhang gives 银行, then 银', () => {
    const answer = ask('yinhang', 0, 50);
    const bank = answer.candidates.findIndex((candidate) => candidate.text === '银行');
    const silver = answer.candidates.findIndex((candidate) => candidate.text === '银');
    expect(bank).toBeGreaterThanOrEqual(0);
    expect(silver).toBeGreaterThan(bank);
    expect(answer.candidates[silver]?.consumed).toBe(3);
    expect(texts('fa')[0]).toBe('发');
  });

  it('says how much input a partial candidate consumes, separators included, so typing goes on', () => {
    const sale = ask('zhangweixiaoshou', 0, 50);
    expect(sale.candidates).toContainEqual({ text: '张伟', consumed: 8 });
    expect(texts('zhangweixiaoshou'.slice(8))[0]).toBe('销售');
    const west = ask("xi'an", 0, 50).candidates.find((candidate) => candidate.text === '西');
    expect(west?.consumed).toBe(3);
    expect("xi'an".slice(west?.consumed)).toBe('an');
  });

  it('pages through one list: two pages of three are the first six, total stays', () => {
    const all = ask('x', 0, 6);
    const first = ask('x', 0, 3);
    const second = ask('x', 3, 3);
    expect([...first.candidates, ...second.candidates]).toEqual(all.candidates);
    expect(first.total).toBe(all.total);
    expect(all.total).toBe(8);
    expect(ask('x', all.total, 3).candidates).toEqual([]);
  });

  it('answers no candidates for input no syllable can start', () => {
    expect(ask('iphone')).toEqual({ candidates: [], total: 0, syllables: 'iphone' });
  });
});

describe('PinyinCandidatesRequest', () => {
  it('accepts lowercase letters, apostrophes and spaces up to 64', () => {
    expect(PinyinCandidatesRequest.safeParse({ input: "xi'an zhang" }).success).toBe(true);
    expect(PinyinCandidatesRequest.safeParse({ input: 'a'.repeat(64) }).success).toBe(true);
  });

  it.each([['Zhang'], ['张伟'], ['a-b'], ['zhang1'], [''], ['a'.repeat(65)]])('rejects %j at the boundary', (input) => {
    expect(PinyinCandidatesRequest.safeParse({ input }).success).toBe(false);
  });

  it('bounds paging', () => {
    expect(PinyinCandidatesRequest.safeParse({ input: 'a', limit: 51 }).success).toBe(false);
    expect(PinyinCandidatesRequest.safeParse({ input: 'a', offset: -1 }).success).toBe(false);
  });
});
