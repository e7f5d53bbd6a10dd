import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStack } from '../../scripts/demo-stack.js';
import { eventually, readCentral } from './support/central-db.js';
import type { Citizen } from './support/citizen.js';
import { openKiosk } from './support/kiosk.js';
import { CARDS, daysFromToday, next, placeCard, submit, supply } from './support/walkthroughs.js';

/**
 * Issue 15, 领取方式 as a citizen meets it, by touch alone at 1080×1920: 机动车驾驶证期满换证 has a paper
 * result (a new licence), so the confirm page asks how it should reach the citizen; 确认提交 waits for the
 * choice; 李秀英 taps 邮寄, the address comes prefilled from her card and the phone from her profile, and the
 * choice reaches central with the case (its record's `delivery`) and the receipt says 邮寄.
 */
interface DeliveryRow {
  delivery: string | null;
  applicant_id: string;
}

describe('领取方式 (delivery of a paper result)', () => {
  let stack: DemoStack;
  let citizen: Citizen;
  let close = async (): Promise<void> => undefined;

  beforeAll(async () => {
    ({ stack, citizen, close } = await openKiosk({ label: 'delivery', camera: 'none' }));
  });

  afterAll(() => close());

  it('sends 邮寄 with the address and phone to central, and the receipt says 邮寄', async () => {
    await citizen.tapText('个人服务');
    await citizen.tapText('出行');
    if (await citizen.sees({ text: '交通' })) await citizen.tapText('交通');
    await citizen.tapText('机动车驾驶证期满换证');
    await citizen.waitForScreen('guide');
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');
    await placeCard(citizen, CARDS.li.button);
    await citizen.waitForScreen('situation');
    await citizen.tap({ name: '否' }, { within: { test: 'question-needs-medical' } });
    await next(citizen, 'form');
    await citizen.pickOption('准驾车型', 'C1 小型汽车');
    await citizen.pickDate('原驾驶证有效期止', daysFromToday(30));
    await next(citizen, 'materials');
    await supply(citizen, 'driving-licence', '同意调取电子证照');
    await next(citizen, 'review');

    // 确认提交 waits for the choice.
    expect(await (await citizen.find({ test: 'submit' })).isDisabled()).toBe(true);
    await citizen.tap({ test: 'delivery-post' });
    const address = await citizen.fieldValue('邮寄地址');
    expect(address).toMatch(/泰安市|山东省/);
    await citizen.screenshot('delivery-post-portrait');
    const outcome = await submit(citizen);

    const row = await eventually(
      () => readCentral<DeliveryRow>(stack.centralDbFile, 'SELECT delivery, applicant_id FROM cases WHERE local_number = ?', outcome.localNumber)[0],
      20_000,
      'the case on central',
    );
    expect(row.applicant_id).toBe(CARDS.li.idNumber);
    const delivery = JSON.parse(row.delivery ?? 'null') as { method: string; address: string; phone: string };
    expect(delivery).toMatchObject({ method: 'post', phone: expect.stringMatching(/^1\d{10}$/) });
    expect(address).toContain(delivery.address.slice(0, 6));
    const receipt = stack.host.devices.simulators?.receiptPrinter?.receipts.find((lines) => lines.some((line) => line.includes(outcome.localNumber)))?.join('\n') ?? '';
    expect(receipt).toContain('领取方式');
    expect(receipt).toContain('邮寄');
    // Masked on paper: the phone's last four digits only.
    expect(receipt).not.toContain(delivery.phone);
  }, 180_000);
});
