import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../contract/china-time.js';
import { daysInMonth, isoDate, isoDateParts } from '../../contract/date-range.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { launchChromium, screenshotPath } from './support/browser.js';
import { eventually, readCentral } from './support/central-db.js';
import { tapCandidate, tapKey, typeLetters } from './support/ime-harness.js';
import { passIdentityCheck } from './support/identity-check.js';

/**
 * The input-panel service in real Chromium, at the two kiosk sizes (1080×1920 portrait, 1920×1080
 * landscape), in the standard layout, 长辈模式 and 低位操作. Every value is entered as a citizen enters
 * it: by tapping keys and buttons at their centres with the mouse, after checking that the key is fully
 * on screen and is the element under its centre (`elementFromPoint`) — no `fill`, `type`,
 * `keyboard.press` or `selectOption`. Scrolling is done with the wheel over the screen, as a finger
 * drags it. Whenever a panel is open, the test checks that it does not cover the field it types into and
 * that every one of its keys can be tapped. Screenshots go to test/artifacts/.
 */

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
type Mode = 'standard' | 'elder' | 'lower' | 'elder+lower';
interface Layout {
  name: string;
  viewport: { width: number; height: number };
  mode: Mode;
}

/** The Beijing date the kiosk (real clock) takes as today. */
const TODAY = isoDateParts(chinaDate(Date.now())) ?? { year: 0, month: 0, day: 0 };
const FIRST_OF_MONTH = isoDate(TODAY.year, TODAY.month, 1);

/** A father's ID number whose check character is X (GB 11643), typed on the ID pad. */
const FATHER_ID_X = '37091119870623107' + gb11643CheckChar('37091119870623107');

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
const intersects = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('input panels in the browser shell', () => {
  let stack: DemoStack;
  let browser: Browser;
  /** The local number of the application submitted in the first layout, looked up later by typing it. */
  let submittedLocalNumber = '';

  beforeAll(async () => {
    expect(FATHER_ID_X.endsWith('X')).toBe(true);
    stack = await startDemoStack();
    browser = await launchChromium({ camera: 'none' });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function openKiosk(layout: Layout): Promise<Page> {
    await stack.host.dispatch('session:end', { reason: 'staff' }, { audiences: new Set(['citizen']) });
    const context = await browser.newContext({ viewport: layout.viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    await page.waitForSelector('[data-test=life-cycle-individual]');
    if (layout.mode === 'elder' || layout.mode === 'elder+lower') await tap(page, '[data-test=elder-mode]');
    if (layout.mode === 'lower' || layout.mode === 'elder+lower') await tap(page, '[data-test=lower-layout]');
    return page;
  }

  /** Scrolls the screen with the wheel, as a finger drags it, until the element is wholly inside it. */
  async function bringIntoView(page: Page, selector: string): Promise<void> {
    const element = page.locator(selector).first();
    await element.waitFor({ state: 'visible' });
    for (let attempt = 0; attempt < 30; attempt++) {
      const [box, screen] = await Promise.all([element.boundingBox(), page.locator('main.screen').boundingBox()]);
      if (!box || !screen) throw new Error(`${selector} is not laid out`);
      // Controls outside the scrolling screen (header, input panel) are where they are.
      const inScreen = await page.evaluate<boolean>(`document.querySelector(${JSON.stringify(selector)}).closest('main.screen') !== null`);
      if (!inScreen) return;
      const above = box.y < screen.y;
      const below = box.y + box.height > screen.y + screen.height;
      if (!above && !below) return;
      await page.mouse.move(screen.x + screen.width / 2, screen.y + screen.height / 2);
      await page.mouse.wheel(0, above ? box.y - screen.y - 40 : box.y + box.height - (screen.y + screen.height) + 40);
      await page.waitForTimeout(30);
    }
    await page.screenshot({ path: screenshotPath(`input-panels-cannot-scroll-${selector.replace(/[^a-z0-9-]/gi, "_")}.png`) });
    throw new Error(`${selector} cannot be scrolled into view`);
  }

  /** One tap at the centre of a control that is wholly on screen and not covered by anything. */
  async function tap(page: Page, selector: string): Promise<void> {
    await bringIntoView(page, selector);
    const element = page.locator(selector).first();
    const box = await element.boundingBox();
    const viewport = page.viewportSize();
    if (!box || !viewport) throw new Error(`${selector} is not laid out`);
    expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, `${selector} is wholly on screen`).toBe(true);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    // A script string: this file is type-checked for Node, without the DOM's types.
    const onTop = await page.evaluate<boolean>(
      `(() => { const node = document.querySelector(${JSON.stringify(selector)}); const top = document.elementFromPoint(${x}, ${y}); return top !== null && (top === node || node.contains(top)); })()`,
    );
    expect(onTop, `${selector} is the element under its centre`).toBe(true);
    await page.mouse.click(x, y);
  }

  async function tapKeys(page: Page, text: string): Promise<void> {
    for (const character of text) await tap(page, `[data-test=input-panel] [data-test="key-${character === '-' ? 'hyphen' : character === '.' ? 'dot' : character}"]`);
  }

  /**
   * The open panel does not intersect the focused field, the field is wholly visible above it, and every
   * button of the panel is on screen and the element under its own centre.
   */
  async function checkPanel(page: Page, fieldSelector: string, layout: Layout, shot: string): Promise<void> {
    const panel = page.locator('[data-test=input-panel]');
    await panel.waitFor({ state: 'visible' });
    await page.waitForTimeout(120); // the field is scrolled into view on the next frame
    const facts = await page.evaluate<{ panel: Rect; field: Rect; screen: Rect; focused: boolean; keys: { name: string; rect: Rect; onTop: boolean }[] }>(`(() => {
      const rect = (node) => { const r = node.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; };
      const panel = document.querySelector('[data-test=input-panel]');
      const field = document.querySelector(${JSON.stringify(fieldSelector)});
      const keys = Array.from(panel.querySelectorAll('button')).map((key) => {
        const r = key.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return { name: key.dataset.test || key.textContent.trim(), rect: rect(key), onTop: top !== null && (top === key || key.contains(top)) };
      });
      return { panel: rect(panel), field: rect(field), screen: rect(document.querySelector('main.screen')), focused: document.activeElement === field, keys };
    })()`);
    const viewport = layout.viewport;
    await page.screenshot({ path: screenshotPath(`input-panels-${layout.name}-${shot}.png`) });
    expect(facts.focused, `${fieldSelector} keeps the focus while its panel is open`).toBe(true);
    expect(intersects(facts.panel, facts.field), `the panel does not cover ${fieldSelector}`).toBe(false);
    expect(facts.field.y >= facts.screen.y && facts.field.y + facts.field.height <= facts.screen.y + facts.screen.height, `${fieldSelector} is wholly visible above the panel`).toBe(true);
    expect(facts.keys.length).toBeGreaterThan(shot === 'chinese' ? 0 : 3);
    for (const key of facts.keys) {
      const inside = key.rect.x >= 0 && key.rect.y >= 0 && key.rect.x + key.rect.width <= viewport.width && key.rect.y + key.rect.height <= viewport.height;
      expect(inside && key.onTop, `key ${key.name} is wholly on screen and not covered`).toBe(true);
    }
    if (layout.mode === 'lower' || layout.mode === 'elder+lower') expect(facts.panel.y, '低位操作: the panel is in the lower half').toBeGreaterThanOrEqual(viewport.height / 2);
  }

  const value = (page: Page, selector: string) => page.inputValue(selector);

  async function openBirthForm(page: Page): Promise<void> {
    await tap(page, '[data-test=life-cycle-individual]');
    await tap(page, '[data-test=stage-birth]');
    await tap(page, '[data-test=service-birth-one-thing]');
    await tap(page, '[data-test=start]');
    await tap(page, '[data-test=demo-card-resident-li]');
    await passIdentityCheck(page, (selector) => tap(page, selector));
    await page.waitForSelector('[data-test=situation]');
    await tap(page, '[data-test=answer-married-no]');
    await tap(page, '[data-test=answer-same-county-yes]');
    await tap(page, '[data-test=answer-social-security-card-no]');
    await tap(page, '[data-test=next]');
    await page.waitForSelector('[data-test=form]');
  }

  /** Every field kind of 出生一件事 except Chinese text, by taps only. */
  async function fillBirthForm(page: Page, layout: Layout): Promise<void> {
    // Choices are large buttons in the form: no panel, no <select>.
    expect(await page.locator('[data-test=form] select, [data-test=form] input[type=date]').count()).toBe(0);
    await tap(page, '[data-test=field-babySex-female]');
    expect(await page.getAttribute('[data-test=field-babySex-female]', 'aria-checked')).toBe('true');

    // Date: 年, 月, 日 as buttons, only days in the field's range (a birth date is not in the future).
    await tap(page, '[data-test=field-birthDate]');
    await checkPanel(page, '#field-birthDate', layout, 'date');
    // The demo runs on the real clock: today (Beijing) is the last day offered, tomorrow cannot be tapped.
    await tap(page, `[data-test=input-panel] [data-test=year-${TODAY.year}]`);
    await tap(page, `[data-test=input-panel] [data-test=month-${TODAY.month}]`);
    expect(await page.isDisabled(`[data-test=input-panel] [data-test=day-${TODAY.day}]`)).toBe(false);
    if (TODAY.day < daysInMonth(TODAY.year, TODAY.month)) expect(await page.isDisabled(`[data-test=input-panel] [data-test=day-${TODAY.day + 1}]`)).toBe(true);
    await tap(page, '[data-test=input-panel] [data-test=day-1]');
    expect(await value(page, '[data-test=field-birthDate]')).toBe(`${TODAY.year}年${TODAY.month}月1日`);
    // 完成 moves on to the next empty field, the birth certificate's number: letters and digits.
    await tap(page, '[data-test=input-panel] [data-test=key-done]');
    await page.waitForSelector('[data-test=input-panel][data-panel=letters-digits]');
    expect(await page.evaluate('document.activeElement.id')).toBe('field-birthCertificateNumber');
    await checkPanel(page, '#field-birthCertificateNumber', layout, 'letters-digits');
    await tapKeys(page, 'R370123456');
    expect(await value(page, '[data-test=field-birthCertificateNumber]')).toBe('R370123456');

    // ID number: digits and an upper-case X, only as the 18th character.
    await tap(page, '[data-test=field-otherParentIdNumber]');
    await page.waitForSelector('[data-test=input-panel][data-panel=id-number]');
    await checkPanel(page, '#field-otherParentIdNumber', layout, 'id-number');
    expect(await page.isDisabled('[data-test=input-panel] [data-test=key-X]')).toBe(true);
    await tapKeys(page, FATHER_ID_X);
    expect(await value(page, '[data-test=field-otherParentIdNumber]')).toBe(FATHER_ID_X);

    // Phone: prefilled from the shared profile, cleared and typed again on the digit pad.
    await tap(page, '[data-test=field-mobile]');
    await page.waitForSelector('[data-test=input-panel][data-panel=digits]');
    await checkPanel(page, '#field-mobile', layout, 'digits');
    await tap(page, '[data-test=input-panel] [data-test=key-clear]');
    await tapKeys(page, '139053812345'); // one digit too many: the pad stops at 11
    expect(await value(page, '[data-test=field-mobile]')).toBe('13905381234');
    await tap(page, '[data-test=input-panel] [data-test=key-done]');

    // Division: the districts by name, as buttons.
    await tap(page, '[data-test=field-division-370911]');
    expect(await page.getAttribute('[data-test=field-division-370911]', 'aria-checked')).toBe('true');
    await expect.poll(() => page.isVisible('[data-test=input-panel]')).toBe(false);
  }

  /**
   * Chinese names need the pinyin and handwriting panels of the input engines; on a build without them the
   * panel says so plainly, and the names are set here by script so the rest of the flow can be tested.
   */
  /** Names are typed as a citizen types them: pinyin letters on the panel, then the candidate. */
  async function fillNames(page: Page, layout: Layout): Promise<void> {
    await tap(page, '[data-test=field-babyName]');
    await checkPanel(page, '#field-babyName', layout, 'chinese');
    // As a citizen does when the whole name is not offered: 李小 for li'xiao, then 满 for the rest.
    await typeLetters(page, 'lixiaoman');
    await tapCandidate(page, '李小');
    await tapCandidate(page, '满');
    await tapKey(page, '{done}');
    await tap(page, '[data-test=field-otherParentName]');
    await typeLetters(page, 'wangzhiqiang');
    await tapCandidate(page, '王志强');
    await tapKey(page, '{done}');
  }

  const LAYOUTS: Layout[] = [
    { name: 'portrait', viewport: PORTRAIT, mode: 'standard' },
    { name: 'portrait-elder', viewport: PORTRAIT, mode: 'elder' },
    { name: 'portrait-lower', viewport: PORTRAIT, mode: 'lower' },
    { name: 'landscape', viewport: LANDSCAPE, mode: 'standard' },
    { name: 'landscape-elder', viewport: LANDSCAPE, mode: 'elder' },
    { name: 'landscape-elder-lower', viewport: LANDSCAPE, mode: 'elder+lower' },
  ];

  it('fills every kind of field of 出生一件事 by tapping keys, submits, and the confirm page shows plain Chinese', async () => {
    const layout = LAYOUTS[0] as Layout;
    const page = await openKiosk(layout);
    await openBirthForm(page);
    await fillBirthForm(page, layout);
    await fillNames(page, layout);
    await page.screenshot({ path: screenshotPath(`input-panels-${layout.name}-form-filled.png`), fullPage: true });
    await tap(page, '[data-test=next]');

    await page.waitForSelector('[data-test=materials]');
    await tap(page, '[data-test=licence-household-register]');
    await tap(page, '[data-test=licence-birth-medical-certificate]');
    await tap(page, '[data-test=commit-non-marital-statement]');
    await page.waitForSelector('[data-test=commitment]');
    await bringIntoView(page, '[data-test=signature-pad]');
    const pad = await page.locator('[data-test=signature-pad]').boundingBox();
    if (!pad) throw new Error('signature pad not laid out');
    await page.mouse.move(pad.x + pad.width * 0.2, pad.y + pad.height * 0.5);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(pad.x + pad.width * (0.2 + step * 0.06), pad.y + pad.height * (step % 2 ? 0.3 : 0.7));
    await page.mouse.up();
    await tap(page, '[data-test=next]');

    await page.waitForSelector('[data-test=review]');
    const shown = async (id: string) => ((await page.textContent(`[data-test=review-${id}]`)) ?? '').trim();
    expect(await shown('babySex')).toBe('女');
    expect(await shown('birthDate')).toBe(`${TODAY.year}年${TODAY.month}月1日`);
    expect(await shown('division')).toBe('岱岳区');
    expect(await shown('otherParentIdNumber')).toBe(FATHER_ID_X);
    expect(await shown('mailAddress')).toBe('未填写');
    const reviewText = (await page.textContent('[data-test=review]')) ?? '';
    for (const raw of ['female', 'male', FIRST_OF_MONTH, 'true', 'false', 'father', 'mother']) expect(reviewText).not.toContain(raw);
    await page.screenshot({ path: screenshotPath(`input-panels-${layout.name}-review.png`), fullPage: true });
    await tap(page, '[data-test=submit]');
    await page.waitForSelector('[data-test=result]');

    const outcome = await eventually(() => readCentral<{ local_number: string; payload: string }>(stack.centralDbFile, "SELECT local_number, payload FROM cases WHERE service_id = 'birth-one-thing'")[0]);
    const draft = JSON.parse(outcome.payload) as { form: Record<string, unknown> };
    expect(draft.form).toMatchObject({ babySex: 'female', birthDate: FIRST_OF_MONTH, birthCertificateNumber: 'R370123456', otherParentIdNumber: FATHER_ID_X, mobile: '13905381234', division: '370911' });
    submittedLocalNumber = outcome.local_number;

    // 不满意: the reason is a button, the phone number comes from the form and is typed on the digit pad.
    await tap(page, '[data-test=to-rating]');
    await tap(page, '[data-test=rate-dissatisfied]');
    expect(await value(page, '[data-test=rating-contact]')).toBe('13905381234');
    await tap(page, '[data-test=send-rating]');
    expect(await page.textContent('#rating-reason-problem')).toContain('请选择不满意的原因');
    await tap(page, '[data-test=rating-reason-材料要求说得不清楚]');
    await tap(page, '[data-test=rating-contact]');
    await checkPanel(page, '#rating-contact', layout, 'rating-contact');
    await tap(page, '[data-test=input-panel] [data-test=key-clear]');
    await tapKeys(page, '05386201234');
    await tap(page, '[data-test=input-panel] [data-test=key-done]');
    await tap(page, '[data-test=send-rating]');
    await page.waitForSelector('[data-test=thanks]');
    const rating = await eventually(() => readCentral<{ reason: string; contact: string }>(stack.centralDbFile, 'SELECT reason, contact FROM ratings')[0]);
    expect(rating).toMatchObject({ reason: '材料要求说得不清楚', contact: '05386201234' });
    await page.context().close();
  });

  for (const layout of LAYOUTS.slice(1)) {
    it(`fills every kind of field of 出生一件事 by tapping keys: ${layout.name}`, async () => {
      const page = await openKiosk(layout);
      await openBirthForm(page);
      await fillBirthForm(page, layout);
      await fillNames(page, layout);
      await tap(page, '[data-test=next]');
      await page.waitForSelector('[data-test=materials]');
      await page.context().close();
    });
  }

  it('types the local number TA-DEMO-0001-…-0001 in 办件查询, portrait 长辈模式, and finds the application', async () => {
    expect(submittedLocalNumber).toMatch(/^TA-DEMO-0001-\d{8}-0001$/);
    const layout: Layout = { name: 'portrait-elder', viewport: PORTRAIT, mode: 'elder' };
    const page = await openKiosk(layout);
    await tap(page, '[data-test=open-progress]');
    await tap(page, '[data-test=case-ref]');
    await page.waitForSelector('[data-test=input-panel][data-panel=letters-digits]');
    await checkPanel(page, '#case-ref', layout, 'progress');
    await tapKeys(page, submittedLocalNumber);
    expect(await value(page, '[data-test=case-ref]')).toBe(submittedLocalNumber);
    // 完成 looks the number up, as 查询 does.
    await tap(page, '[data-test=input-panel] [data-test=key-done]');
    await page.waitForSelector('[data-test=progress-result]');
    expect(await page.textContent('[data-test=progress-result]')).toContain('出生一件事');
    await page.screenshot({ path: screenshotPath(`input-panels-${layout.name}-progress-found.png`) });
    await page.context().close();
  });

  it('picks 经营范围 from the catalog list and types an amount and a count, landscape 长辈模式', async () => {
    const layout: Layout = { name: 'landscape-elder', viewport: LANDSCAPE, mode: 'elder' };
    const page = await openKiosk(layout);
    await tap(page, '[data-test=life-cycle-enterprise]');
    await tap(page, '[data-test=stage-enterprise-opening]');
    await tap(page, '[data-test=service-individual-business-registration]');
    await tap(page, '[data-test=start]');
    await tap(page, '[data-test=demo-card-resident-li]');
    await passIdentityCheck(page, (selector) => tap(page, selector));
    await page.waitForSelector('[data-test=situation]');
    await tap(page, '[data-test=answer-organisation-personal]');
    await tap(page, '[data-test=answer-standard-scope-yes]');
    await tap(page, '[data-test=next]');
    await page.waitForSelector('[data-test=form]');

    // From the catalog's list: several buttons, each a checkbox; no free-text field for the scope.
    expect(await page.isVisible('[data-test=field-businessScope]')).toBe(false);
    await tap(page, '[data-test="field-businessScopeItems-日用百货销售"]');
    await tap(page, '[data-test="field-businessScopeItems-食品销售（仅销售预包装食品）"]');
    await tap(page, '[data-test="field-businessScopeItems-日用百货销售"]');
    await tap(page, '[data-test="field-businessScopeItems-文具用品零售"]');
    expect(await page.getAttribute('[data-test="field-businessScopeItems-日用百货销售"]', 'aria-checked')).toBe('false');
    expect(await page.getAttribute('[data-test="field-businessScopeItems-文具用品零售"]', 'aria-checked')).toBe('true');

    await tap(page, '[data-test=field-capital]');
    await page.waitForSelector('[data-test=input-panel][data-panel=amount]');
    await checkPanel(page, '#field-capital', layout, 'amount');
    await tapKeys(page, '50000.505'); // the third decimal is refused
    expect(await value(page, '[data-test=field-capital]')).toBe('50000.50');
    await tap(page, '[data-test=field-employees]');
    await page.waitForSelector('[data-test=input-panel][data-panel=digits]');
    await checkPanel(page, '#field-employees', layout, 'count');
    await tapKeys(page, '03');
    expect(await value(page, '[data-test=field-employees]')).toBe('3');
    await page.screenshot({ path: screenshotPath(`input-panels-${layout.name}-business-form.png`), fullPage: true });
    await page.context().close();
  });

  it('search: the letter pad opens by itself and typed initials find 出生一件事, portrait 低位操作', async () => {
    const layout: Layout = { name: 'portrait-lower', viewport: PORTRAIT, mode: 'lower' };
    const page = await openKiosk(layout);
    await tap(page, '[data-test=open-search]');
    await page.waitForSelector('[data-test=input-panel][data-panel=letters]');
    await tap(page, '[data-test=search-input]');
    await checkPanel(page, '#search-input', layout, 'search');
    await tapKeys(page, 'csyjs');
    expect(await value(page, '[data-test=search-input]')).toBe('csyjs');
    await page.waitForSelector('[data-test=result-birth-one-thing]');
    await tap(page, '[data-test=result-birth-one-thing]');
    await page.waitForSelector('[data-test=guide]');
    await page.context().close();
  });
});
