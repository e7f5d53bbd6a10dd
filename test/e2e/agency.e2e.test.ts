import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/load.js';
import type { DemoStack } from '../../scripts/demo-stack.js';
import { eventually, readCentral } from './support/central-db.js';
import type { Citizen } from './support/citizen.js';
import { openKiosk, demoPerson, namePrincipalByNumber } from './support/kiosk.js';
import { CARDS, TYPED_MOBILE, browseTo, next, submit, supply } from './support/walkthroughs.js';

/**
 * 代办 (issue 12) as it happens in the hall, by touch alone at 1080×1920: 张建华 applies for his father 刘建国's
 * 老年人优待证. He taps 代他人办理（代办）, lays his own card and is confirmed in person (his 人证核验), types his
 * father's ID number on the ID pad and name by pinyin (checked at central's 人口库), taps 子女, photographs the
 * 授权委托书 under Chromium's fake document camera, and the form comes prefilled with his father's details.
 * Central's record carries agent, principal, relationship and the photo; the receipt prints both masked.
 * Before that, 机动车驾驶证期满换证 (本人办理 only) shows its reason when 代办 is tapped, and 返回 leads out.
 * Then 李秀英 names her mother 刘桂芝 by laying her mother's card while the kiosk waits for it, and lays her own back.
 */
const catalog = loadCatalog();
const FATHER = demoPerson('刘建国');
const DRIVING_REASON = catalog.services.find((service) => service.id === 'driving-licence-renewal')?.inPersonReason ?? '';

interface AgencyRow {
  applicant_id: string;
  applicant_name: string;
  agent_id: string | null;
  agency_relationship: string | null;
  agency_principal_source: string | null;
  agency_authorisation_kind: string | null;
  agency_authorisation: string | null;
}

describe('代办 on the kiosk', () => {
  let stack: DemoStack;
  let citizen: Citizen;
  let close = async (): Promise<void> => undefined;

  beforeAll(async () => {
    ({ stack, citizen, close } = await openKiosk({ label: 'agency', camera: 'fake' }));
  }, 60_000);

  afterAll(() => close());

  it('shows a 本人办理 service’s reason when 代办 is tapped, with a way back', async () => {
    await citizen.tapText('个人服务');
    await citizen.tapText('出行');
    if (await citizen.sees({ text: '交通' })) await citizen.tapText('交通');
    await citizen.tapText('机动车驾驶证期满换证');
    await citizen.waitForScreen('guide');
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');
    await citizen.tap({ name: '代他人办理（代办）' });
    expect(await citizen.read({ test: 'agency-refused' })).toContain(DRIVING_REASON);
    await citizen.screenshot('agency-in-person-only');
    // Never a dead end: 本人办理 goes on with the card request, 返回 leads back to the guide.
    await citizen.tap({ name: '本人办理' }, { within: { test: 'agency-refused' } });
    expect(await citizen.sees({ test: 'agency-refused' })).toBe(false);
    await citizen.tap({ name: '返回' });
    await citizen.waitForScreen('guide');
    await citizen.tap({ name: '返回' });
    await citizen.tap({ name: '返回' });
    if (await citizen.sees({ name: '返回', role: 'button' })) await citizen.tap({ name: '返回' });
    await citizen.waitForScreen('home');
  }, 60_000);

  it('files 代办 for a father: agent and principal on central’s record with the 委托书 photo, both masked on the receipt', async () => {
    await browseTo(citizen, '个人服务', '养老', '老年人优待证办理');
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');
    await citizen.tap({ name: '代他人办理（代办）' });
    await citizen.find({ test: 'agency-agent-card' });
    await citizen.screenshot('agency-choice');
    // The agent's own card, and his own 人证核验 (staff confirm him in person).
    await citizen.placeDemoCard(CARDS.zhang.button, async () => (await citizen.page.getAttribute('main', 'data-screen')) === 'agency');
    await citizen.waitForScreen('agency');

    // His father's card is at home: the number and name are typed.
    expect(await namePrincipalByNumber(citizen, FATHER, '子女')).toContain('刘*国');
    await citizen.tap({ name: '高拍仪拍摄授权委托书' });
    await citizen.tap({ test: 'camera-take' }, { timeoutMs: 20_000 });
    await citizen.find({ test: 'camera-preview' });
    await citizen.tap({ name: '使用此照片' });
    await citizen.find({ test: 'agency-photo-taken' });
    await citizen.screenshot('agency-authorised');
    await next(citizen, 'form');

    // The form is the father's.
    expect(await citizen.fieldValue('申请人姓名')).toBe('刘建国');
    expect(await citizen.fieldValue('公民身份号码')).toBe(FATHER.idNumber);
    if ((await citizen.fieldValue('联系电话')) === '') await citizen.typeDigits('联系电话', TYPED_MOBILE);
    await citizen.pickOption('户籍所在区县', '岱岳区');
    await next(citizen, 'materials');
    await supply(citizen, 'household-register', '同意调取电子证照');
    await next(citizen, 'review');
    expect(await citizen.read({ test: 'review-agent' })).toMatch(/^张\*华 370\*{11}\d{3}[\dX]$/);
    expect(await citizen.read({ test: 'review-relationship' })).toBe('子女');
    await citizen.screenshot('agency-review');
    const outcome = await submit(citizen);

    const row = await eventually(
      () =>
        readCentral<AgencyRow>(
          stack.centralDbFile,
          'SELECT applicant_id, applicant_name, agent_id, agency_relationship, agency_principal_source, agency_authorisation_kind, agency_authorisation FROM cases WHERE local_number = ?',
          outcome.localNumber,
        )[0],
      20_000,
      'the case on central',
    );
    expect(row).toMatchObject({
      applicant_id: FATHER.idNumber,
      applicant_name: '刘建国',
      agent_id: CARDS.zhang.idNumber,
      agency_relationship: '子女',
      agency_principal_source: 'population-check',
      agency_authorisation_kind: '委托书',
    });
    const photo = JSON.parse(row.agency_authorisation ?? '{}') as { base64?: string };
    // A real JPEG from the camera.
    expect(Buffer.from(photo.base64 ?? '', 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    const receipt = stack.host.devices.simulators?.receiptPrinter?.receipts.find((lines) => lines.some((line) => line.includes(outcome.localNumber)))?.join('\n') ?? '';
    expect(receipt).toContain('办理人（代办）');
    expect(receipt).toMatch(/张\*华 370\*{11}\d{3}[\dX]/);
    expect(receipt).toContain('委托人');
    expect(receipt).toMatch(/刘\*国 370\*{11}\d{3}[\dX]/);
    for (const whole of [FATHER.idNumber, CARDS.zhang.idNumber, '刘建国', '张建华']) expect(receipt).not.toContain(whole);
  }, 75_000);

  it('names the principal by her card: laid while the kiosk waits for it, then the agent’s own card goes back', async () => {
    // 结束办理 after the result (it may ask once: 结束并清除信息), back to the home screen.
    await citizen.tap({ name: '结束办理' });
    const shown = await citizen.page.waitForSelector('[data-test=finish-confirm], main[data-screen=home]');
    if ((await shown.getAttribute('data-test')) === 'finish-confirm') await citizen.tap({ test: 'finish-confirm' });
    await browseTo(citizen, '个人服务', '养老', '老年人优待证办理');
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');
    await citizen.tap({ name: '代他人办理（代办）' });
    await citizen.placeDemoCard(CARDS.li.button, async () => (await citizen.page.getAttribute('main', 'data-screen')) === 'agency');
    await citizen.waitForScreen('agency');
    await citizen.tap({ name: '读取委托人身份证' });
    await citizen.find({ test: 'agency-principal-card' });
    // She lifts her card and lays her mother's (the demo buttons stand in for her hand).
    await citizen.placeDemoCard(CARDS.liu.button, () => citizen.sees({ test: 'agency-principal-matched' }), { confirmInPerson: false });
    expect(await citizen.read({ test: 'agency-principal-matched' })).toContain('刘*芝');
    await citizen.placeDemoCard(CARDS.li.button, () => citizen.sees({ test: 'agency-agent-card-back' }), { confirmInPerson: false });
    expect(await citizen.sees({ test: 'card-absent' })).toBe(false);
    await citizen.pickOption('与委托人关系', '子女');
    await citizen.tap({ name: '高拍仪拍摄授权委托书' });
    await citizen.tap({ test: 'camera-take' }, { timeoutMs: 20_000 });
    await citizen.tap({ name: '使用此照片' });
    await citizen.screenshot('agency-principal-card');
    await next(citizen, 'form');
    expect(await citizen.fieldValue('申请人姓名')).toBe(CARDS.liu.name);
    expect(await citizen.fieldValue('公民身份号码')).toBe(CARDS.liu.idNumber);
  }, 60_000);
});
