import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStack } from '../../scripts/demo-stack.js';
import { screenshotPath } from './support/browser.js';
import { eventually, readCentral } from './support/central-db.js';
import type { Citizen } from './support/citizen.js';
import { openKiosk, demoPerson, namePrincipalByNumber } from './support/kiosk.js';
import { answer, browseTo, CARDS, daysFromToday, next, submit, supply } from './support/walkthroughs.js';

/**
 * 代办告知承诺 (issue 12) by touch alone at 1080×1920: 张建华 files 医保异地就医备案 for his father 刘建国 — a service whose
 * catalog accepts a signed 代办告知承诺 instead of a 委托书. He taps 签署代办告知承诺, reads it and signs with his finger;
 * central's record shows the authorisation kind 告知承诺 with the signature. Then a staff member at the console opens
 * 代办授权材料 for that 受理编号 and sees the signed 告知承诺 with both people masked (central audits the opening).
 */
const FATHER = demoPerson('刘建国');

describe('代办告知承诺 walked on the kiosk, and its authorisation in the staff console', () => {
  let stack: DemoStack;
  let browser: Browser;
  let citizen: Citizen;
  let close = async (): Promise<void> => undefined;

  beforeAll(async () => {
    ({ stack, browser, citizen, close } = await openKiosk({ label: 'agency-commitment', camera: 'none' }));
  }, 75_000);

  afterAll(() => close());

  it('files 代办 with a signed 代办告知承诺; central records the kind; the console shows it to signed-in staff', async () => {
    await browseTo(citizen, '个人服务', '就医', '医保异地就医备案');
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');
    await citizen.tap({ name: '代他人办理（代办）' });
    await citizen.placeDemoCard(CARDS.zhang.button, async () => (await citizen.page.getAttribute('main', 'data-screen')) === 'agency');
    await citizen.waitForScreen('agency');
    expect(await namePrincipalByNumber(citizen, FATHER, '子女')).toContain('刘*国');
    // This service accepts either; he signs the 代办告知承诺 instead of photographing a 委托书.
    await citizen.tap({ name: '签署代办告知承诺' });
    expect(await citizen.read({ test: 'agency-commitment' })).toContain('请在下方框内签名');
    await citizen.sign('张建华', { test: 'signature-pad' });
    await citizen.screenshot('agency-commitment-signed');
    await next(citizen, 'situation');
    await answer(citizen, 'filing-kind', '临时外出就医');
    await answer(citizen, 'cross-province', '省外');
    await next(citizen, 'form');
    await citizen.typeWithPinyin('就医地（省、市）', '北京市');
    await citizen.pickDate('备案开始日期', daysFromToday(3));
    await next(citizen, 'materials');
    await supply(citizen, 'social-security-card', '同意调取电子证照');
    await next(citizen, 'review');
    expect(await citizen.read({ test: 'review-relationship' })).toBe('子女');
    const outcome = await submit(citizen);

    const row = await eventually(
      () =>
        readCentral<{ case_number: string; applicant_name: string; agent_id: string; agency_authorisation_kind: string; agency_authorisation: string }>(
          stack.centralDbFile,
          'SELECT case_number, applicant_name, agent_id, agency_authorisation_kind, agency_authorisation FROM cases WHERE local_number = ?',
          outcome.localNumber,
        )[0],
      20_000,
      'the case on central',
    );
    expect(row).toMatchObject({ applicant_name: '刘建国', agent_id: CARDS.zhang.idNumber, agency_authorisation_kind: '告知承诺' });
    const signed = JSON.parse(row.agency_authorisation) as { kind: string; signature: string };
    expect(signed.kind).toBe('告知承诺');
    expect(Buffer.from(signed.signature.replace(/^data:image\/png;base64,/, ''), 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    // The staff console: not shown before signing in; after it, 代办授权材料 for this 受理编号.
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await desk.goto(`${stack.central.url}/console/`);
    expect(await desk.isVisible('[data-test=case-authorisation]')).toBe(false);
    await desk.fill('[data-test=staff-number]', '0001');
    await desk.fill('[data-test=pin]', '246810');
    await desk.click('[data-test=sign-in-submit]');
    await desk.fill('[data-test=case-authorisation-number]', row.case_number);
    await desk.click('[data-test=case-authorisation-open]');
    await desk.waitForSelector('[data-test=case-authorisation-view]', { timeout: 10_000 });
    expect(await desk.textContent('[data-test=case-authorisation-kind]')).toBe('代办告知承诺（代办人签名）');
    expect(await desk.textContent('[data-test=case-authorisation-agent]')).toMatch(/^张\*华 370\*+\d{3}[\dX]$/);
    expect(await desk.textContent('[data-test=case-authorisation-principal]')).toMatch(/^刘\*国 /);
    const width = await desk.$eval('[data-test=case-authorisation-image]', (image) => (image as unknown as { naturalWidth: number }).naturalWidth);
    expect(width).toBeGreaterThan(0);
    expect(await desk.textContent('[data-test=case-authorisation]')).not.toContain(FATHER.idNumber);
    await desk.screenshot({ path: screenshotPath('console-case-authorisation.png'), fullPage: true });
    const audit = readCentral<{ actor: string; outcome: string }>(stack.centralDbFile, 'SELECT actor, outcome FROM case_view_audit WHERE case_number = ?', row.case_number);
    expect(audit).toEqual([{ actor: 'staff:0001', outcome: 'shown 告知承诺' }]);
    await desk.close();
  }, 75_000);
});
