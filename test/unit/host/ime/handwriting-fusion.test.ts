import { describe, expect, it } from 'vitest';
import { characterPrior, fuseCandidates, NO_PRIOR, toSimplifiedAnswers } from '../../../../host/services/ime/handwriting-fusion.js';

describe('fuseCandidates (weighted reciprocal rank fusion with a frequency prior)', () => {
  it('puts a character both models propose above characters only one proposes', () => {
    const fused = fuseCandidates([{ texts: ['击', '台', '出', '农'], weight: 1 }, { texts: ['出', '山', '岀'], weight: 0.6 }], NO_PRIOR, 5);
    expect(fused[0]).toBe('出');
    expect(fused).toEqual(['出', '击', '台', '农', '山']);
  });

  it('keeps the primary model first when the lighter model disagrees about first place only', () => {
    expect(fuseCandidates([{ texts: ['泰', '秦'], weight: 1 }, { texts: ['秦', '泰'], weight: 0.6 }], NO_PRIOR, 2)).toEqual(['泰', '秦']);
  });

  it('lets the prior decide between two shapes the models rank alike, and only then', () => {
    const prior = (character: string) => ({ 的: 1, 旳: 0.1 })[character] ?? 0;
    expect(fuseCandidates([{ texts: ['旳'], weight: 1 }, { texts: ['的'], weight: 1 }], prior, 2)).toEqual(['的', '旳']);
    expect(fuseCandidates([{ texts: ['旳', '的'], weight: 1 }], prior, 2, { lambda: 0 })).toEqual(['旳', '的']);
  });

  it('counts a character once per list, drops empty answers and stops at the limit', () => {
    const fused = fuseCandidates([{ texts: ['人', '人', '', '入', '八'], weight: 1 }], NO_PRIOR, 2);
    expect(fused).toEqual(['人', '入']);
    expect(fuseCandidates([], NO_PRIOR, 5)).toEqual([]);
  });
});

describe('toSimplifiedAnswers', () => {
  it('maps a Japanese model’s kanji to Simplified Chinese and drops kana', () => {
    expect(toSimplifiedAnswers('ja')(['為', '雑', 'あ', 'ア', '山', ''])).toEqual(['为', '杂', '山']);
  });

  it('leaves a Simplified Chinese model’s answers as they are, empty ones dropped', () => {
    expect(toSimplifiedAnswers('zh-CN')(['为', '', '這'])).toEqual(['为', '這']);
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
