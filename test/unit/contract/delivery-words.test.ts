import { describe, expect, it } from 'vitest';
import { channels } from '../../../contract/channels.js';
import { deliveryWords } from '../../../contract/delivery-words.js';
import { receiptLayout } from '../../../print-templates/receipt.js';
import { sampleReceipt } from '../print/sample-data.js';

describe('deliveryWords', () => {
  it('says each method in words, and of 邮寄 only the phone’s last four digits', () => {
    expect(deliveryWords({ method: 'window-pickup' })).toContain('窗口领取');
    expect(deliveryWords({ method: 'e-licence' })).toContain('电子证照');
    const post = deliveryWords({ method: 'post', address: '泰安市泰山区东岳大街 100 号', phone: '13805381234' });
    expect(post).toBe('邮寄送达（手机尾号 1234）');
    expect(post).not.toContain('东岳大街');
  });

  it('puts the choice on the receipt as 领取方式', () => {
    const rows = receiptLayout({ ...sampleReceipt, delivery: '邮寄送达（手机尾号 1234）' }).flatMap((block) => (block.kind === 'rows' ? block.rows : []));
    expect(rows).toContainEqual({ label: '领取方式', value: '邮寄送达（手机尾号 1234）' });
    expect(receiptLayout(sampleReceipt).flatMap((block) => (block.kind === 'rows' ? block.rows : [])).map((row) => row.label)).not.toContain('领取方式');
  });

  it('refuses an incomplete 邮寄 choice at the bridge', () => {
    const draft = { serviceId: 'driving-licence-renewal', answers: {}, form: {}, materials: {} };
    const request = channels['application:submit'].request;
    expect(request.safeParse({ ...draft, delivery: { method: 'post', address: '泰安', phone: '13805381234' } }).success).toBe(false);
    expect(request.safeParse({ ...draft, delivery: { method: 'post', address: '泰安市泰山区东岳大街 100 号', phone: '1380538' } }).success).toBe(false);
    expect(request.safeParse({ ...draft, delivery: { method: 'post', address: '泰安市泰山区东岳大街 100 号', phone: '13805381234' } }).success).toBe(true);
    expect(request.safeParse(draft).success).toBe(true);
  });
});
