import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../../drivers/protocols/scan-classifier.js';
import { caseRefFromScan } from '../../../host/services/progress-code.js';
import { mulberry32 } from '../../support/seeded-random.js';

const codes = JSON.parse(readFileSync(new URL('../../fixtures/identity/codes.json', import.meta.url), 'utf8')) as Record<string, string>;
const classify = (text: string) => classifyScan(text, caseRefFromScan);

describe('classifyScan (issue 14: what the scanner read)', () => {
  it('reads a receipt progress QR and a bare case or local number as a case', () => {
    expect(classify('https://zwfw.taian.example/progress/TA20261201000042')).toEqual({ kind: 'case', caseRef: 'TA20261201000042' });
    expect(classify('TA20261201000042')).toEqual({ kind: 'case', caseRef: 'TA20261201000042' });
    expect(classify('  ta20261201000042\r')).toEqual({ kind: 'case', caseRef: 'TA20261201000042' });
    expect(classify('TA-DEMO-0001-20261201-0003')).toEqual({ kind: 'case', caseRef: 'TA-DEMO-0001-20261201-0003' });
  });

  it('reads valid, expired, forged and unknown-holder 电子身份码 alike as identity codes (central decides which is good)', () => {
    for (const name of ['valid', 'expired', 'forged', 'stranger', 'truncated']) {
      expect(classify(codes[name] ?? ''), name).toEqual({ kind: 'identity-code', code: codes[name] });
    }
  });

  it('passes on nothing else: garbage, other sites, payment codes, near-misses of the code format', () => {
    for (const text of [
      '',
      '   ',
      'hello',
      '28123456789012345678', // a payment code
      'https://example.com/pay?o=123',
      'https://zwfw.taian.example/progress/not-a-case',
      'EID1.',
      'EID1.short',
      `EID1.${'A'.repeat(47)}`,
      `EID1.${'A'.repeat(60)}!`,
      `EID2.${'A'.repeat(64)}`,
      `eid1.${'A'.repeat(64)}`,
      `EID1.${'A'.repeat(64)} TA20261201000042`,
    ]) {
      expect(classify(text), JSON.stringify(text)).toEqual({ kind: 'unknown' });
    }
  });

  it('drops 2 KB of noise, printable or not, and a code-shaped line that long', () => {
    const random = mulberry32(14);
    const printable = Array.from({ length: 2048 }, () => String.fromCharCode(33 + Math.floor(random() * 94))).join('');
    const binary = Array.from({ length: 2048 }, () => String.fromCharCode(Math.floor(random() * 0xffff))).join('');
    expect(classify(printable)).toEqual({ kind: 'unknown' });
    expect(classify(binary)).toEqual({ kind: 'unknown' });
    expect(classify(`EID1.${'A'.repeat(2043)}`)).toEqual({ kind: 'unknown' });
  });
});
