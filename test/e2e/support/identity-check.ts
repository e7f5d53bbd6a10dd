import type { Page } from 'playwright-core';

/** Demo mode's staff account (host/services/demo-staff.ts; its PIN is in the README's demo section). */
export const DEMO_STAFF = { number: '0001', pin: '246810' } as const;

/**
 * 请确认是本人办理 (issue 14) for the e2e files that drive the page by selector: most applications ask
 * for 人证核验 after the card, and the test kiosks have no face check, so the citizen calls staff, who
 * type their 工号 and PIN on the pad; then 下一步. `press` is the file's own way of tapping (default: click).
 * Waits for the screen, so call it only where the card is expected to pass (not for a card turned away).
 */
export async function passIdentityCheck(page: Page, press: (selector: string) => Promise<void> = (selector) => page.click(selector), staff = DEMO_STAFF): Promise<void> {
  await page.waitForSelector('main[data-screen=assurance] [data-test=check-staff]', { timeout: 15_000 }).catch(async (error: unknown) => {
    // Say where the citizen is instead, for whoever reads a failed run.
    const screen = await page.getAttribute('main[data-screen]', 'data-screen').catch(() => null);
    const heading = await page.textContent('h1').catch(() => null);
    throw new Error(`请确认是本人办理 did not appear: the screen is ${screen ?? 'unknown'} (${heading?.trim() ?? 'no heading'}); ${String(error)}`);
  });
  await press('[data-test=check-staff]');
  await page.waitForSelector('[data-test=staff-check]');
  await press('[data-test=staff-check-number]');
  for (const digit of staff.number) await press(`[data-test=staff-check] [data-test=pin-key-${digit}]`);
  await press('[data-test=staff-check-pin]');
  for (const digit of staff.pin) await press(`[data-test=staff-check] [data-test=pin-key-${digit}]`);
  await press('[data-test=staff-check-confirm]');
  await page.waitForSelector('[data-test=check-continue]', { timeout: 15_000 });
  await press('[data-test=check-continue]');
}
