import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium } from './support/browser.js';

/**
 * 适老化 and barrier-free use (DOMAIN.md §6) in real Chromium: elder mode really enlarges text and
 * targets, every voice prompt is on screen as text, and the idle countdown warns, can be extended with
 * 继续办理 or any tap, again and again. The session times out after 30 s here, with the countdown shown
 * for the last 25 s, so the warning comes 5 s after the last activity.
 */
describe('accessibility in the browser shell', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startDemoStack({ config: { session: { idleTimeoutSeconds: 30, idleWarningSeconds: 25 } } });
    browser = await launchChromium();
    page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  // Script strings: this file is type-checked for Node, without the DOM's types.
  const computed = (selector: string, property: 'fontSize' | 'lineHeight') =>
    page.evaluate<number>(`Number.parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property})`);
  const fontSize = (selector: string) => computed(selector, 'fontSize');
  const box = async (selector: string) => (await page.locator(selector).first().boundingBox()) ?? { width: 0, height: 0 };

  it('elder mode enlarges body text to 32 px and every target to at least 60×60', async () => {
    await page.click('[data-test=open-search]');
    expect(await fontSize('[data-test=search] label')).toBe(24);
    await page.click('[data-test=elder-mode]');
    expect(await fontSize('[data-test=search] label')).toBe(32);
    const lineHeight = await computed('[data-test=search] label', 'lineHeight');
    expect(lineHeight / 32).toBeGreaterThanOrEqual(1.3);
    for (const selector of ['[data-test=key-q]', '[data-test=key-backspace]', '[data-test=word-生孩子]', '[data-test=back]', '[data-test=finish]', '[data-test=voice-repeat]']) {
      const { width, height } = await box(selector);
      expect(Math.min(width, height), selector).toBeGreaterThanOrEqual(60);
    }
    // The next person starts in the standard mode: preferences go with the session.
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=life-cycle-individual]');
    expect(await page.getAttribute('[data-test=elder-mode]', 'aria-pressed')).toBe('false');
  });

  it('shows every voice prompt as text, and the idle countdown can be extended with 继续办理 or any tap', async () => {
    expect(await page.textContent('[data-test=voice-caption-text]')).toContain('请选择办理个人事项或企业事项');
    await page.click('[data-test=life-cycle-individual]');
    await page.click('[data-test=stage-elderly-care]');
    await page.click('[data-test=service-senior-preferential-card]');
    await page.click('[data-test=start]');
    await page.waitForSelector('[data-test=identity]');
    expect(await page.textContent('[data-test=voice-caption-text]')).toBe('请将身份证放在读卡区，或出示电子身份码');

    await page.waitForSelector('[data-test=idle-banner]', { timeout: 15_000 });
    expect(await page.textContent('[data-test=idle-banner]')).toMatch(/还在办理吗？\d+ 秒后将自动结束/);
    expect(await page.textContent('[data-test=voice-caption-text]')).toContain('您还在办理吗');
    await page.click('[data-test=extend]');
    await page.waitForSelector('[data-test=idle-banner]', { state: 'detached' });

    // The timer restarted: the warning comes back, and a tap anywhere also counts as 继续办理.
    await page.waitForSelector('[data-test=idle-banner]', { timeout: 15_000 });
    await page.click('[data-test=identity] h1');
    await page.waitForSelector('[data-test=idle-banner]', { state: 'detached' });
    expect(await page.isVisible('[data-test=identity]')).toBe(true);
    expect(await stack.host.dispatch('session:get', {}, { audiences: new Set(['citizen']) })).toMatchObject({ ok: true, value: { serviceId: 'senior-preferential-card' } });

    await page.click('[data-test=finish]');
    await page.click('[data-test=finish-confirm]');
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });
});
