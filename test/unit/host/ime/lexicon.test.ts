import { describe, expect, it } from 'vitest';
import { SUPPLEMENT_WEIGHT, supplementPhrases } from '../../../../host/services/ime/lexicon.js';
import { fixtureLexicon } from './fixture-model.js';

const weightOf = (words: { text: string; syllables: string[]; weight: number }[], text: string, reading: string) =>
  words.find((word) => word.text === text && word.syllables.join(' ') === reading)?.weight;

describe('buildLexicon', () => {
  it('converts to Simplified and adds the counts of words that meet there (為 + 爲 → 为)', async () => {
    const { words } = await fixtureLexicon();
    expect(weightOf(words, '为', 'wei')).toBe(684 + 211329);
    expect(words.some((word) => /[為爲張偉]/.test(word.text))).toBe(false);
  });

  it("splits a character's count by Luna's reading shares (行 xing 91.78 %, hang 8.22 %)", async () => {
    const { words } = await fixtureLexicon();
    expect(weightOf(words, '行', 'xing')).toBeCloseTo(39910 * 0.9178, 3);
    expect(weightOf(words, '行', 'hang')).toBeCloseTo(39910 * 0.0822, 3);
  });

  it("takes a phrase's reading from Luna when Luna lists it, else from pinyin-pro", async () => {
    // A deliberately different Luna reading shows which source won.
    const { words } = await fixtureLexicon({ lunaDict: '---\nname: t\n...\n\n銀行\tyin xing\n' });
    expect(weightOf(words, '银行', 'yin xing')).toBe(22074);
    expect(weightOf(words, '银行', 'yin hang')).toBeUndefined();
    expect(weightOf(words, '长城', 'chang cheng')).toBe(3065);
  });

  it('adds the Taian places, roads and business-scope phrases with at least the supplement weight', async () => {
    const { words } = await fixtureLexicon();
    expect(weightOf(words, '岱庙街道', 'dai miao jie dao')).toBe(SUPPLEMENT_WEIGHT);
    expect(weightOf(words, '粥店', 'zhou dian')).toBe(SUPPLEMENT_WEIGHT);
    expect(weightOf(words, '日用百货销售', 'ri yong bai huo xiao shou')).toBe(SUPPLEMENT_WEIGHT);
    // 食品 is in the essay far above the supplement weight and keeps its count.
    expect(weightOf(words, '食品', 'shi pin')).toBe(6693);
  });

  it('reads surnames with their surname readings (单 shan, 曾 zeng) and given-name characters with every reading', async () => {
    const { surnames, givenNames } = await fixtureLexicon();
    expect(surnames.find((entry) => entry.text === '单')?.syllables).toEqual(['shan']);
    expect(surnames.find((entry) => entry.text === '欧阳')?.syllables).toEqual(['ou', 'yang']);
    expect(givenNames.filter((entry) => entry.text === '乐').map((entry) => entry.syllables[0])).toEqual(expect.arrayContaining(['le', 'yue']));
  });
});

describe('supplementPhrases', () => {
  it('keeps only Han phrases, once each', () => {
    const phrases = supplementPhrases(['新生儿出生一件事', '新生儿出生一件事', 'ABC', '（括号）']);
    expect(phrases.filter((phrase) => phrase === '新生儿出生一件事')).toHaveLength(1);
    expect(phrases).not.toContain('ABC');
    expect(phrases).toContain('泰山区');
    expect(phrases).toContain('大津口乡');
  });
});
