import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { progressUrl } from '../../host/services/progress-code.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium } from './support/browser.js';
import { eventually, readCentral, type CaseRow } from './support/central-db.js';
import { passIdentityCheck } from './support/identity-check.js';

/**
 * The citizen-facing catalog flows of issue 4, in real Chromium through the browser shell against the
 * demo stack (host with simulated devices, reference central on SQLite). Each test walks the screens by
 * their `data-test` names, then checks what central recorded and what came out of the printers.
 *
 * The tests run in order and share one stack, as one kiosk serves one citizen after another: the two
 * application flows leave the cases that 办件查询 and 好差评 then look up and rate.
 */
const LI_ID = '37091119900822402' + gb11643CheckChar('37091119900822402');
const FATHER_ID = '37090219880512301' + gb11643CheckChar('37090219880512301');

describe('catalog flows in the browser shell', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  /** Left by the 秒批 flow and the situation flow, for the progress and rating tests. */
  let approvedCase = '';
  let acceptedCase = '';

  const centralCase = (caseNumber: string) => readCentral<CaseRow>(stack.centralDbFile, 'SELECT * FROM cases WHERE case_number = ?', caseNumber)[0];
  /** The verification code of the result central sealed for a case. */
  const centralResultCode = (caseNumber: string) =>
    readCentral<{ verification_code: string }>(stack.centralDbFile, 'SELECT verification_code FROM issued_proofs WHERE case_number = ?', caseNumber)[0]?.verification_code;
  const text = async (selector: string) => ((await page.textContent(selector)) ?? '').trim();

  async function openService(stageId: string, serviceId: string): Promise<void> {
    await page.click('[data-test=life-cycle-individual]');
    await page.click(`[data-test=stage-${stageId}]`);
    await page.click(`[data-test=service-${serviceId}]`);
    await page.waitForSelector('[data-test=guide]');
  }

  async function finishSession(): Promise<void> {
    await page.click('[data-test=finish]');
    // Mid-flow 结束办理 asks once (结束并清除信息); with no session it goes home at once.
    const next = await page.waitForSelector('[data-test=finish-confirm], [data-test=life-cycle-individual]');
    if ((await next.getAttribute('data-test')) === 'finish-confirm') await next.click();
    await page.waitForSelector('[data-test=life-cycle-individual]');
  }

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });

  // Each test starts where a citizen does, even after a failed one: the host ends the session, the UI wipes.
  beforeEach(async () => {
    await stack.host.dispatch('session:end', { reason: 'staff' }, { audiences: new Set(['citizen']) });
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('秒批: approves at once, says so, and prints the A4 result certificate', async () => {
    await openService('work', 'skill-upgrade-subsidy');
    expect(await text('[data-test=guide-channel]')).toContain('秒批秒办');
    await page.click('[data-test=start]');
    await page.click('[data-test=demo-card-resident-li]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=form]');
    await expect.poll(() => page.inputValue('[data-test=field-idNumber]')).toBe(LI_ID);
    await page.fill('[data-test=field-certificateNumber]', 'S000037090012345');
    // Dates are picked on the kiosk's date panel: 今天 is within every past-date range.
    await page.click('[data-test=field-issueDate]');
    await page.click('[data-test=input-panel] [data-test=date-today]');
    await page.click('[data-test=input-panel] [data-test=key-done]');
    await page.fill('[data-test=field-occupation]', '电工');
    await page.click('[data-test=field-certificateLevel-4]');
    await page.click('[data-test=next]');

    await page.waitForSelector('[data-test=materials]');
    await page.click('[data-test=licence-skill-certificate]');
    await page.waitForSelector('[data-test=material-skill-certificate] [data-test=licence-fetched]');
    await page.click('[data-test=licence-social-security-card]');
    await page.waitForSelector('[data-test=material-social-security-card] [data-test=licence-fetched]');
    await page.click('[data-test=next]');
    await page.waitForSelector('[data-test=review]');
    await page.click('[data-test=submit]');

    await page.waitForSelector('[data-test=result]');
    expect(await text('[data-test=result-headline]')).toBe('办理成功，结果已出具');
    expect(await text('[data-test=result-title]')).toBe('技能提升补贴审批结果通知书');
    await page.waitForSelector('[data-test=certificate-printed]');
    expect(await text('[data-test=result-next-step]')).toContain('请在出纸口取走办理结果和回执');
    expect(await text('[data-test=voice-caption-text]')).toContain('办理成功');
    approvedCase = await text('[data-test=case-number]');

    // Central decided 秒批 by its rules, for this applicant.
    expect(centralCase(approvedCase)).toMatchObject({ service_id: 'skill-upgrade-subsidy', applicant_id: LI_ID, status: 'approved', reasons: '[]' });

    // The result came out of the document printer as the real 审批结果通知书 central sealed (issue 15), journalled
    // under its verification code: its title, issuer, level and 补贴标准, and case; never the full ID.
    const certificate = stack.host.printing.journal.find((entry) => entry.document === 'proof');
    expect(certificate).toMatchObject({ printer: 'document-printer', status: 'printed' });
    expect(centralResultCode(approvedCase)).toBe(certificate?.caseRef);
    const pdfFile = join(stack.config.dataDir, 'printed', `${certificate?.jobId}.pdf`);
    expect(existsSync(pdfFile)).toBe(true);
    const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(pdfText).toContain('技能提升补贴审批结果通知书');
    expect(pdfText).toContain('泰安市人力资源和社会保障局');
    expect(pdfText).toContain('中级工（四级）');
    expect(pdfText).toContain('1500元');
    expect(pdfText).toContain(approvedCase);
    expect(pdfText).toContain('李秀英');
    expect(pdfText).not.toContain(LI_ID);
    // …and the receipt on the ESC/POS printer says it is done.
    expect(stack.host.devices.simulators?.receiptPrinter?.receipts.at(-1)?.join('\n')).toContain('已办结');

    await finishSession();
  });

  it('情形引导 and 告知承诺: the answers change the items and materials, and the signed commitment reaches central', async () => {
    await openService('birth', 'birth-one-thing');
    await page.click('[data-test=start]');
    await page.click('[data-test=demo-card-resident-li]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=situation]');

    await page.click('[data-test=answer-married-yes]');
    await page.click('[data-test=answer-same-county-yes]');
    await page.click('[data-test=answer-social-security-card-no]');
    expect(await text('[data-test=situation-materials]')).toContain('结婚证');
    expect(await text('[data-test=situation-materials]')).not.toContain('非婚生育情况说明');
    expect(await text('[data-test=situation-items]')).not.toContain('社会保障卡申领');

    // The other branch: not married, and the baby's social security card too. Changing the first answer
    // asks the later questions again.
    await page.click('[data-test=answer-married-no]');
    expect(await page.getAttribute('[data-test=answer-same-county-yes]', 'aria-pressed')).toBe('false');
    await page.click('[data-test=answer-same-county-yes]');
    await page.click('[data-test=answer-social-security-card-yes]');
    expect(await text('[data-test=situation-materials]')).toContain('非婚生育情况说明');
    expect(await text('[data-test=situation-materials]')).not.toContain('结婚证');
    expect(await text('[data-test=situation-items]')).toContain('社会保障卡申领');
    await page.click('[data-test=next]');

    await page.waitForSelector('[data-test=form]');
    await page.fill('[data-test=field-babyName]', '李小满');
    await page.click('[data-test=field-babySex-female]');
    // Dates are picked on the kiosk's date panel: 今天 is within every past-date range.
    await page.click('[data-test=field-birthDate]');
    await page.click('[data-test=input-panel] [data-test=date-today]');
    await page.click('[data-test=input-panel] [data-test=key-done]');
    await page.fill('[data-test=field-birthCertificateNumber]', 'R370123456');
    await page.fill('[data-test=field-otherParentName]', '王志强');
    await page.fill('[data-test=field-otherParentIdNumber]', FATHER_ID);
    await page.click('[data-test=field-division-370911]');
    await page.click('[data-test=next]');

    await page.waitForSelector('[data-test=materials]');
    expect(await page.isVisible('[data-test=material-marriage-certificate]')).toBe(false);
    expect(await page.isVisible('[data-test=material-bank-account]')).toBe(true);
    await page.click('[data-test=licence-household-register]');
    await page.click('[data-test=licence-birth-medical-certificate]');
    await page.click('[data-test=paper-bank-account]');
    await page.click('[data-test=commit-non-marital-statement]');
    await page.waitForSelector('[data-test=commitment]');
    expect(await text('[data-test=commitment]')).toContain('本人承诺');

    // Without a signature the step does not go on.
    await page.click('[data-test=next]');
    expect(await page.isVisible('[data-test=materials]')).toBe(true);

    // Sign with one finger: a stroke drawn across the pad.
    const pad = await page.locator('[data-test=signature-pad]').boundingBox();
    if (!pad) throw new Error('signature pad not laid out');
    await page.mouse.move(pad.x + pad.width * 0.15, pad.y + pad.height * 0.6);
    await page.mouse.down();
    for (let step = 1; step <= 12; step++) {
      await page.mouse.move(pad.x + pad.width * (0.15 + step * 0.05), pad.y + pad.height * (0.6 + (step % 2 === 0 ? -0.25 : 0.15)));
    }
    await page.mouse.up();
    await page.click('[data-test=next]');

    await page.waitForSelector('[data-test=review]');
    await page.click('[data-test=submit]');
    await page.waitForSelector('[data-test=result]');
    expect(await text('[data-test=result-headline]')).toBe('申请已受理');
    acceptedCase = await text('[data-test=case-number]');

    const recorded = centralCase(acceptedCase);
    expect(recorded).toMatchObject({ service_id: 'birth-one-thing', applicant_id: LI_ID, status: 'accepted' });
    const draft = JSON.parse(recorded?.payload ?? '{}') as { answers: Record<string, string>; form: Record<string, unknown>; materials: Record<string, { kind: string }>; signature?: string };
    expect(draft.answers).toEqual({ married: 'no', 'same-county': 'yes', 'social-security-card': 'yes' });
    expect(draft.materials['non-marital-statement']).toEqual({ kind: 'commitment' });
    expect(draft.materials['bank-account']).toEqual({ kind: 'paper-later' });
    expect(draft.materials['marriage-certificate']).toBeUndefined();
    expect(draft.form).toMatchObject({ babyName: '李小满', otherParentIdNumber: FATHER_ID });
    expect(draft.signature).toMatch(/^data:image\/png;base64,/);
    // The stored signature is the stroke, not a blank pad: decode it in the page and count the ink.
    // (A script string: this file is type-checked for Node, without the DOM's types.)
    const inkPixels = await page.evaluate<number>(`(async () => {
      const image = new Image();
      image.src = ${JSON.stringify(draft.signature ?? '')};
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let index = 0; index < pixels.length; index += 4) if (pixels[index] < 100) ink++;
      return ink;
    })()`);
    expect(inkPixels).toBeGreaterThan(500);

    await finishSession();
  });

  it('finds 出生一件事 by pinyin initials typed on the screen keyboard, and by everyday words, through to its guide', async () => {
    await page.click('[data-test=open-search]');
    await page.waitForSelector('[data-test=search]');
    for (const key of 'csyjs') await page.click(`[data-test=key-${key}]`);
    expect(await page.inputValue('[data-test=search-input]')).toBe('csyjs');
    await page.waitForSelector('[data-test=search-results] [data-test=result-birth-one-thing]');
    expect(await page.getAttribute('[data-test=search-results] .tile >> nth=0', 'data-test')).toBe('result-birth-one-thing');

    await page.click('[data-test=key-clear]');
    await page.click('[data-test=word-生孩子]');
    await page.waitForSelector('[data-test=search-results] [data-test=result-birth-one-thing]');
    await page.click('[data-test=key-clear]');
    for (const key of 'shenghaizi') await page.click(`[data-test=key-${key}]`);
    await page.waitForSelector('[data-test=search-results] [data-test=result-birth-one-thing]');

    await page.click('[data-test=result-birth-one-thing]');
    await page.waitForSelector('[data-test=guide]');
    expect(await text('[data-test=guide] h1')).toBe('出生一件事');
    expect(await text('[data-test=guide-materials]')).toContain('出生医学证明');
    await finishSession();
  });

  it('办件查询: by the case number typed, by the receipt QR scanned, and by reading the ID card, shows central’s status', async () => {
    expect(approvedCase).toMatch(/^TA\d{14}$/);
    await page.click('[data-test=open-progress]');
    await page.waitForSelector('[data-test=progress]');
    await page.click('[data-test=case-ref]');
    for (const key of approvedCase) await page.click(`[data-test=input-panel] [data-test=key-${key}]`);
    await page.click('[data-test=look-up]');
    await page.waitForSelector('[data-test=progress-result]');
    expect(centralCase(approvedCase)?.status).toBe('approved');
    expect(await text('[data-test=progress-status]')).toBe('已办结（准予办理）');
    expect(await text('[data-test=progress-case-number]')).toBe(approvedCase);
    await finishSession();

    // The receipt's QR, shown at the scanner from the home screen, opens the query by itself.
    stack.host.devices.simulators?.scanner?.scan(progressUrl(stack.config.central.url, acceptedCase));
    await page.waitForSelector('[data-test=progress-result]');
    expect(await text('[data-test=progress-case-number]')).toBe(acceptedCase);
    expect(centralCase(acceptedCase)?.status).toBe('accepted');
    expect(await text('[data-test=progress-status]')).toBe('已受理，正在审核');
    await finishSession();

    await page.click('[data-test=open-progress]');
    await page.click('[data-test=by-card]');
    await page.waitForSelector('[data-test=waiting-for-card]');
    await page.click('[data-test=demo-card-resident-li]');
    // 读卡查询 is a personal query: 请确认是本人办理 first (issue 14), then back to the list.
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=my-cases]');
    const listed = readCentral<{ case_number: string; status: string }>(stack.centralDbFile, 'SELECT case_number, status FROM cases WHERE applicant_id = ?', LI_ID);
    expect(listed.map((row) => row.case_number).sort()).toEqual([approvedCase, acceptedCase].sort());
    expect(await text(`[data-test=my-case-${approvedCase}] [data-test=my-case-status]`)).toBe('已办结（准予办理）');
    expect(await text(`[data-test=my-case-${acceptedCase}] [data-test=my-case-status]`)).toBe('已受理，正在审核');
    await finishSession();
  });

  it('好差评: a 差评 needs a reason and a contact, reaches central once, and a second rating of the case is refused', async () => {
    expect(acceptedCase).toMatch(/^TA\d{14}$/);
    await page.click('[data-test=open-progress]');
    await page.click('[data-test=by-card]');
    await page.click('[data-test=demo-card-resident-li]');
    await passIdentityCheck(page);
    await page.click(`[data-test=rate-case-${acceptedCase}]`);
    await page.waitForSelector('[data-test=rating]');
    expect(await page.locator('[data-test^=rate-]').count()).toBe(5);

    await page.click('[data-test=rate-dissatisfied]');
    await page.click('[data-test=send-rating]');
    expect(await text('[data-test=rating-problem]')).toContain('请选择不满意的原因并填写联系电话');
    await page.click('[data-test=rating-reason-等候或办理时间太长]');
    await page.fill('[data-test=rating-detail]', '自助机找不到出生一件事');
    await page.fill('[data-test=rating-contact]', '13853801234');
    await page.click('[data-test=send-rating]');
    await page.waitForSelector('[data-test=thanks]');

    const ratings = () =>
      readCentral<{ level: string; reason: string; contact: string; channel: string }>(
        stack.centralDbFile,
        'SELECT level, reason, contact, channel FROM ratings WHERE case_number = ?',
        acceptedCase,
      );
    await eventually(() => ratings().length > 0, 15_000, 'the rating to reach central');
    expect(ratings()).toEqual([{ level: 'dissatisfied', reason: '等候或办理时间太长：自助机找不到出生一件事', contact: '13853801234', channel: 'self-service-terminal' }]);

    // The thanks screen has no way back to the rating (the session has ended); a second rating of the
    // case, however it is sent, is refused in plain Chinese and nothing more reaches central.
    expect(await page.locator('[data-test=back]').count()).toBe(0);
    expect(await stack.host.dispatch('rating:submit', { caseRef: acceptedCase, level: 'very-satisfied' }, { audiences: new Set(['citizen']) })).toMatchObject({
      ok: false,
      error: { code: 'already-rated', message: expect.stringContaining('该办件已经评价过了') as string },
    });
    expect(ratings()).toHaveLength(1);

    // 办件查询 now shows the case as rated, with no way to rate it again.
    await finishSession();
    await page.click('[data-test=open-progress]');
    await page.click('[data-test=by-card]');
    await page.click('[data-test=demo-card-resident-li]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=my-cases]');
    expect(await text(`[data-test=my-case-${acceptedCase}]`)).toContain('已评价');
    expect(await page.isVisible(`[data-test=rate-case-${acceptedCase}]`)).toBe(false);
    await finishSession();
  });
});
