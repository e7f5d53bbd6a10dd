import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { pinyin } from 'pinyin-pro';
import ts from 'typescript';
import { screenshotPath } from './browser.js';

/**
 * A citizen at the kiosk, for end-to-end tests (issue 9, "Tests that must exist"): it acts **only** as a
 * person with one finger can. It never fills, types, presses keys, selects options, dispatches events or
 * calls the bridge; it taps what is on screen, swipes a scroll area, and draws with a fingertip.
 *
 * - **Finding**: by visible text, by accessible name (role + name), by a field's label, or by the
 *   `data-test` names the app already uses where a label is ambiguous or changes with state.
 * - **Tapping**: a touch tap (Chromium's touch input through CDP, `hasTouch` contexts), at the control's
 *   centre, after two checks: the whole control is inside the viewport, and the element under its centre
 *   (`document.elementFromPoint`) is the control or inside it. A disabled control is reported, not tapped.
 *   Any failure throws with the reason and a screenshot in test/artifacts/citizen-failures/.
 * - **Scrolling**: only by swiping, as a person does on a touch screen: a touch drag on the control's
 *   scroll container (a point of its visible part that is not a drawing pad), finger held still before
 *   it lifts so there is no fling. No scroll cue is assumed; where the app offers one, tapping it is a tap.
 * - **Drawing**: strokes are touch drags (handwriting from the Make Me a Hanzi medians that the npm
 *   package `hanzi-writer-data` ships; signatures likewise), so a pad that lets the browser take the
 *   touch for panning fails here as it would under a finger.
 * - **Counting**: every tap is counted (`taps`), strokes and swipes apart; demo-card placement is not a
 *   tap of the citizen's journey (`cardPlacements`). `ux.taps.<service>` in `npm run bench` reads these.
 *
 * Reading the page (text, layout, colours) is not acting and is allowed: the in-page probe
 * (./in-page/probe.ts) does it.
 */

/** Kiosk screens: most hall kiosks are upright 1080×1920; desk terminals are 1920×1080. */
export const ORIENTATIONS = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
} as const;
export type Orientation = keyof typeof ORIENTATIONS;

/** The least time between lifting a finger from a stroke or swipe and the next tap (see restAfterDrag). */
const DRAG_TO_TAP_MS = 300;

/** How a person singles out a control. */
export type Target =
  /** Visible text, exact unless `exact: false` (a RegExp matches within). */
  | { text: string | RegExp; exact?: boolean }
  /** Accessible name of a control (button, radio, checkbox, tab, option, link, switch or textbox unless `role`). */
  | { name: string | RegExp; role?: ControlRole }
  /** A form field by its label (label element, aria-label or aria-labelledby), exactly, perhaps with （选填）. */
  | { field: string }
  /** The app's `data-test` name, where a label is ambiguous or changes with state. */
  | { test: string };
type ControlRole = 'button' | 'radio' | 'checkbox' | 'switch' | 'tab' | 'option' | 'link' | 'textbox' | 'img' | 'dialog' | 'region' | 'group';

export interface FindOptions {
  /** Look only inside this (a panel, a card). */
  within?: Target;
  /** Which one when several are visible (0 = first in document order); otherwise several is an error. */
  nth?: number;
  /** How long the control may take to appear. */
  timeoutMs?: number;
}

/**
 * The markup the input panels are expected to carry (issue 9: one input-panel service, B; pinyin and
 * handwriting panels, A). Keys and candidates are found by their visible text inside these.
 */
export const PANEL = {
  /** The open input panel (any kind): TheInputPanel's region. */
  root: { test: 'input-panel' },
  /** Pinyin: the letters typed so far, with syllable breaks. */
  composition: { test: 'composition' },
  /** Pinyin: the row of candidates, saying which letters it answers (data-answered); each candidate, pinyin or handwriting, is a [data-test=candidate] button. */
  candidates: { test: 'candidates' },
  /** Handwriting: the pad to write on. */
  handwritingPad: { test: 'handwriting-pad' },
} satisfies Record<string, Target>;

/** Keys and buttons of the panels, by what they show: 完成, 清空, 手写, 下一页 (found by tapKey). */
export const PANEL_KEYS = { done: '完成', clear: '清空', toHandwriting: '手写', nextPage: '下一页' } as const;

const requireHere = createRequire(import.meta.url);
const PROBE_FILE = fileURLToPath(new URL('./in-page/probe.ts', import.meta.url));
let probeScript: string | null = null;

/** The in-page probe as a classic script, transpiled once per process. */
function probeSource(): string {
  probeScript ??= ts.transpileModule(readFileSync(PROBE_FILE, 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None, removeComments: true },
  }).outputText;
  return probeScript;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface TapCheck {
  box: Box;
  inViewport: boolean;
  scroll: { port: Box; direction: 'up' | 'down'; distance: number } | null;
  coveredBy: string;
  disabled: boolean;
  description: string;
}

/** A typed door to the in-page probe, called from closure-free arrows (they run in the page). */
type Probe = {
  checkTap(element: unknown): TapCheck;
  swipeStart(element: unknown, port: Box): [number, number] | null;
  describeElement(element: unknown): string;
  fieldValue(element: unknown): string;
  nextFrame(): Promise<void>;
};
type ProbeWindow = { __citizenProbe: Probe };

/** Thrown when a person could not do what the test asked; the message says why and where to look. */
export class CitizenCannot extends Error {
  override name = 'CitizenCannot';
}

/** One step a citizen took, for the walkthrough's log and the failure report. */
export interface Step {
  kind: 'tap' | 'stroke' | 'swipe' | 'card';
  what: string;
}

export class Citizen {
  /** Taps on the way (keys, candidates, buttons, fields): what `ux.taps.<service>` reports. */
  taps = 0;
  /** Strokes drawn (handwriting, signature). */
  strokes = 0;
  /** Swipes to scroll. */
  swipes = 0;
  /** Demo-card placements (a hand laying a card on the reader, not a tap of the journey). */
  cardPlacements = 0;
  /** Placements again after the kiosk said the card was not read. */
  cardRereads = 0;
  /** Taps done again because the first left no visible change (see tapCandidate). */
  repeatedTaps = 0;
  /** Taps of the staff member who confirmed the citizen in person (人工核验: 工号, PIN, 确认核验), not the citizen's. */
  staffTaps = 0;
  /** Pause between the points of a drag (a finger takes time to move). */
  paceMs = 0;
  /** When the last drag (stroke or swipe) lifted, Date.now(). */
  private lastDragEnd = 0;
  /** Everything done, in order (kept short: the last 200 steps). */
  readonly steps: Step[] = [];
  private failures = 0;

  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    private readonly cdp: CDPSession,
    readonly orientation: Orientation,
    readonly label: string,
  ) {}

  /** A new touch-screen context at a kiosk size, with the probe in every document, opened at `url`. */
  static async open(browser: Browser, orientation: Orientation, url: string, label: string = orientation): Promise<Citizen> {
    const context = await browser.newContext({ viewport: ORIENTATIONS[orientation], hasTouch: true, locale: 'zh-CN', deviceScaleFactor: 1 });
    await context.addInitScript({ content: probeSource() });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(url);
    await page.waitForSelector('main[data-screen]', { state: 'attached' });
    return new Citizen(page, context, cdp, orientation, label);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Counters so far, to take differences around one journey. */
  counts(): { taps: number; strokes: number; swipes: number; cardPlacements: number } {
    return { taps: this.taps, strokes: this.strokes, swipes: this.swipes, cardPlacements: this.cardPlacements };
  }

  // ── Finding ────────────────────────────────────────────────────────────────────────────────────────

  /** A Playwright locator for a target (reading only; acting goes through tap/draw). */
  locate(target: Target, within?: Target): Locator {
    const base = within ? this.locate(within) : this.page.locator('body');
    if ('test' in target) return base.locator(`[data-test="${target.test}"]`);
    if ('text' in target) return base.getByText(target.text, { exact: target.exact ?? true });
    if ('field' in target) return base.getByLabel(new RegExp(`^\\s*${escapeRegExp(target.field)}\\s*(（选填）)?\\s*$`));
    const roles: ControlRole[] = target.role ? [target.role] : ['button', 'radio', 'checkbox', 'switch', 'tab', 'option', 'link', 'textbox'];
    const exact = typeof target.name === 'string';
    return roles.map((role) => base.getByRole(role, { name: target.name, exact })).reduce((all, next) => all.or(next));
  }

  /** The one visible element for a target, waiting for it to appear; several without `nth` is an error. */
  async find(target: Target, options: FindOptions = {}): Promise<Locator> {
    const visible = this.locate(target, options.within).filter({ visible: true });
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const count = await visible.count();
      if (count === 1 || (count > 1 && options.nth !== undefined && options.nth < count)) return visible.nth(count === 1 ? 0 : (options.nth ?? 0));
      if (count > 1) {
        const names = await visible.evaluateAll((elements) => elements.map((element) => (globalThis as unknown as ProbeWindow).__citizenProbe.describeElement(element)));
        throw await this.cannot(`find one ${describe(target)}: ${count} are visible (${names.join('; ')})`);
      }
      if (Date.now() > deadline) throw await this.cannot(`see ${describe(target)}${options.within ? ` inside ${describe(options.within)}` : ''}: it is not on screen`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Whether a target is on screen now (rendered, maybe below the fold), without waiting. */
  async sees(target: Target, within?: Target): Promise<boolean> {
    return (await this.locate(target, within).filter({ visible: true }).count()) > 0;
  }

  /** The text a person reads in a target. */
  async read(target: Target, options: FindOptions = {}): Promise<string> {
    return ((await (await this.find(target, options)).innerText()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The value shown in a form field (an input's value, or a field button's text). */
  async fieldValue(label: string): Promise<string> {
    const field = await this.find({ field: label });
    return field.evaluate((element) => (globalThis as unknown as ProbeWindow).__citizenProbe.fieldValue(element));
  }

  /** Waits until the screen on display is `name` (App.vue's main[data-screen]). */
  async waitForScreen(name: string, timeoutMs = 15_000): Promise<void> {
    try {
      await this.page.waitForSelector(`main[data-screen="${name}"]`, { timeout: timeoutMs });
    } catch {
      const shown = await this.page.getAttribute('main', 'data-screen');
      throw await this.cannot(`reach the ${name} screen: still on ${shown ?? 'no screen'}`);
    }
  }

  // ── Acting ─────────────────────────────────────────────────────────────────────────────────────────

  /** Taps a control with one finger, after checking a finger can reach it (see the file's comment). */
  async tap(target: Target, options: FindOptions = {}): Promise<void> {
    const element = await this.find(target, options);
    await this.tapElement(element, describe(target));
  }

  /** Taps the visible text (a tile's title, an option's label). */
  async tapText(text: string | RegExp, options: FindOptions = {}): Promise<void> {
    await this.tap({ text }, options);
  }

  /** Taps an element already found; swipes it into view first when it is below or above the fold. */
  async tapElement(element: Locator, what: string): Promise<void> {
    const check = await this.bringIntoView(element, what);
    if (check.disabled) throw await this.cannot(`tap ${what}: it is disabled (${check.description})`);
    if (check.coveredBy) throw await this.cannot(`tap ${what}: the element under its centre is ${check.coveredBy}, not the control (${check.description})`);
    const x = check.box.x + check.box.width / 2;
    const y = check.box.y + check.box.height / 2;
    await this.restAfterDrag();
    await this.page.touchscreen.tap(x, y);
    this.taps++;
    this.log({ kind: 'tap', what });
    await this.settle();
  }

  /** Swipes the control's scroll container until the whole control is in the viewport. */
  private async bringIntoView(element: Locator, what: string): Promise<TapCheck> {
    for (let swipe = 0; ; swipe++) {
      const check = await this.stillCheck(element);
      if (check.inViewport && !check.scroll) return check;
      if (!check.scroll || swipe >= 12) {
        const where = `at x ${Math.round(check.box.x)}, y ${Math.round(check.box.y)}, ${Math.round(check.box.width)}×${Math.round(check.box.height)} in a ${this.viewportText()} screen`;
        throw await this.cannot(`tap ${what}: it is outside the viewport (${where})${check.scroll ? ' and swiping does not bring it in' : ' and nothing scrolls to it'}`);
      }
      const start = await element.evaluate((node, port) => (globalThis as unknown as ProbeWindow).__citizenProbe.swipeStart(node, port), check.scroll.port);
      if (!start) throw await this.cannot(`tap ${what}: it is below the fold and there is nowhere in its scroll area to start a swipe`);
      const distance = Math.min(check.scroll.distance + 40, check.scroll.port.height * 0.6);
      await this.swipe(start[0], start[1], check.scroll.direction === 'up' ? -distance : distance);
    }
  }

  /**
   * Where the control is once the screen has stopped moving: a person waits for a smooth scroll or a
   * panel sliding in to come to rest before aiming (a tap aimed at a moving target lands elsewhere).
   */
  private async stillCheck(element: Locator): Promise<TapCheck> {
    let check = await element.evaluate((node) => (globalThis as unknown as ProbeWindow).__citizenProbe.checkTap(node));
    for (let look = 0; look < 30; look++) {
      await this.settle();
      const again = await element.evaluate((node) => (globalThis as unknown as ProbeWindow).__citizenProbe.checkTap(node));
      const moved = Math.abs(again.box.x - check.box.x) + Math.abs(again.box.y - check.box.y) + Math.abs(again.box.width - check.box.width) + Math.abs(again.box.height - check.box.height);
      check = again;
      if (moved < 1) break;
    }
    return check;
  }

  /** One swipe: finger down, moves `dy` (negative = up, revealing what is below), rests, lifts. */
  async swipe(x: number, y: number, dy: number): Promise<void> {
    const steps = Math.max(6, Math.round(Math.abs(dy) / 25));
    // Chromium's touch slop: the first few pixels only decide that this is a scroll.
    const path: Array<[number, number]> = [];
    for (let step = 1; step <= steps; step++) path.push([x, y + (dy * step) / steps]);
    await this.touchDrag([[x, y], ...path], 120);
    this.swipes++;
    this.log({ kind: 'swipe', what: `${dy < 0 ? 'up' : 'down'} ${Math.round(Math.abs(dy))}px at ${Math.round(x)},${Math.round(y)}` });
    await this.page.waitForTimeout(150);
  }

  /** A touch drag through `points` (viewport CSS px); `holdMs` still before lifting (no fling). */
  private async touchDrag(points: ReadonlyArray<readonly [number, number]>, holdMs = 30): Promise<void> {
    const [first, ...rest] = points;
    if (!first) return;
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: first[0], y: first[1] }] });
    for (const [x, y] of rest) {
      await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
      if (this.paceMs > 0) await this.page.waitForTimeout(this.paceMs);
    }
    if (holdMs > 0) await this.page.waitForTimeout(holdMs);
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    this.lastDragEnd = Date.now();
  }

  /**
   * A finger that has just written or swiped takes a moment before it taps: Chromium's gesture
   * recogniser drops a tap that follows a drag within a few tens of milliseconds (seen: the candidate
   * tapped right after the last stroke got pointerdown/up but no click). A person is never that quick.
   */
  private async restAfterDrag(): Promise<void> {
    const wait = this.lastDragEnd + DRAG_TO_TAP_MS - Date.now();
    if (wait > 0) await this.page.waitForTimeout(wait);
  }

  /** Draws strokes in a box (each stroke a list of points in 0…1 of the box), with one finger. */
  async draw(target: Target, strokes: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, options: FindOptions = {}): Promise<void> {
    const element = await this.find(target, options);
    const check = await this.bringIntoView(element, describe(target));
    if (check.coveredBy) throw await this.cannot(`draw on ${describe(target)}: the element under its centre is ${check.coveredBy}`);
    const { box } = check;
    // A person writes where they see the pad: if it moves under the finger between strokes (a panel that
    // grows when candidates arrive), the rest of the character lands in the wrong place. That is a defect.
    const stayedPut = async (when: string) => {
      const now = await element.boundingBox();
      if (!now || Math.abs(now.x - box.x) > 1 || Math.abs(now.y - box.y) > 1 || Math.abs(now.width - box.width) > 1 || Math.abs(now.height - box.height) > 1) {
        const moved = now ? `to ${Math.round(now.x)},${Math.round(now.y)} ${Math.round(now.width)}×${Math.round(now.height)}` : 'off the page';
        throw await this.cannot(`draw on ${describe(target)}: it moved ${when}, from ${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)} ${moved} — the finger would draw off it`);
      }
    };
    for (const [index, stroke] of strokes.entries()) {
      const points = densify(stroke.map(([u, v]) => [box.x + u * box.width, box.y + v * box.height] as const), 10);
      await this.touchDrag(points);
      this.strokes++;
      await stayedPut(`after stroke ${index + 1} of ${strokes.length}`);
    }
    this.log({ kind: 'stroke', what: `${strokes.length} strokes on ${describe(target)}` });
    await this.settle();
    await stayedPut('once the strokes were answered');
  }

  // ── Typing on the kiosk's own input panels ─────────────────────────────────────────────────────────

  /** The open input panel; a clear failure when tapping the field opened none. */
  private async panel(field: string): Promise<void> {
    try {
      await this.find(PANEL.root, { timeoutMs: 5_000 });
    } catch {
      throw await this.cannot(`type into «${field}»: tapping it opened no input panel (no ${describe(PANEL.root)} on screen)`);
    }
  }

  /**
   * Taps a key of the open panel by what it shows (a letter, a digit, X, -, 退格…): a button whose text or
   * accessible name is exactly that, else a key of a keyboard library that renders keys as plain elements
   * (simple-keyboard's `data-skbtn`).
   */
  async tapKey(label: string): Promise<void> {
    const panel = this.locate(PANEL.root);
    const exactText = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    const candidates = [
      panel.getByRole('button', { name: label, exact: true }).or(panel.getByRole('button').filter({ hasText: exactText })),
      panel.locator(`[data-skbtn="${label.replace(/"/g, '\\"')}"]`),
      panel.locator('[data-skbtn]').filter({ hasText: exactText }),
    ];
    for (const candidate of candidates) {
      const visible = candidate.filter({ visible: true });
      const count = await visible.count();
      if (count === 1) return this.tapElement(visible, `key «${label}»`);
      if (count > 1) throw await this.cannot(`tap the key «${label}»: ${count} keys show it`);
    }
    throw await this.cannot(`tap the key «${label}»: the open panel has no such key`);
  }

  /** Taps each character's key on the open panel (digit pad, ID pad, letters-and-digits pad). */
  async typeKeys(text: string): Promise<void> {
    for (const character of text) await this.tapKey(character);
  }

  /** Opens a field's panel, empties it when it holds something, types `text` on its keys, taps 完成. */
  async typeDigits(field: string, digits: string): Promise<void> {
    await this.enterWith(field, () => this.typeKeys(digits));
  }

  /** An ID number (digits and X) on the ID pad. */
  async typeId(field: string, idNumber: string): Promise<void> {
    await this.enterWith(field, () => this.typeKeys(idNumber));
  }

  /** Case numbers, local numbers, credit codes on the letters-and-digits pad. */
  async typeAlnum(field: string, text: string): Promise<void> {
    await this.enterWith(field, () => this.typeKeys(text));
  }

  /** Chinese by pinyin: letters typed, then the candidate showing the next part of `text` (paging on). */
  async typeWithPinyin(field: string, text: string): Promise<void> {
    await this.enterWith(field, () => this.pinyinInto(text));
  }

  /** Chinese written by hand on the handwriting pad, one character at a time. */
  async writeByHand(field: string, text: string): Promise<void> {
    await this.enterWith(field, async () => {
      if (!(await this.sees(PANEL.handwritingPad, PANEL.root))) await this.tapKey(PANEL_KEYS.toHandwriting);
      for (const character of text) await this.handwrite(character);
    });
  }

  private async enterWith(field: string, type: () => Promise<void>): Promise<void> {
    await this.tap({ field });
    await this.panel(field);
    if ((await this.fieldValue(field)) !== '') await this.tapKey(PANEL_KEYS.clear);
    await type();
    await this.tapKey(PANEL_KEYS.done);
  }

  private async composition(): Promise<string> {
    if (!(await this.sees(PANEL.composition, PANEL.root))) return '';
    return (await this.locate(PANEL.composition, PANEL.root).innerText()).replace(/[^a-z]/g, '');
  }

  private async pinyinInto(text: string): Promise<void> {
    let remaining = text;
    while (remaining) {
      const letters = syllablesOf(remaining).join('');
      const composed = await this.composition();
      if (composed !== letters) {
        if (composed) throw await this.cannot(`type «${remaining}» by pinyin: the composition shows «${composed}», expected «${letters}»`);
        await this.typeKeys(letters);
      }
      const picked = await this.pickCandidate(remaining, `${letters} for «${remaining}»`, letters);
      remaining = remaining.slice(picked.length);
    }
  }

  /**
   * Taps the longest candidate that begins `wanted`, looking as a person does: the row as it settles
   * (the answer to the last keystroke or stroke; the pinyin panel says which input its candidates answer
   * in data-answered), then page after page with 下一页. Returns the candidate's text.
   */
  private async pickCandidate(wanted: string, what: string, answering?: string): Promise<string> {
    const seen = new Set<string>();
    const panel = this.locate(PANEL.root);
    const row = this.locate(PANEL.candidates, PANEL.root);
    const buttons = panel.locator('[data-test=candidate]').filter({ visible: true });
    for (let page = 0; page < 6; page++) {
      const deadline = Date.now() + (page === 0 ? 5_000 : 1_500);
      for (;;) {
        const answered = (await row.count()) > 0 ? await row.first().getAttribute('data-answered') : null;
        const settled = answering === undefined || answered === null || answered.replace(/[^a-z]/g, '') === answering;
        const candidates = settled ? (await buttons.allInnerTexts()).map((text) => text.trim()) : [];
        for (const candidate of candidates) seen.add(candidate);
        const best = candidates.filter((candidate) => candidate && wanted.startsWith(candidate)).sort((a, b) => b.length - a.length)[0];
        if (best) {
          await this.tapCandidate(buttons.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(best)}\\s*$`) }).first(), best);
          return best;
        }
        if (Date.now() > deadline) break;
        await this.page.waitForTimeout(120);
      }
      const next = panel.getByRole('button', { name: PANEL_KEYS.nextPage, exact: true });
      if (!(await next.isVisible()) || (await next.isDisabled())) break;
      await this.tapElement(next, PANEL_KEYS.nextPage);
    }
    throw await this.cannot(`find a candidate for ${what}: saw ${seen.size ? [...seen].join(' ') : 'no candidates'}`);
  }

  /**
   * Taps a candidate and looks at the field's text in the panel, as a person does: when the tap left it
   * unchanged (the row was redrawn under the finger by a late answer), they tap again, once. Each such
   * repeat is counted in `repeatedTaps` and the walkthrough reports it.
   */
  private async tapCandidate(candidate: Locator, text: string): Promise<void> {
    const value = this.locate({ test: 'ime-value' }, PANEL.root);
    const before = (await value.count()) > 0 ? await value.first().innerText() : null;
    await this.tapElement(candidate, `candidate «${text}»`);
    if (before === null) return;
    for (let look = 0; look < 8; look++) {
      if ((await value.first().innerText()) !== before) return;
      await this.page.waitForTimeout(100);
    }
    this.repeatedTaps++;
    const again = this.locate(PANEL.root).locator('[data-test=candidate]').filter({ visible: true }).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }).first();
    await this.tapElement(again, `candidate «${text}» again`);
  }

  /** Writes one character on the handwriting pad from its real stroke medians, then taps it among the candidates. */
  private async handwrite(character: string): Promise<void> {
    await this.draw(PANEL.handwritingPad, strokesOf(character), { within: PANEL.root });
    await this.pickCandidate(character, `the handwritten «${character}»`);
  }

  /** Chooses an option of a choice field: its option button, in the form or in the panel it opens. */
  async pickOption(field: string, option: string): Promise<void> {
    const group = this.locate({ field });
    if ((await group.count()) > 0 && (await group.getByRole('button', { name: option, exact: true }).or(group.getByRole('radio', { name: option, exact: true })).count()) > 0) {
      await this.tap({ name: option }, { within: { field } });
      return;
    }
    await this.tap({ field });
    await this.panel(field);
    await this.tap({ name: option }, { within: PANEL.root });
    if (await this.sees(PANEL.root)) await this.tapKey(PANEL_KEYS.done);
  }

  /**
   * Picks a date on the Chinese date picker: 年, then 月, then 日, each a group of large buttons (年份 /
   * 月份 / 日), paging the years with 更早 / 更晚 as a person would; then 完成.
   */
  async pickDate(field: string, isoDate: string): Promise<void> {
    const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
    await this.tap({ field });
    await this.panel(field);
    const years: Target = { name: '年份', role: 'group' };
    // A field that holds a date opens on its day: go back to the year first.
    if (!(await this.sees(years, PANEL.root))) await this.tap({ test: 'date-stage-year' }, { within: PANEL.root });
    for (let page = 0; page < 15 && !(await this.sees({ name: `${year}年`, role: 'button' }, years)); page++) {
      const shown = ((await this.locate(years).innerText()).match(/\d{4}(?=年)/g) ?? []).map(Number);
      await this.tap({ name: shown.length && year < Math.min(...shown) ? '更早' : '更晚' }, { within: years });
    }
    await this.tap({ name: `${year}年`, role: 'button' }, { within: years });
    await this.tap({ name: `${month}月`, role: 'button' }, { within: { name: '月份', role: 'group' } });
    await this.tap({ name: String(day), role: 'button' }, { within: { name: '日', role: 'group' } });
    await this.tapKey(PANEL_KEYS.done);
  }

  /** Signs on the 告知承诺 signature pad: the name written in its real strokes, side by side. */
  async sign(name: string, pad: Target = { test: 'signature-pad' }): Promise<void> {
    const characters = [...name];
    const strokes = characters.flatMap((character, index) =>
      strokesOf(character).map((stroke) => stroke.map(([u, v]) => [(index + 0.1 + u * 0.8) / characters.length, 0.15 + v * 0.7] as const)),
    );
    await this.draw(pad, strokes);
  }

  /**
   * Demo mode: lays a fixture card on the simulated reader by tapping its demo button (not counted as a
   * tap), until `read()` says the kiosk has taken it. When the kiosk says the card was not read (its
   * message asks to lay it again), the citizen does so, up to three times in all; `cardRereads` counts
   * those, and the walkthrough reports them, since each is a real failed read.
   */
  async placeDemoCard(cardLabel: string | RegExp, read: () => Promise<boolean> = async () => true, options: { confirmInPerson?: boolean } = {}): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const before = this.taps;
      await this.tap({ name: cardLabel, role: 'button' }, { within: { test: 'demo-cards' } });
      this.taps = before;
      this.cardPlacements++;
      this.log({ kind: 'card', what: String(cardLabel) });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        // 请确认是本人办理 (issue 14): the service asks for 人证核验; unless the test is about that screen,
        // the citizen calls staff, who confirm them in person (this kiosk has no face check in the tests).
        if ((options.confirmInPerson ?? true) && (await this.sees({ test: 'assurance' }))) {
          await this.confirmInPerson();
          continue;
        }
        if (await read()) {
          // The screen may have turned to 请确认是本人办理 between the look above and `read` (which only asks
          // whether the identity screen is gone): confirm then, rather than leave the citizen on it.
          if ((options.confirmInPerson ?? true) && (await this.sees({ test: 'assurance' }))) await this.confirmInPerson();
          return;
        }
        if (await this.sees({ text: /没有读取成功|重新平放/ })) break;
        await this.page.waitForTimeout(150);
      }
      if (attempt >= 3) throw await this.cannot(`get the card ${String(cardLabel)} read: ${attempt} placements, no success`);
      this.cardRereads++;
    }
  }

  /**
   * 人工核验 on 请确认是本人办理 (issue 14): the citizen taps 请工作人员核验; the staff member taps their
   * 工号 and PIN on the pad and 确认核验 (counted in `staffTaps`); the citizen reads 核验通过 and taps 下一步.
   * The demo staff account (host/services/demo-staff.ts, documented in the README) by default.
   */
  async confirmInPerson(staff: { number: string; pin: string } = { number: '0001', pin: '246810' }): Promise<void> {
    await this.tap({ test: 'check-staff' });
    const citizenTaps = this.taps;
    await this.tap({ test: 'staff-check-number' });
    for (const digit of staff.number) await this.tap({ test: `pin-key-${digit}` }, { within: { test: 'staff-check' } });
    await this.tap({ test: 'staff-check-pin' });
    for (const digit of staff.pin) await this.tap({ test: `pin-key-${digit}` }, { within: { test: 'staff-check' } });
    await this.tap({ test: 'staff-check-confirm' });
    this.staffTaps += this.taps - citizenTaps;
    this.taps = citizenTaps;
    await this.find({ text: /核验通过/, exact: false }, { within: { test: 'check-outcome' } });
    await this.tap({ test: 'check-continue' });
  }

  /** Turns the display modes on or off by tapping the header's buttons (aria-pressed says the state). */
  async setModes(wanted: { elder?: boolean; lower?: boolean; contrast?: boolean }): Promise<void> {
    const buttons = { elder: 'elder-mode', lower: 'lower-layout', contrast: 'high-contrast' } as const;
    for (const [mode, test] of Object.entries(buttons) as Array<[keyof typeof buttons, string]>) {
      const want = wanted[mode] ?? false;
      // In 低位操作 an open input panel takes the dock's place (the mode buttons with it): a person taps
      // 收起键盘 (App.vue) first, and the dock comes back.
      if (!(await this.sees({ test })) && (await this.sees(PANEL.root))) await this.tap({ name: '收起键盘' });
      // A mode nobody asked for may have no button yet; one that is asked for must have one.
      if (!want && !(await this.sees({ test }))) continue;
      const button = await this.find({ test }, { timeoutMs: 2_000 });
      if (((await button.getAttribute('aria-pressed')) === 'true') === want) continue;
      await this.tapElement(button, `${mode} mode button`);
      // A person sees the screen change (larger, lower, dark); a tap the kiosk ignored is a failure. The
      // button may be gone or another element now (低位操作 moves the mode buttons), so ask the shell.
      const shellClass = { elder: 'elder', lower: 'lower', contrast: 'high-contrast' }[mode];
      const inMode = this.page.locator(`.shell.${shellClass}`);
      let switched = false;
      for (const started = Date.now(); !switched && Date.now() - started < 2_000; ) {
        switched = (await inMode.count()) > 0 === want;
        if (!switched) await this.page.waitForTimeout(100);
      }
      if (!switched) throw await this.cannot(`switch ${mode} ${want ? 'on' : 'off'}: its button was tapped and the mode did not change`);
    }
  }

  // ── Evidence ───────────────────────────────────────────────────────────────────────────────────────

  /** A screenshot for a person to look at, in test/artifacts/. */
  async screenshot(name: string): Promise<string> {
    const path = screenshotPath(`${name}.png`);
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path });
    return path;
  }

  private viewportText(): string {
    const { width, height } = ORIENTATIONS[this.orientation];
    return `${width}×${height}`;
  }

  private log(step: Step): void {
    this.steps.push(step);
    if (this.steps.length > 200) this.steps.shift();
  }

  /** Lets the app answer a tap (Vue's update, one frame) before the next look. */
  private async settle(): Promise<void> {
    await this.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.nextFrame());
  }

  /** The failure, with a screenshot and the last steps, ready to throw. */
  private async cannot(what: string): Promise<CitizenCannot> {
    this.failures++;
    const shot = await this.screenshot(`citizen-failures/${this.label}-${this.failures}`).catch(() => '(no screenshot)');
    const screen = await this.page.getAttribute('main', 'data-screen').catch(() => null);
    const recent = this.steps.slice(-16).map((step) => `${step.kind} ${step.what}`).join(' → ');
    return new CitizenCannot(`A citizen (${this.label}, ${this.viewportText()}) cannot ${what}. Screen: ${screen ?? '?'}. Last steps: ${recent || '(none)'}. Screenshot: ${shot}`);
  }
}

function describe(target: Target): string {
  if ('test' in target) return `[data-test=${target.test}]`;
  if ('text' in target) return `the text «${String(target.text)}»`;
  if ('field' in target) return `the field «${target.field}»`;
  return `the ${target.role ?? 'control'} «${String(target.name)}»`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Full pinyin of each character as a citizen types it (ü as v), surnames read as surnames. */
export function syllablesOf(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', v: true, surname: 'head' }).map((syllable) => syllable.toLowerCase());
}

/**
 * A character's strokes from Make Me a Hanzi (npm `hanzi-writer-data`): each stroke's median, mapped
 * from its 1024-unit box (y up, baseline at 900) into 0…1 with y down.
 */
export function strokesOf(character: string): Array<Array<[number, number]>> {
  let data: { medians: Array<Array<[number, number]>> };
  try {
    data = JSON.parse(readFileSync(requireHere.resolve(`hanzi-writer-data/${character}.json`), 'utf8')) as typeof data;
  } catch {
    throw new CitizenCannot(`write «${character}» by hand: hanzi-writer-data has no strokes for it`);
  }
  return data.medians.map((median) => median.map(([x, y]) => [x / 1024, (900 - y) / 1024]));
}

/** Adds points so that no two are more than `step` px apart (a finger moves continuously). */
function densify(points: ReadonlyArray<readonly [number, number]>, step: number): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (const [index, point] of points.entries()) {
    const previous = points[index - 1];
    if (previous) {
      const distance = Math.hypot(point[0] - previous[0], point[1] - previous[1]);
      const pieces = Math.ceil(distance / step);
      for (let piece = 1; piece < pieces; piece++) {
        out.push([previous[0] + ((point[0] - previous[0]) * piece) / pieces, previous[1] + ((point[1] - previous[1]) * piece) / pieces]);
      }
    }
    out.push(point);
  }
  return out;
}
