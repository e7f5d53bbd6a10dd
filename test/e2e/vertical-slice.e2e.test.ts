import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium } from './support/browser.js';
import { eventually, readCentral } from './support/central-db.js';
import { passIdentityCheck } from './support/identity-check.js';

/**
 * The foundation's vertical slice, through every layer: real Chromium → browser shell → host →
 * simulated reader (real SAM frames) → outbox → signed HTTP → reference central (SQLite) → receipt on
 * the simulated ESC/POS printer → 好差评 → session wiped and home screen back.
 */
describe('vertical slice in the browser shell', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('takes a citizen from the home screen to a printed receipt, a rating and a wiped session', async () => {
    await page.click('[data-test=life-cycle-individual]');
    await page.click('[data-test=stage-elderly-care]');
    await page.click('[data-test=service-senior-preferential-card]');
    await page.waitForSelector('[data-test=guide]');
    expect(await page.textContent('[data-test=guide-materials]')).toContain('免提交');
    await page.click('[data-test=start]');

    // 孙桂兰 is 82: 老年人优待证 is for her (its eligibility rules turn 张建华, 58, away before the form).
    await page.click('[data-test=demo-card-resident-sun]');
    await passIdentityCheck(page);
    await page.waitForSelector('[data-test=form]');
    // Prefilled from the card (name, number, 户籍 county, address) and from central's shared profile (mobile).
    await expect.poll(() => page.inputValue('[data-test=field-applicantName]')).toBe('孙桂兰');
    expect(await page.inputValue('[data-test=field-idNumber]')).toBe('370921194406102625');
    expect(await page.getAttribute('[data-test=field-division-370921]', 'aria-checked')).toBe('true');
    await expect.poll(() => page.inputValue('[data-test=field-mobile]')).toMatch(/^1385380\d{4}$/);
    await page.click('[data-test=next]');

    await page.waitForSelector('[data-test=materials]');
    await page.click('[data-test=licence-household-register]');
    await page.waitForSelector('[data-test=licence-fetched]');
    await page.click('[data-test=next]');

    await page.waitForSelector('[data-test=review]');
    expect(await page.textContent('[data-test=review-id]')).toBe('370921194406102625');
    await page.click('[data-test=submit]');

    await page.waitForSelector('[data-test=result]');
    const caseNumber = (await page.textContent('[data-test=case-number]'))?.trim() ?? '';
    const localNumber = (await page.textContent('[data-test=local-number]'))?.trim() ?? '';
    expect(caseNumber).toMatch(/^TA\d{14}$/);
    await page.waitForSelector('[data-test=receipt-printed]');

    // Central recorded exactly this application, once, signed as this terminal.
    const cases = readCentral<{ case_number: string; service_id: string; applicant_id: string; terminal_id: string; status: string }>(
      stack.centralDbFile,
      'SELECT case_number, service_id, applicant_id, terminal_id, status FROM cases WHERE local_number = ?',
      localNumber,
    );
    // 秒批: she meets every rule, so central approves at once.
    expect(cases).toEqual([
      { case_number: caseNumber, service_id: 'senior-preferential-card', applicant_id: '370921194406102625', terminal_id: 'TA-DEMO-0001', status: 'approved' },
    ]);

    // The simulated printer received one receipt with the case number and no full ID number.
    const printer = stack.host.devices.simulators?.receiptPrinter;
    expect(printer?.receipts.length).toBe(1);
    const receipt = printer?.receipts[0]?.join('\n') ?? '';
    expect(receipt).toContain('受理回执');
    expect(receipt).toContain(caseNumber);
    expect(receipt).not.toContain('370921194406102625');
    // Receipts are journalled under the local number: it finds the outbox record a 补打 is rendered from.
    expect(stack.host.printing.journal).toContainEqual(expect.objectContaining({ document: 'receipt', caseRef: localNumber, status: 'printed' }));

    await page.click('[data-test=to-rating]');
    await page.click('[data-test=rate-very-satisfied]');
    await page.click('[data-test=send-rating]');
    await page.waitForSelector('[data-test=thanks]');
    const ratings = await eventually(() => {
      const rows = readCentral<{ level: string; channel: string }>(stack.centralDbFile, 'SELECT level, channel FROM ratings WHERE case_number = ?', caseNumber);
      return rows.length > 0 ? rows : null;
    }, 15_000, 'the rating to reach central');
    expect(ratings).toEqual([{ level: 'very-satisfied', channel: 'self-service-terminal' }]);

    await page.click('[data-test=done]');
    await page.waitForSelector('[data-test=life-cycle-individual]');
    // Wiped: nothing of the citizen left in the page, in the host's session, or in the print spool.
    const html = await page.content();
    expect(html).not.toContain('孙桂兰');
    expect(html).not.toContain('370921194406102625');
    expect(await stack.host.dispatch('session:get', {}, { audiences: new Set(['citizen']) })).toEqual({ ok: true, value: null });
    expect(readdirSync(join(stack.config.dataDir, 'spool'))).toEqual([]);
  });

  it('tells the citizen plainly when a card is expired and keeps them on the identity step', async () => {
    await page.click('[data-test=life-cycle-individual]');
    await page.click('[data-test=stage-elderly-care]');
    await page.click('[data-test=service-senior-preferential-card]');
    await page.click('[data-test=start]');
    // The first citizen's card still lay on the reader (the kiosk asked to lift it); the hand swaps it.
    await page.click('[data-test=demo-card-resident-expired]');
    await page.waitForSelector('[data-test=identity-problem]');
    await expect.poll(() => page.textContent('[data-test=identity-problem]')).toContain('有效期');
    expect(await page.isVisible('[data-test=identity]')).toBe(true);
    await page.click('[data-test=finish]');
    await page.click('[data-test=finish-confirm]');
    await page.waitForSelector('[data-test=life-cycle-individual]');
  });
});
