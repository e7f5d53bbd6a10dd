import { describe, expect, it } from 'vitest';
import { findIllFormedText, isWellFormedText } from '../../../contract/unicode.js';

describe('isWellFormedText', () => {
  it('accepts Chinese, ASCII and characters outside the BMP written as surrogate pairs', () => {
    expect(isWellFormedText('王𠮷 张三 abc')).toBe(true);
    expect(isWellFormedText('')).toBe(true);
  });

  it('refuses a lone high or low surrogate and a reversed pair', () => {
    expect(isWellFormedText('\ud842')).toBe(false);
    expect(isWellFormedText('a\udfb7')).toBe(false);
    expect(isWellFormedText('\udfb7\ud842')).toBe(false);
  });
});

describe('findIllFormedText', () => {
  it('names the path of the first ill-formed string, in values and in keys', () => {
    expect(findIllFormedText({ form: { name: '王', address: ['泰山区', 'x\ud800'] } })).toBe('form.address[1]');
    expect(findIllFormedText({ ['k\udc00']: 1 })).toBe('k\udc00');
    expect(findIllFormedText(JSON.parse('{"a":"\\ud800"}'))).toBe('a');
    expect(findIllFormedText('\ud800')).toBe('(root)');
  });

  it('passes numbers, booleans, null and well-formed text', () => {
    expect(findIllFormedText({ a: 1, b: [true, null, '𠮷'], c: { d: '' } })).toBeNull();
    expect(findIllFormedText(null)).toBeNull();
  });
});
