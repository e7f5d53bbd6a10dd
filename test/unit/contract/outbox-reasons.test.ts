import { describe, expect, it } from 'vitest';
import { outboxReasonLabel } from '../../../contract/outbox-reasons.js';

/** The staff desk showed the outbox's raw reason (`network: TypeError`, `permanent: bad-request`). */
describe('outboxReasonLabel', () => {
  const CODES = [
    null,
    'network: TypeError',
    'network: TimeoutError',
    'central-redirect',
    'unparseable-response',
    'needs-staff: response-schema-mismatch',
    'signature-stale-timestamp',
    'needs-staff: signature-unknown-key',
    'needs-staff: signature-bad-signature',
    'unavailable',
    'http-503',
    'needs-staff: too-large',
    'needs-staff: idempotency-key-reused',
    'permanent: unknown-service',
    'permanent: bad-request',
    'permanent: http-404',
    'lost: record-damaged',
    'lost: not-on-central',
    'lost: payload-damaged',
    'something-new-from-central',
    'permanent: something-new-from-central',
  ];

  it('says every known and unknown reason in Chinese, with what staff do next, and never shows the code', () => {
    for (const code of CODES) {
      const label = outboxReasonLabel(code);
      for (const text of [label.text, label.action]) {
        expect(text, String(code)).toMatch(/^[\u3000-\u9fff\uff00-\uffef（）]+$/u);
        expect(text).not.toMatch(/[a-z]/i);
      }
    }
  });

  it('tells waiting from staff work: the network and a busy central need nothing, a refusal needs the window', () => {
    expect(outboxReasonLabel('network: TypeError').action).toContain('无需处理');
    expect(outboxReasonLabel('http-503').action).toContain('无需处理');
    expect(outboxReasonLabel('signature-stale-timestamp').action).toContain('无需处理');
    expect(outboxReasonLabel('permanent: bad-request').action).toContain('窗口');
    expect(outboxReasonLabel('permanent: something-new-from-central').action).toContain('窗口');
    expect(outboxReasonLabel('needs-staff: signature-unknown-key').action).toContain('技术人员');
    expect(outboxReasonLabel('central-redirect').action).toContain('技术人员');
  });

  it('tells a record central never got from one still being checked', () => {
    expect(outboxReasonLabel('lost: not-on-central').text).toContain('没有送达');
    expect(outboxReasonLabel('lost: record-damaged').action).toContain('核对');
  });
});
