import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import type { Citizen } from './citizen.js';

/**
 * Screen-wide checks for issue 9, run on whatever screen a Citizen has reached. Each returns findings
 * in words a person would use; the tests collect them over every screen, mode and orientation and fail
 * with the whole list, so one run says everything that is still wrong. The measuring happens in the page
 * (./in-page/probe.ts): elementFromPoint, computed styles, WCAG 2.x luminance; axe-core is injected by
 * its own maintained Playwright adapter (@axe-core/playwright).
 */

/** A display mode combination, named as the report says it. */
export interface ModeSet {
  name: string;
  elder: boolean;
  lower: boolean;
  contrast: boolean;
}

/** normal, 长辈, 低位, 高对比度, and all three together (issue 9: "every mode", "combinable"). */
export const MODE_SETS: readonly ModeSet[] = [
  { name: 'normal', elder: false, lower: false, contrast: false },
  { name: 'elder', elder: true, lower: false, contrast: false },
  { name: 'lower', elder: false, lower: true, contrast: false },
  { name: 'contrast', elder: false, lower: false, contrast: true },
  { name: 'elder+lower+contrast', elder: true, lower: true, contrast: true },
];

/**
 * Which mode sets a screen is looked at in. With CITIZEN_FULL_MATRIX=1 (npm run test:e2e:citizen-full):
 * all five, on every screen. In CI, to keep the tier's time sane on two cores: all three modes together on
 * every screen, and beside it normal plus one of 长辈 / 低位 / 高对比度 taken in turn by the screen's place in the
 * list (`perScreen` 3), or just one of normal / 长辈 / 低位 / 高对比度 in turn (`perScreen` 2, the axe pass, whose
 * rules see structure and colours that the combined set already shows), so every single mode is still looked
 * at on a share of the screens in each orientation.
 */
export function modeSetsFor(index: number, perScreen: 2 | 3 = 3): readonly ModeSet[] {
  if (process.env.CITIZEN_FULL_MATRIX === '1') return MODE_SETS;
  const all = MODE_SETS.at(-1) as ModeSet;
  const singles = MODE_SETS.filter((modes) => [modes.elder, modes.lower, modes.contrast].filter(Boolean).length === 1);
  if (perScreen === 2) {
    const rotating = MODE_SETS.slice(0, -1);
    return [rotating[index % rotating.length] as ModeSet, all];
  }
  return [MODE_SETS[0] as ModeSet, singles[index % singles.length] as ModeSet, all];
}

export interface LayoutProblem {
  kind: 'clipped' | 'covered' | 'off-screen' | 'horizontal-overflow' | 'overflowing-content' | 'upper-half';
  element: string;
  detail: string;
}

export interface ContrastFinding {
  text: string;
  element: string;
  ratio: number;
  foreground: string;
  background: string;
  note: string;
}

type ProbeWindow = {
  __citizenProbe: {
    layoutProblems(options: { lowerHalf: boolean; lowerHalfExempt: string }): LayoutProblem[];
    textContrast(): ContrastFinding[];
    renderedCharacters(): string;
    allTextAndValues(): string;
    screenState(): { screen: string; heading: string; scrollTops: number[]; focused: string };
    now(): number;
  };
};

/** The status bar is the one part exempt from 低位操作's lower-half rule (issue 9: "status bar aside"). */
export const STATUS_BAR = '[data-test=status-bar]';

/** Clipped, covered, off-screen, sideways overflow; in 低位操作 also any control above the middle. */
export function layoutProblems(citizen: Citizen, lowerHalf: boolean): Promise<LayoutProblem[]> {
  return citizen.page.evaluate(
    (options) => (globalThis as unknown as ProbeWindow).__citizenProbe.layoutProblems(options),
    { lowerHalf, lowerHalfExempt: STATUS_BAR },
  );
}

/** Text whose contrast with what is behind it is below `minimum` (7:1 for 高对比度, WCAG AAA). */
export async function contrastBelow(citizen: Citizen, minimum: number): Promise<ContrastFinding[]> {
  const findings = await citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.textContrast());
  return findings.filter((finding) => finding.ratio < minimum || finding.note !== '');
}

/** axe-core violations of impact serious or critical (WCAG 2.0/2.1/2.2 A and AA rules and best practices). */
export async function seriousAxeViolations(citizen: Citizen): Promise<string[]> {
  const results = await new AxeBuilder({ page: citizen.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.slice(0, 5).map((node) => `${violation.id} (${violation.impact}): ${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1, 2).join('').trim() ?? violation.help}`),
    );
}

/** Every character on screen now. */
export function renderedCharacters(citizen: Citizen): Promise<string> {
  return citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.renderedCharacters());
}

/** Which screen, its heading, its scroll containers' positions and what has focus. */
export function screenState(citizen: Citizen): Promise<{ screen: string; heading: string; scrollTops: number[]; focused: string }> {
  return citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.screenState());
}

/** The page's clock (performance.now()), to mark "from now on" for the voice log. */
export function pageClock(citizen: Citizen): Promise<number> {
  return citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.now());
}

/** All text of the document (hidden parts included) and every field's value. */
export function documentText(citizen: Citizen): Promise<string> {
  return citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.allTextAndValues());
}

/**
 * After the thanks screen, the next person taps 返回 as often as it is offered (and 完成 where it is the
 * only way on): on no screen on the way is the previous citizen's name, ID number or phone in the
 * document, visible or not. Ends on the home screen.
 */
export async function expectNoTraceOf(citizen: Citizen, secrets: readonly string[]): Promise<void> {
  const wanted = secrets.filter((secret) => secret.length >= 2);
  const visited: string[] = [];
  for (let round = 0; round < 8; round++) {
    const state = await screenState(citizen);
    visited.push(state.screen);
    const text = await documentText(citizen);
    for (const secret of wanted) {
      expect(text.includes(secret), `after the thanks screen, tapping ${visited.join(' → ')} shows the previous citizen's «${secret}»`).toBe(false);
    }
    if (await citizen.sees({ name: '返回', role: 'button' })) await citizen.tap({ name: '返回', role: 'button' });
    else if (state.screen === 'thanks') await citizen.tap({ name: '完成', role: 'button' });
    else break;
  }
  expect(visited.at(-1), `after the thanks screen, 返回 led ${visited.join(' → ')}`).toBe('home');
}
