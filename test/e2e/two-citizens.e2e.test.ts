import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { connectBridge, type BridgeClient } from '../support/bridge-client.js';
import { kioskPage, launchChromium, screenshotPath } from './support/browser.js';
import { passIdentityCheck } from './support/identity-check.js';

/**
 * Issue 10, kind 6 as people meet it: the first citizen's card is read and their form is on screen; they
 * lift the card (the screen is covered), and the next citizen lays their own within the idle time. The
 * next citizen never sees the first one's name or number, and applies as themselves. The hand at the
 * reader is the test's own connection to the simulated reader; the screen is only tapped.
 */
describe('two citizens back to back at one kiosk', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let hand: BridgeClient;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    hand = await connectBridge(stack.host.bridge ?? { url: '', launchUrl: '' });
  });

  afterAll(async () => {
    hand?.close();
    await browser?.close();
    await stack?.close();
  });

  /** Every text and every field value on the page. */
  const everything = () =>
    page.evaluate<string>("[document.body.innerText, ...Array.from(document.querySelectorAll('input, textarea, select'), (field) => field.value)].join('\\n')");

  /** 技能提升补贴: no situation questions and no eligibility rule the card decides, so the form opens for both. */
  async function openApplication(): Promise<void> {
    await page.click('[data-test=life-cycle-individual]');
    await page.click('[data-test=stage-work]');
    await page.click('[data-test=service-skill-upgrade-subsidy]');
    await page.click('[data-test=start]');
  }

  it('never shows the second citizen the first one\'s data', async () => {
    await openApplication();
    await page.click('[data-test=demo-card-resident-zhang]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=form]');
    await expect.poll(() => page.inputValue('[data-test=field-applicantName]')).toBe('张建华');

    // The first citizen lifts their card: the form is covered at once.
    await hand.call('simulator:remove-card', {});
    await page.waitForSelector('[data-test=card-absent]');
    await page.screenshot({ path: screenshotPath('card-absent-cover.png') });

    // The next citizen lays their own card before any timeout.
    await hand.call('simulator:place-card', { cardId: 'resident-li' });
    await page.waitForSelector('[data-test=life-cycle-individual]');
    await page.waitForSelector('[data-test=card-absent]', { state: 'detached' });
    const shown = await everything();
    expect(shown).not.toContain('张建华');
    expect(shown).not.toContain('370902196803151236');

    // They apply: their card is still on the reader, so the identity step recognises it.
    await openApplication();
    // Their own 人证核验: nothing of the first citizen's check carries over.
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=form]');
    await expect.poll(() => page.inputValue('[data-test=field-applicantName]')).toBe('李秀英');
    expect(await everything()).not.toContain('张建华');
  });
});
