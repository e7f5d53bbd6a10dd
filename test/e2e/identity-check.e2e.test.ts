import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoStack } from '../../scripts/demo-stack.js';
import { eventually, readCentral } from './support/central-db.js';
import type { Citizen } from './support/citizen.js';
import { openKiosk } from './support/kiosk.js';
import { CARDS, TYPED_MOBILE, answer, browseTo, next, submit, supply } from './support/walkthroughs.js';

/**
 * Issue 14 as a citizen meets it, by touch alone at 1080×1920: 城乡居民养老保险参保登记 asks for 人证核验
 * (card+face). This kiosk has no camera (Chromium without a video device), so 请确认是本人办理 says 无法核验
 * and offers staff or the window; a staff member confirms the citizen in person with 工号 + PIN on the
 * citizen's screen; the application goes on, and central's record names 人工核验 and the 工号. The
 * 电子身份码 path: 演示：出示电子身份码 makes the simulated scanner read a code central just issued; the session
 * that follows is the code holder's (identitySource e-code on central's record). The camera is never
 * opened on these paths: an init script counts getUserMedia calls.
 */
interface CheckRow {
  identity_source: string;
  identity_check_method: string | null;
  identity_check_staff: string | null;
  identity_check_outcome: string | null;
  applicant_name: string;
}

const SERVICE = { stage: '工作', name: '城乡居民养老保险参保登记' } as const;

describe('人证核验 and 电子身份码 on the kiosk', () => {
  let stack: DemoStack;
  let citizen: Citizen;
  let close = async (): Promise<void> => undefined;

  beforeAll(async () => {
    ({ stack, citizen, close } = await openKiosk({
      label: 'portrait',
      camera: 'none',
      async prepare(opened) {
        // Counts camera openings in every document from now on (reading, not acting).
        await opened.context.addInitScript({
          content: `(() => { window.__cameraOpened = 0; const media = navigator.mediaDevices; if (!media) return;
            const original = media.getUserMedia.bind(media);
            media.getUserMedia = (constraints) => { window.__cameraOpened += 1; return original(constraints); }; })();`,
        });
        await opened.page.reload();
      },
    }));
  });

  beforeEach(async () => {
    // The last citizen's hand takes their card from the reader.
    stack.host.devices.simulators?.idCard?.removeCard();
    await stack.host.dispatch('session:end', { reason: 'staff' }, { audiences: new Set(['citizen']) });
    await citizen.waitForScreen('home');
  });

  afterAll(() => close());

  const cameraOpenings = () => citizen.page.evaluate(() => (globalThis as unknown as { __cameraOpened: number }).__cameraOpened);
  const centralCase = (localNumber: string) =>
    readCentral<CheckRow>(
      stack.centralDbFile,
      'SELECT identity_source, identity_check_method, identity_check_staff, identity_check_outcome, applicant_name FROM cases WHERE local_number = ?',
      localNumber,
    )[0];

  /** From the situation question to the result, as the resident-pension walkthrough does. */
  async function applyForPension(mobile?: string): Promise<string> {
    await citizen.waitForScreen('situation');
    await answer(citizen, 'special-group', '不属于');
    await next(citizen, 'form');
    await citizen.pickOption('户籍所在区县', '岱岳区');
    await citizen.pickOption('缴费档次（元/年）', '1000元');
    // Central's population profile has no phone for the code holder: they type it on the digit pad.
    if (mobile) await citizen.typeDigits('联系电话', mobile);
    await next(citizen, 'materials');
    await supply(citizen, 'household-register', '同意调取电子证照');
    // The code holder is not in central's shared-data population: their ID card is checked at the window.
    if (mobile) await supply(citizen, 'id-card', '稍后窗口补交');
    await next(citizen, 'review');
    return (await submit(citizen)).localNumber;
  }

  it('says 无法核验 without a camera, and staff confirm the citizen in person; central records 人工核验 with the 工号', async () => {
    await browseTo(citizen, '个人服务', SERVICE.stage, SERVICE.name);
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');
    await citizen.placeDemoCard(CARDS.li.button, async () => (await citizen.page.getAttribute('main', 'data-screen')) === 'assurance', { confirmInPerson: false });

    // The reason, and the ways in, before any camera: no face check is offered on a kiosk that cannot do one.
    expect(await citizen.read({ test: 'check-outcome' })).toContain('无法核验');
    expect(await citizen.read({ test: 'assurance' })).toContain('需要先确认是您本人');
    expect(await citizen.sees({ test: 'check-face' })).toBe(false);
    expect(await citizen.sees({ test: 'check-staff' })).toBe(true);
    expect(await citizen.sees({ test: 'check-window' })).toBe(true);
    await citizen.screenshot('identity-check-unavailable-portrait');
    await citizen.setModes({ elder: true });
    await citizen.screenshot('identity-check-unavailable-elder');

    // The staff member types a wrong PIN first: refused in plain words, the lockout counting.
    await citizen.tap({ test: 'check-staff' });
    await citizen.tap({ test: 'staff-check-number' });
    for (const digit of '0001') await citizen.tap({ test: `pin-key-${digit}` });
    await citizen.tap({ test: 'staff-check-pin' });
    for (const digit of '111111') await citizen.tap({ test: `pin-key-${digit}` });
    await citizen.screenshot('identity-check-staff-elder');
    await citizen.tap({ test: 'staff-check-confirm' });
    expect(await citizen.read({ test: 'staff-check-problem' })).toMatch(/工号或密码不正确，请重新输入/);
    // Then the right one (the 工号 is kept, the PIN pad is on the PIN).
    for (const digit of '246810') await citizen.tap({ test: `pin-key-${digit}` });
    await citizen.tap({ test: 'staff-check-confirm' });
    await citizen.find({ text: /^核验通过/, exact: false }, { within: { test: 'check-outcome' } });
    await citizen.screenshot('identity-check-passed-elder');
    await citizen.setModes({});
    await citizen.screenshot('identity-check-passed-portrait');
    await citizen.tap({ test: 'check-continue' });

    const localNumber = await applyForPension();
    const record = await eventually(() => centralCase(localNumber));
    expect(record).toMatchObject({ identity_source: 'id-card', identity_check_method: 'staff', identity_check_staff: '0001', identity_check_outcome: 'passed' });
    // The audit says the check happened, under the 工号, with its outcome (and nothing else about the person).
    const audit = stack.host.outbox.audit.entries().filter((entry) => entry.event === 'identity.check' || entry.event === 'staff.vouch');
    expect(audit.map((entry) => [entry.actor, entry.event, entry.outcome])).toEqual([
      ['staff:0001', 'staff.vouch', 'wrong-pin'],
      ['staff:0001', 'identity.check', 'staff passed'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(CARDS.li.idNumber);
    expect(await cameraOpenings()).toBe(0);
  });

  it('takes a 电子身份码 shown to the scanner as the holder\'s identity (e-code), and says a forged one is no good', async () => {
    await browseTo(citizen, '个人服务', SERVICE.stage, SERVICE.name);
    await citizen.tap({ name: '开始办理' });
    await citizen.waitForScreen('identity');

    // A forged code (the right shape, a seal central did not make): a plain message, what to do next.
    stack.host.devices.simulators?.scanner?.scan(`EID1.${'A'.repeat(64)}`);
    await citizen.find({ text: /电子身份码无法使用/, exact: false }, { within: { test: 'identity-problem' }, timeoutMs: 15_000 });
    await citizen.screenshot('identity-code-forged-portrait');

    // The demo phone shows a freshly issued code (a demo button, as the demo cards are).
    const before = citizen.taps;
    await citizen.tap({ test: 'demo-identity-code' });
    citizen.taps = before;
    await citizen.waitForScreen('assurance');
    await citizen.confirmInPerson();
    const localNumber = await applyForPension(TYPED_MOBILE);
    const record = await eventually(() => centralCase(localNumber));
    expect(record).toMatchObject({ identity_source: 'e-code', applicant_name: '赵春华', identity_check_method: 'staff', identity_check_staff: '0001' });
    expect(await cameraOpenings()).toBe(0);
  });

  it('读卡查询 on 办件查询 asks 请确认是本人办理 before listing anyone\'s cases; after 人工核验 the holder\'s cases are listed', async () => {
    await citizen.tap({ test: 'open-progress' });
    await citizen.waitForScreen('progress');
    await citizen.tap({ name: '读取身份证查询' });
    await citizen.placeDemoCard(CARDS.li.button, async () => (await citizen.page.getAttribute('main', 'data-screen')) === 'assurance', { confirmInPerson: false });
    // The card alone lists nothing: the reason and the ways in come first.
    expect(await citizen.sees({ test: 'my-cases' })).toBe(false);
    await citizen.find({ test: 'check-staff' });
    expect(await citizen.read({ test: 'assurance' })).toContain('名下全部办件');
    await citizen.screenshot('progress-by-card-check-portrait');
    await citizen.confirmInPerson();
    // Back on 办件查询, the list asked for, without another tap: 李秀英's application from the first case.
    await citizen.waitForScreen('progress');
    await citizen.find({ test: 'my-cases' }, { timeoutMs: 20_000 });
    expect(await citizen.read({ test: 'my-cases' })).toContain(SERVICE.name);
    await citizen.screenshot('progress-by-card-listed-portrait');
    expect(await cameraOpenings()).toBe(0);
  });
});
