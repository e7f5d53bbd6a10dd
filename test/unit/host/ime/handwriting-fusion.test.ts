import { describe, expect, it } from 'vitest';
import { characterPrior, fuseCandidates, NO_PRIOR, toSimplifiedAnswers } from '../../../../host/services/ime/handwriting-fusion.js';

/** A model's list from `[character, score]` pairs, best first. */
const list = (weight: number, ...answers: [string, number][]) => ({ weight, answers: answers.map(([text, score]) => ({ text, score })) });

describe('fuseCandidates (softmax shares of each model’s scores, with a frequency prior)', () => {
  it('puts a character both models propose above characters only one proposes', () => {
    const fused = fuseCandidates([list(1, ['击', 1], ['台', 0.9], ['出', 0.9], ['农', 0.5]), list(0.6, ['出', 1], ['山', 0.8], ['岀', 0.7])], NO_PRIOR, 5);
    expect(fused).toEqual(['出', '击', '台', '山', '岀']);
  });

  it('keeps a sure primary model’s first answer when the lighter model disagrees', () => {
    expect(fuseCandidates([list(1, ['泰', 2], ['秦', 0.5]), list(0.6, ['秦', 1], ['泰', 0.9])], NO_PRIOR, 2)).toEqual(['泰', '秦']);
  });

  it('weighs the margins: a torn primary model is decided by a sure second one, a sure one is not overruled by a torn one', () => {
    expect(fuseCandidates([list(1, ['击', 1], ['出', 0.98]), list(0.6, ['出', 1], ['山', 0.2])], NO_PRIOR, 1)).toEqual(['出']);
    expect(fuseCandidates([list(1, ['击', 2], ['出', 0]), list(0.6, ['出', 1], ['山', 0.9])], NO_PRIOR, 1)).toEqual(['击']);
  });

  it('lets the prior tip near-ties between shapes, and only those', () => {
    const prior = (character: string) => ({ 的: 1, 旳: 0.1 })[character] ?? 0;
    expect(fuseCandidates([list(1, ['旳', 1], ['的', 0.98])], prior, 2)).toEqual(['的', '旳']);
    expect(fuseCandidates([list(1, ['旳', 1], ['的', 0.98])], prior, 2, { lambda: 0 })).toEqual(['旳', '的']);
    expect(fuseCandidates([list(1, ['旳', 2], ['的', 0.5])], prior, 2)).toEqual(['旳', '的']);
  });

  it('counts a character once per list at its better score, drops empty and non-finite answers and stops at the limit', () => {
    expect(fuseCandidates([list(1, ['人', 1], ['人', 0.2], ['', 0.9], ['入', 0.8], ['八', Number.NaN], ['儿', 0.1])], NO_PRIOR, 2)).toEqual(['人', '入']);
    expect(fuseCandidates([list(1, ['八', Number.NaN])], NO_PRIOR, 2)).toEqual([]);
    expect(fuseCandidates([], NO_PRIOR, 5)).toEqual([]);
  });
});

describe('toSimplifiedAnswers', () => {
  it('maps a Japanese model’s kanji to Simplified Chinese with their scores and drops kana', () => {
    const answers = toSimplifiedAnswers('ja')(['為', '雑', 'あ', 'ア', '山', ''].map((text, index) => ({ text, score: 1 - index / 10 })));
    expect(answers).toEqual([{ text: '为', score: 1 }, { text: '杂', score: 0.9 }, { text: '山', score: 0.6 }]);
  });

  it('leaves a Simplified Chinese model’s answers as they are, empty ones dropped', () => {
    expect(toSimplifiedAnswers('zh-CN')([{ text: '为', score: 1 }, { text: '', score: 0.5 }, { text: '這', score: 0.2 }]).map((answer) => answer.text)).toEqual(['为', '這']);
  });
});

describe('characterPrior', () => {
  it('adds Traditional forms to their Simplified character and log-scales counts to 0…1', () => {
    const prior = characterPrior(['# Rime essay', '這\t900', '这\t100', '個\t30', '山\t10', '這個\t500', 'abc\t99', 'broken line'].join('\n'));
    expect(prior('这')).toBe(1);
    expect(prior('个')).toBeCloseTo(Math.log1p(30) / Math.log1p(1000), 6);
    expect(prior('山')).toBeLessThan(prior('个'));
    expect(prior('龘')).toBe(0);
    expect(prior('这个')).toBe(0);
  });

  it('is no prior at all for an empty essay', () => {
    expect(characterPrior('')('这')).toBe(0);
  });
});
