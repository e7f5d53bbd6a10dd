import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { DEMO_STAFF_CARD_NUMBER } from '../../host/services/demo-staff.js';
import { launchChromium } from './support/browser.js';
import { Citizen } from './support/citizen.js';

/**
 * 刷身份证登录 (issue 12) on a portrait kiosk, by tapping only: the staff member holds the hall name, taps
 * 刷身份证登录 and lays their own card (demo mode's 周*明 card, account 0001's); the kiosk asks only the PIN and
 * opens staff mode. A card no account carries gets the plain 此身份证未登记为工作人员 message; five wrong PINs
 * after the card lock the account, on the 工号 path too. Neither the card's number nor the PIN reaches the
 * host's log or audit.
 */
const STAFF_CARD = /周\*明/;
const CITIZEN_CARD = /李\*英/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('刷身份证登录: staff sign in with their own ID card and the PIN', () => {
  let stack: DemoStack;
  let browser: Browser;
  let kiosk: Citizen;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium({ camera: 'none' });
    kiosk = await Citizen.open(browser, 'portrait', stack.host.bridge?.launchUrl ?? '', 'staff-card');
    await kiosk.waitForScreen('home');
  });

  afterAll(async () => {
    await kiosk?.close();
    await browser?.close();
    await stack?.close();
  });

  /** The hidden entry: a press on the hall name held for 3 s (a person's finger, not a tap). */
  async function holdHallName(): Promise<void> {
    const name = await kiosk.find({ test: 'hall-name' });
    const box = await name.boundingBox();
    if (!box) throw new Error('hall name not on screen');
    await kiosk.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await kiosk.page.mouse.down();
    await kiosk.page.waitForTimeout(3_300);
    await kiosk.page.mouse.up();
    await kiosk.find({ test: 'staff-sign-in' });
  }

  async function typeCardPin(pin: string): Promise<void> {
    for (const digit of pin) await kiosk.tap({ test: `pin-key-${digit}` }, { within: { test: 'staff-card-pin' } });
    await kiosk.tap({ test: 'staff-card-submit' });
  }

  async function layCard(card: RegExp, until: { test: string }): Promise<void> {
    await kiosk.find({ test: 'staff-card-waiting' });
    await kiosk.placeDemoCard(card, () => kiosk.sees(until), { confirmInPerson: false });
  }

  it('refuses an unregistered card plainly, then signs 0001 in with the demo card and the PIN', async () => {
    await holdHallName();
    await kiosk.tap({ test: 'staff-card-sign-in' });
    await layCard(CITIZEN_CARD, { test: 'staff-card-not-registered' });
    expect(await kiosk.read({ test: 'staff-card-problem' })).toBe('此身份证未登记为工作人员，请用工号和密码登录。');
    await kiosk.screenshot('staff-card-not-registered');
    // No citizen session was started by that card: the kiosk stays on the sign-in screen, with no session.
    expect(await kiosk.page.getAttribute('main', 'data-screen')).toBe('staff-sign-in');
    expect(await stack.host.dispatch('session:get', {}, stack.host.context())).toEqual({ ok: true, value: null });

    await kiosk.tap({ test: 'staff-card-use-number' });
    await kiosk.find({ test: 'staff-number' });
    await kiosk.tap({ test: 'staff-card-sign-in' });
    await layCard(STAFF_CARD, { test: 'staff-card-pin' });
    // The card alone signs nobody in.
    expect(await stack.host.dispatch('staff:get', {}, stack.host.context())).toEqual({ ok: true, value: null });
    await kiosk.screenshot('staff-card-pin');
    await typeCardPin('246810');
    await kiosk.find({ test: 'staff-desk' }, { timeoutMs: 10_000 });
    expect(await kiosk.page.textContent('header')).toContain('工作人员模式');
    expect(await stack.host.dispatch('staff:get', {}, stack.host.context())).toMatchObject({ ok: true, value: { number: '0001', role: 'staff' } });
    expect(await stack.host.dispatch('session:get', {}, stack.host.context())).toEqual({ ok: true, value: null });
    await kiosk.screenshot('staff-card-signed-in');
    await kiosk.tap({ test: 'staff-sign-out' });
    await kiosk.waitForScreen('home');
  });

  it('locks the account after five wrong PINs after the card, for the 工号 path too; nothing of the card is logged', async () => {
    await holdHallName();
    await kiosk.tap({ test: 'staff-card-sign-in' });
    await layCard(STAFF_CARD, { test: 'staff-card-pin' });
    for (let attempt = 1; attempt <= 4; attempt++) {
      await typeCardPin('000000');
      await expect.poll(() => kiosk.read({ test: 'staff-card-problem' })).toContain(`再错 ${5 - attempt} 次`);
    }
    await typeCardPin('000000');
    await expect.poll(() => kiosk.read({ test: 'staff-card-problem' })).toContain('已暂时锁定');
    await kiosk.screenshot('staff-card-locked');
    // The right PIN is refused while locked, and the 工号 path is locked as well.
    await typeCardPin('246810');
    await expect.poll(() => kiosk.read({ test: 'staff-card-problem' })).toContain('已暂时锁定');
    expect(await stack.host.dispatch('staff:get', {}, stack.host.context())).toEqual({ ok: true, value: null });
    await kiosk.tap({ test: 'staff-card-use-number' });
    await kiosk.tap({ test: 'staff-number' });
    for (const digit of '0001') await kiosk.tap({ test: `pin-key-${digit}` }, { within: { test: 'staff-sign-in' } });
    await kiosk.tap({ test: 'staff-pin' });
    for (const digit of '246810') await kiosk.tap({ test: `pin-key-${digit}` }, { within: { test: 'staff-sign-in' } });
    await kiosk.tap({ test: 'staff-sign-in-submit' });
    await expect.poll(() => kiosk.read({ test: 'staff-sign-in-problem' })).toContain('已暂时锁定');

    const audit = JSON.stringify(stack.host.outbox.audit.entries());
    expect(audit).toContain('staff.card-read');
    expect(audit).toContain('staff.locked');
    const written = filesUnder(join(stack.dataDir, 'kiosk')).filter((file) => /\.(log|jsonl?|txt)$/.test(file)).map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const text of [audit, written]) {
      expect(text).not.toContain(DEMO_STAFF_CARD_NUMBER);
      expect(text).not.toContain('周立明');
      expect(text).not.toContain('246810');
    }
  });
});
