import { describe, expect, it } from 'vitest';
import { caseRefFromScan, progressUrl } from '../../../host/services/progress-code.js';

describe('progress code', () => {
  it('reads back the case reference from the URL the receipt QR carries', () => {
    expect(caseRefFromScan(progressUrl('http://127.0.0.1:4100/', 'TA20261128000001'))).toBe('TA20261128000001');
    expect(caseRefFromScan(progressUrl('https://zwfw.taian.gov.cn', 'TA-DEMO-0001-20261128-0003'))).toBe('TA-DEMO-0001-20261128-0003');
  });

  it('accepts a bare case number, in either case, and a local number as printed', () => {
    expect(caseRefFromScan(' ta20261128000042\r')).toBe('TA20261128000042');
    expect(caseRefFromScan('TA-DEMO-0001-20261128-0001')).toBe('TA-DEMO-0001-20261128-0001');
  });

  it('ignores codes that are not a progress code', () => {
    for (const text of [
      '',
      'https://example.com/pay?order=1',
      'https://zwfw.taian.gov.cn/progress/',
      'https://zwfw.taian.gov.cn/progress/not-a-case',
      'https://zwfw.taian.gov.cn/progress/%E0%A4%A',
      'javascript:alert(1)//progress/TA20261128000001',
      '370902196803151236',
      'TA2026112800001',
    ]) {
      expect(caseRefFromScan(text), text).toBeNull();
    }
  });
});
