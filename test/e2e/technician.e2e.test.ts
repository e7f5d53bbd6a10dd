import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium, screenshotPath } from './support/browser.js';
import { passIdentityCheck } from './support/identity-check.js';

/**
 * Staff and technician mode in real Chromium against the demo stack: the hidden entry, the PIN pad,
 * the technician's device cards (the simulated reader's SAM ID) and test print, then a receipt that
 * cannot print (paper out on the simulated ESC/POS printer) kept for staff and reprinted by 补打.
 */
describe('technician and staff mode in the browser shell', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function holdHallName(ms: number): Promise<void> {
    const box = await page.locator('[data-test=hall-name]').boundingBox();
    if (!box) throw new Error('hall name not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForTimeout(ms);
    await page.mouse.up();
  }

  async function typePin(field: 'number' | 'pin', digits: string): Promise<void> {
    await page.click(`[data-test=staff-${field}]`);
    await page.click('[data-test=pin-key-clear]');
    for (const digit of digits) await page.click(`[data-test=pin-key-${digit}]`);
  }

  async function signIn(number: string, pin: string): Promise<void> {
    await holdHallName(3_300);
    await page.waitForSelector('[data-test=staff-sign-in]');
    await typePin('number', number);
    await typePin('pin', pin);
    await page.click('[data-test=staff-sign-in-submit]');
  }

  it('opens only on a long hold, refuses a wrong PIN in plain words, and shows the technician the reader and a test print', async () => {
    // A tap, or a short press, does nothing.
    await holdHallName(600);
    await page.waitForTimeout(3_000);
    expect(await page.isVisible('[data-test=staff-sign-in]')).toBe(false);

    await signIn('9001', '000000');
    await expect.poll(() => page.textContent('[data-test=staff-sign-in-problem]')).toContain('工号或密码不正确');
    expect(await page.textContent('[data-test=staff-sign-in-problem]')).toContain('再错 4 次');
    await page.screenshot({ path: screenshotPath('staff-sign-in.png') });
    await typePin('pin', '135790');
    await page.click('[data-test=staff-sign-in-submit]');

    await page.waitForSelector('[data-test=technician]');
    // The citizen's header tools (长辈模式, 结束办理 …) are not shown to staff: their screen has 退出登录.
    expect(await page.isVisible('[data-test=finish]')).toBe(false);
    expect(await page.isVisible('[data-test=elder-mode]')).toBe(false);
    expect(await page.textContent('header')).toContain('工作人员模式');
    const samId = stack.host.devices.idCardReader?.status().serialNumber ?? '';
    expect(samId).not.toBe('');
    await expect.poll(() => page.textContent('[data-test=device-id-card-reader] [data-test=sam-id]')).toBe(samId);
    expect(await page.textContent('[data-test=device-id-card-reader] [data-test=device-summary]')).toBe('正常');
    expect(await page.textContent('[data-test=device-receipt-printer] [data-test=device-summary]')).toBe('正常');
    await page.waitForSelector('[data-test=diagnostics-log] tr');
    // Headless Chromium has no Chinese voice: the host's espeak-ng speaks, and the technician sees which, with its version.
    await expect.poll(() => page.textContent('[data-test=diagnostics-voice]')).toMatch(/主机合成：espeak-ng \d+\.\d+（语音 cmn/);
    await expect.poll(() => page.textContent('[data-test=diagnostics-voice]')).toMatch(/上次播报：主机合成 espeak-ng \d+\.\d+/);

    const printer = stack.host.devices.simulators?.receiptPrinter;
    const before = printer?.receipts.length ?? 0;
    await page.click('[data-test=test-page-receipt-printer]');
    await expect.poll(() => page.textContent('[data-test=technician-message]')).toContain('测试页已打印');
    expect(printer?.receipts.length).toBe(before + 1);
    expect(printer?.receipts.at(-1)?.join('\n')).toContain('打印测试页');
    await page.screenshot({ path: screenshotPath('technician.png'), fullPage: true });

    await page.click('[data-test=staff-sign-out]');
    await page.waitForSelector('[data-test=life-cycle-individual]');
    expect(await stack.host.dispatch('staff:get', {}, stack.host.context())).toEqual({ ok: true, value: null });
  });

  it('tells the citizen plainly when the paper is out, shows the QR, and lets staff reprint the kept receipt', async () => {
    const printer = stack.host.devices.simulators?.receiptPrinter;
    if (!printer) throw new Error('demo printer missing');
    printer.setPaper('out');
    await page.waitForSelector('[data-test=staff-alert-badge]');

    await page.click('[data-test=life-cycle-individual]');
    await page.click('[data-test=stage-elderly-care]');
    await page.click('[data-test=service-senior-preferential-card]');
    await page.click('[data-test=start]');
    // 孙桂兰 (82): 老年人优待证 is for her; its eligibility rules turn 张建华 (58) away before the form.
    await page.click('[data-test=demo-card-resident-sun]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=form]');
    await expect.poll(() => page.inputValue('[data-test=field-mobile]')).toMatch(/^1385380\d{4}$/);
    expect(await page.getAttribute('[data-test=field-division-370921]', 'aria-checked')).toBe('true');
    await page.click('[data-test=next]');
    await page.waitForSelector('[data-test=materials]');
    await page.click('[data-test=licence-household-register]');
    await page.waitForSelector('[data-test=licence-fetched]');
    await page.click('[data-test=next]');
    await page.waitForSelector('[data-test=review]');
    const printedBefore = printer.receipts.length;
    await page.click('[data-test=submit]');

    await page.waitForSelector('[data-test=result]');
    const notice = (await page.textContent('[data-test=receipt-notice]')) ?? '';
    expect(notice).toContain('缺纸');
    expect(notice).toContain('二维码');
    expect(await page.isVisible('[data-test=progress-qr]')).toBe(true);
    const localNumber = (await page.textContent('[data-test=local-number]'))?.trim() ?? '';
    expect(printer.receipts.length).toBe(printedBefore);
    await page.screenshot({ path: screenshotPath('paper-out-result.png') });

    // Staff sign in (the citizen's session is wiped first) and find the receipt waiting.
    await signIn('0001', '246810');
    await page.waitForSelector('[data-test=staff-desk]');
    const row = `[data-test=pending-print-${localNumber}]`;
    await page.waitForSelector(row);
    expect(await page.textContent(row)).toContain('缺纸');
    expect(await page.content()).not.toContain('孙桂兰');
    await page.screenshot({ path: screenshotPath('staff-desk.png'), fullPage: true });

    // 今日办件 (issue 12): the application is on today's list with its 本机编号, its name masked and its receipt waiting.
    const today = `[data-test=today-case-${localNumber}]`;
    await page.waitForSelector(today);
    const todayText = (await page.textContent(today)) ?? '';
    expect(todayText).toContain('孙*兰');
    expect(todayText).toContain('受理回执待补打');
    expect(todayText).toMatch(/已受理|转工作人员审核|已办结|未提交/);
    await page.click('[data-test=today-filter-needs-review]');
    await expect.poll(() => page.getAttribute('[data-test=today-filter-needs-review]', 'aria-pressed')).toBe('true');
    await page.click('[data-test=today-filter-all]');
    await page.waitForSelector(today);
    // Portrait kiosk (1080×1920): the section is read there too.
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.locator('[data-test=today-cases]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('staff-today.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });

    printer.setPaper('ok');
    await page.click(`${row} [data-test=reprint]`);
    await expect.poll(() => page.textContent('[data-test=desk-message]')).toContain('已补打');
    await page.waitForSelector(row, { state: 'detached' });
    const reprint = printer.receipts.at(-1)?.join('\n') ?? '';
    expect(printer.receipts.length).toBe(printedBefore + 1);
    expect(reprint).toContain('受理回执');
    expect(reprint).toContain(localNumber);
    expect(reprint).not.toContain('370921194406102625');

    await page.click('[data-test=staff-sign-out]');
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });
});
