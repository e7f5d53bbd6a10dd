import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import type { PinyinCandidates } from '../../../contract/ime.js';
import type { Result } from '../../../contract/result.js';
import { usePinyinComposition as compose } from '../../../renderer/src/composables/use-pinyin-composition.js';

/** The host's answers, released by the test in any order. */
const pending: { input: string; offset: number; resolve: (value: Result<PinyinCandidates>) => void }[] = [];
const usePinyinComposition = (pageSize: number) =>
  compose(ref(pageSize), (request) => new Promise((resolve) => pending.push({ input: request.input, offset: request.offset, resolve })));

const answer = (text: string, consumed: number, total = 1): Result<PinyinCandidates> => ({ ok: true, value: { candidates: [{ text, consumed }], total, syllables: 'x' } });

describe('usePinyinComposition', () => {
  beforeEach(() => {
    pending.length = 0;
  });

  it('drops an answer that arrives after a later keystroke asked (regression: stale candidates for fewer letters)', async () => {
    const ime = usePinyinComposition(8);
    const first = ime.type('z');
    const second = ime.type('w');
    pending[1]?.resolve(answer('作为', 2));
    await second;
    pending[0]?.resolve(answer('在', 1));
    await first;
    expect(ime.composition.value).toBe('zw');
    expect(ime.candidates.value).toEqual([{ text: '作为', consumed: 2 }]);
  });

  it('keeps the letters a taken candidate does not stand for, without a leading break', async () => {
    const ime = usePinyinComposition(8);
    for (const key of "xi'an") void ime.type(key);
    void ime.take({ text: '西', consumed: 3 });
    expect(ime.composition.value).toBe('an');
    expect(pending.at(-1)?.input).toBe('an');
  });

  it('refuses a break at the start or twice, and letters past 64', () => {
    const ime = usePinyinComposition(8);
    expect(ime.type("'")).toBeNull();
    void ime.type('a');
    void ime.type("'");
    expect(ime.type("'")).toBeNull();
    for (let index = ime.composition.value.length; index < 64; index++) void ime.type('a');
    expect(ime.type('a')).toBeNull();
    expect(ime.composition.value).toHaveLength(64);
  });

  it('shows the host’s plain-Chinese reason when it cannot offer candidates', async () => {
    const ime = usePinyinComposition(8);
    const typed = ime.type('a');
    pending[0]?.resolve({ ok: false, error: { code: 'ime-unavailable', message: '拼音输入暂时不能使用，请点“手写”用手写输入，或请工作人员帮助。' } });
    await typed;
    expect(ime.problem.value).toContain('手写');
    expect(ime.candidates.value).toEqual([]);
  });

  describe('while the host is still building the lexicon', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('asks again by itself and shows the candidates when they come, without the citizen retyping', async () => {
      vi.useFakeTimers();
      const ime = usePinyinComposition(8);
      const typed = ime.type('z');
      pending[0]?.resolve({ ok: false, error: { code: 'ime-loading', message: '拼音输入正在准备，请稍等几秒再试，或点“手写”用手写输入。' } });
      await typed;
      expect(ime.problem.value).toContain('正在准备');
      await vi.advanceTimersByTimeAsync(1_500);
      expect(pending).toHaveLength(2);
      expect(pending[1]?.input).toBe('z');
      pending[1]?.resolve(answer('在', 1));
      await vi.waitFor(() => expect(ime.candidates.value).toEqual([{ text: '在', consumed: 1 }]));
      expect(ime.problem.value).toBeNull();
    });

    it('does not ask again for letters the citizen has since changed', async () => {
      vi.useFakeTimers();
      const ime = usePinyinComposition(8);
      const typed = ime.type('z');
      pending[0]?.resolve({ ok: false, error: { code: 'ime-loading', message: '拼音输入正在准备' } });
      await typed;
      void ime.type('h');
      await vi.advanceTimersByTimeAsync(1_500);
      expect(pending.map((request) => request.input)).toEqual(['z', 'zh']);
    });
  });

  it('pages by the page size and not past the total', async () => {
    const ime = usePinyinComposition(8);
    const typed = ime.type('a');
    pending[0]?.resolve(answer('啊', 1, 20));
    await typed;
    void ime.page(1);
    expect(pending.at(-1)?.offset).toBe(8);
    void ime.page(1);
    expect(pending.at(-1)?.offset).toBe(16);
    const before = pending.length;
    void ime.page(1);
    expect(pending.length).toBe(before);
  });
});
