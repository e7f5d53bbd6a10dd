import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { startCentralStandIn, type CentralStandIn } from '../support/central-stand-in.js';
import { kioskPage, launchChromium, screenshotPath } from './support/browser.js';
import { passIdentityCheck } from './support/identity-check.js';

/**
 * Issue 10, kind 9 on the screen: central refuses the application with a 400, so it goes to the staff list
 * after one attempt. The result screen said 申请已保存，网络恢复后自动提交 and 您不用再来; it now says staff
 * will handle it and to watch for a text message.
 */
describe('the result screen of an application central refused', () => {
  let stack: DemoStack;
  let standIn: CentralStandIn;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    standIn = await startCentralStandIn({ method: 'POST', path: '/v1/applications' }, { status: 400, body: JSON.stringify({ code: 'bad-request', message: '请求内容不符合接口定义' }) });
    stack = await startDemoStack({
      submitWaitMs: 5_000,
      centralUrlFor: (central) => {
        standIn.central.port = central.port;
        return standIn.url;
      },
    });
    browser = await launchChromium();
    page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await standIn?.close();
  });

  it('says staff will handle it, never 自动提交 or 您不用再来', async () => {
    // Taps what a citizen taps; the county (an option button) comes checked from her card.
    await page.click('[data-test=life-cycle-individual]');
    await page.click('[data-test=stage-elderly-care]');
    await page.click('[data-test=service-senior-preferential-card]');
    await page.click('[data-test=start]');
    // 老年人优待证 is for 60 and over (told at the card otherwise): 孙桂兰 (82), 户籍 county prefilled from her card.
    await page.click('[data-test=demo-card-resident-sun]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=form]');
    await expect.poll(() => page.inputValue('[data-test=field-applicantName]')).toBe('孙桂兰');
    expect(await page.getAttribute('[data-test=field-division-370921]', 'aria-checked')).toBe('true');
    await page.click('[data-test=next]');
    await page.waitForSelector('[data-test=materials]');
    await page.click('[data-test=licence-household-register]');
    await page.waitForSelector('[data-test=licence-fetched]');
    await page.click('[data-test=next]');
    await page.waitForSelector('[data-test=review]');
    await page.click('[data-test=submit]');

    await page.waitForSelector('[data-test=result]');
    const headline = (await page.textContent('[data-test=result-headline]')) ?? '';
    const nextStep = (await page.textContent('[data-test=result-next-step]')) ?? '';
    await page.screenshot({ path: screenshotPath('result-needs-staff.png') });
    expect(headline).toBe('申请已保存，工作人员将尽快处理');
    expect(nextStep).toContain('请留意短信');
    for (const shown of [headline, nextStep]) {
      expect(shown).not.toContain('自动提交');
      expect(shown).not.toContain('不用再来');
    }
  });
  it('lists it on the staff desk in words, with what staff do next, never the code', async () => {
    // The citizen's session is over; a technician opens the staff screens by holding the hall name.
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=finish-confirm], main[data-screen=home]');
    if (await page.isVisible('[data-test=finish-confirm]')) await page.click('[data-test=finish-confirm]');
    await page.waitForSelector('main[data-screen=home]');
    const box = await page.locator('[data-test=hall-name]').boundingBox();
    if (!box) throw new Error('hall name not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForTimeout(3_300);
    await page.mouse.up();
    for (const [field, digits] of [['number', '9001'], ['pin', '135790']] as const) {
      await page.click(`[data-test=staff-${field}]`);
      await page.click('[data-test=pin-key-clear]');
      for (const digit of digits) await page.click(`[data-test=pin-key-${digit}]`);
    }
    await page.click('[data-test=staff-sign-in-submit]');
    await page.click('[data-test=to-staff-desk]');
    const row = page.locator('[data-test=outbox-pending] tr', { hasText: '需人工处理' });
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    await page.screenshot({ path: screenshotPath('staff-desk-needs-staff.png') });
    expect(text).toContain('政务服务系统退回了这份申请');
    expect(text).toContain('请在窗口核对申请内容后为申请人办理');
    expect(text).not.toContain('bad-request');
    expect(text).not.toContain('permanent');

    // 今日办件 (issue 12): the 未提交 button keeps it, with why in words.
    await page.click('[data-test=today-filter-unsent]');
    const unsent = page.locator('[data-test=today-list] > li', { hasText: '未提交（需工作人员处理）' });
    await expect.poll(() => unsent.count()).toBe(1);
    const unsentText = (await unsent.textContent()) ?? '';
    expect(unsentText).toContain('政务服务系统退回了这份申请');
    expect(unsentText).toContain('孙*兰');
    expect(unsentText).not.toContain('bad-request');
    expect(await page.textContent('[data-test=today-filter-unsent]')).toContain('未提交（1）');
  });
});
