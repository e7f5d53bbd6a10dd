import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import type { Page } from 'playwright-core';
import type { DemoStack } from '../../../scripts/demo-stack.js';

/**
 * The input panels' test page (renderer/ime-harness.html, built by `npm run build:renderer` into
 * dist/ime-harness) and the taps a citizen makes on it: every action is a mouse click at the centre
 * of a visible control, or a drawn stroke; nothing is filled or typed by script.
 */
export const IME_HARNESS_DIR = fileURLToPath(new URL('../../../dist/ime-harness', import.meta.url));

export function assertHarnessBuilt(): void {
  if (!existsSync(join(IME_HARNESS_DIR, 'ime-harness.html'))) throw new Error('dist/ime-harness is missing: run `npm run build:renderer` first');
}

export interface HarnessParams {
  panel: 'pinyin' | 'handwriting';
  label?: string;
  max?: number;
  elder?: boolean;
  contrast?: boolean;
}

export async function openHarness(page: Page, stack: DemoStack, params: HarnessParams): Promise<void> {
  const bridge = stack.host.bridge;
  if (!bridge) throw new Error('the demo stack has no bridge');
  const query = new URLSearchParams({ panel: params.panel, label: params.label ?? '姓名' });
  if (params.max !== undefined) query.set('max', String(params.max));
  if (params.elder) query.set('elder', '1');
  if (params.contrast) query.set('contrast', '1');
  const token = new URL(bridge.launchUrl).hash;
  await page.goto(`${bridge.url}/ime-harness.html?${query.toString()}${token}`);
  await page.waitForSelector(params.panel === 'pinyin' ? '[data-test=pinyin-panel] .hg-button' : '[data-test=handwriting-pad]');
}

/**
 * Clicks the element's centre after checking it is inside the viewport and is what a finger there
 * would hit (elementFromPoint), as the citizen-only driver of issue 9 requires.
 */
export async function tap(page: Page, selector: string): Promise<void> {
  // Candidates re-render as answers arrive: a control found a moment ago may be replaced; look again.
  for (let attempt = 0; ; attempt++) {
    const handle = await page.waitForSelector(selector, { state: 'visible' });
    const box = await handle.boundingBox();
    const x = box ? box.x + box.width / 2 : -1;
    const y = box ? box.y + box.height / 2 : -1;
    const viewport = page.viewportSize();
    if (box && viewport && (x < 0 || y < 0 || x > viewport.width || y > viewport.height)) throw new Error(`${selector} is outside the viewport`);
    const hit =
      box !== null &&
      (await handle
        .evaluate((element, [px, py]) => {
          const top = element.ownerDocument.elementFromPoint(px as number, py as number);
          return element.isConnected && top !== null && (top === element || element.contains(top));
        }, [x, y])
        .catch(() => false));
    if (hit) {
      await page.mouse.click(x, y);
      return;
    }
    if (attempt >= 20) throw new Error(`${selector} is covered at its centre or keeps moving`);
    await page.waitForTimeout(50);
  }
}

export function tapKey(page: Page, key: string): Promise<void> {
  return tap(page, `[data-test=pinyin-panel] .hg-button[data-skbtn="${key}"]`);
}

/** Taps the letters, then waits until the candidates on screen answer all of them. */
export async function typeLetters(page: Page, letters: string): Promise<void> {
  for (const letter of letters) await tapKey(page, letter === "'" ? '{sep}' : letter);
  await page.waitForFunction(
    (typed) => {
      const doc = (globalThis as unknown as { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } }).document;
      return (doc.querySelector('[data-test=candidates]')?.getAttribute('data-answered') ?? '').replace(/'/g, '').endsWith(typed);
    },
    letters.replace(/'/g, ''),
  );
}

/** The one DOM call these waits need, typed here: the test files compile without the DOM library. */
type PageDocument = { querySelector(selector: string): { textContent: string | null } | null };

/**
 * Waits for an element's text. A function, not a string: the page's CSP (script-src 'self') refuses
 * the eval a string predicate needs.
 */
export async function waitForText(page: Page, selector: string, mode: 'equals' | 'not-equals', value: string): Promise<void> {
  await page.waitForFunction(
    ({ selector: where, mode: how, value: expected }) => {
      const text = ((globalThis as unknown as { document: PageDocument }).document.querySelector(where)?.textContent ?? '').trim();
      return how === 'equals' ? text === expected : text !== expected;
    },
    { selector, mode, value },
  );
}

/** Waits until a candidate with exactly this text is on screen and taps it. */
export async function tapCandidate(page: Page, text: string): Promise<void> {
  await tap(page, `[data-test=candidate]:text-is("${text}")`);
}

/** Waits until the composition line shows `text` (the host's segmentation of the letters typed). */
export function waitForComposition(page: Page, text: string): Promise<void> {
  return waitForText(page, '[data-test=composition]', 'equals', text);
}

/** Texts of the candidates on screen. */
export function candidateTexts(page: Page): Promise<string[]> {
  return page.$$eval('[data-test=candidate]', (buttons) => buttons.map((button) => button.textContent?.trim() ?? ''));
}

export async function fieldValue(page: Page): Promise<string> {
  return (await page.textContent('[data-test=harness-value]')) ?? '';
}

const requireFromHere = createRequire(import.meta.url);
const HANZI_DATA_DIR = dirname(requireFromHere.resolve('hanzi-writer-data/package.json'));

/** Stroke medians of one character (Make Me a Hanzi via hanzi-writer-data): 1024 box, y up from 900. */
export function hanziMedians(character: string): [number, number][][] | null {
  const file = join(HANZI_DATA_DIR, `${character}.json`);
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { medians?: unknown };
  if (!Array.isArray(data.medians)) return null;
  return (data.medians as [number, number][][]).map((stroke) => stroke.map(([x, y]) => [x, 900 - y] as [number, number]));
}

/** Draws strokes (1024-box, y down) scaled into the pad with page.mouse, a few points per segment. */
export async function drawOnPad(page: Page, strokes: readonly (readonly [number, number])[][]): Promise<void> {
  const box = await (await page.waitForSelector('[data-test=handwriting-pad]')).boundingBox();
  if (!box) throw new Error('pad has no box');
  const scale = Math.min(box.width, box.height) / 1024;
  const at = ([x, y]: readonly [number, number]) => [box.x + x * scale, box.y + y * scale] as const;
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(...at(first));
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...at(point), { steps: 4 });
    await page.mouse.up();
  }
}

/**
 * Types Chinese text on the pinyin panel as a citizen does: the letters of the next few characters, then
 * the longest candidate that starts the text still to type (a citizen picks the word they see), on until
 * the text is done. Fails if no candidate on the first page fits. Works on the kiosk's panel and the
 * harness alike (both render `[data-test=pinyin-panel]`). Returns the taps made (letters + candidates).
 */
export async function typeChinese(page: Page, text: string): Promise<number> {
  let taps = 0;
  let rest = text;
  while (rest !== '') {
    const chunk = rest.slice(0, 4);
    const letters = pinyin(chunk, { toneType: 'none', type: 'array', v: true }).join('');
    await typeLetters(page, letters);
    taps += letters.length;
    const offered = await candidateTexts(page);
    const best = offered.filter((candidate) => candidate !== '' && rest.startsWith(candidate)).sort((a, b) => b.length - a.length)[0];
    if (!best) throw new Error(`no candidate for "${chunk}" (${letters}): ${offered.join(' ')}`);
    await tapCandidate(page, best);
    taps += 1;
    rest = rest.slice(best.length);
    // Letters the candidate did not stand for stay composed: clear them before the next chunk.
    while (((await page.textContent('[data-test=composition]')) ?? '').trim() !== '') {
      await tapKey(page, '{bksp}');
      taps += 1;
    }
  }
  return taps;
}
