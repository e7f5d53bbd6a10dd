import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR, startDemoStack, type DemoStack } from '../../../scripts/demo-stack.js';
import { launchChromium } from './browser.js';
import { Citizen, ORIENTATIONS, type Orientation } from './citizen.js';
import { MODE_SETS, contrastBelow, modeSetsFor, layoutProblems, pageClock, renderedCharacters, screenState, seriousAxeViolations, type ModeSet } from './citizen-checks.js';
import { MatrixWalker, SCREEN_STATES, type Arrival, type ScreenState } from './screen-matrix.js';
import { browseTo } from './walkthroughs.js';

/**
 * The screen × mode × orientation matrix as a test suite (issue 9, "A layout check over every screen in
 * every mode and both orientations", "axe-core on every screen in every mode", glyph coverage, voice).
 * screens.e2e.test.ts calls it with every check on one walk. One demo stack
 * and one Chromium per file, one touch context per orientation; modes are switched by tapping the header's
 * buttons on each screen. Each screen state is its own test, so the report names every screen that fails
 * and why; findings of every mode are collected before the test fails.
 */
export interface SuiteChecks {
  layout?: boolean;
  contrast?: boolean;
  /**
   * axe-core on every mode set looked at (`true`), or on one of a screen's mode sets, a different one per
   * screen and orientation in turn (`'one-set-per-screen'`; every set with CITIZEN_FULL_MATRIX=1).
   */
  axe?: boolean | 'one-set-per-screen';
  /** Scroll at the top and focus on the h1 when a screen opens; a spoken prompt per screen and error. */
  arrival?: boolean;
  /** Every character shown exists in the bundled font (read from its cmap with fontkit). */
  glyphs?: boolean;
  screenshots?: boolean;
}

/** At most this many findings per screen and mode in a failure message (the rest counted). */
const SHOWN_FINDINGS = 30;

type ProbeWindow = {
  __citizenProbe: {
    voiceLog(since: number): Array<{ text: string; outcome: string; engine: string; screen: string }>;
    loadedFontSources(): Array<{ family: string; urls: string[] }>;
  };
};

async function voiceProblems(citizen: Citizen, state: ScreenState, since: number): Promise<string[]> {
  const wanted =
    state.voice === 'screen'
      ? (await citizen.sees({ test: 'voice-caption-text' })) ? [await citizen.read({ test: 'voice-caption-text' })] : []
      : await citizen.page.locator('main [role=alert]').filter({ visible: true }).allInnerTexts();
  if (wanted.length === 0 || wanted.every((text) => !text.trim())) {
    return [state.voice === 'screen' ? 'no voice caption on arrival (nothing said, nothing shown)' : 'no error shown to speak'];
  }
  const ever = await citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.voiceLog(0));
  if (ever.length === 0) return [`no spoken prompt for «${wanted.join(' / ')}»: the speech service has recorded no engine call on this page at all (no kiosk:voice event)`];
  const deadline = Date.now() + 8_000;
  for (;;) {
    const log = await citizen.page.evaluate((from) => (globalThis as unknown as ProbeWindow).__citizenProbe.voiceLog(from), since);
    const spoken = log.find((record) => record.outcome === 'spoken' && wanted.some((text) => text.trim() && (record.text.includes(text.trim()) || text.includes(record.text))));
    if (spoken) return [];
    if (Date.now() > deadline) {
      const heard = log.map((record) => `«${record.text}» ${record.outcome} by ${record.engine || '?'}`).join('; ');
      return [`no spoken prompt for «${wanted.join(' / ')}» (engine calls since arrival: ${heard || 'none'})`];
    }
    await citizen.page.waitForTimeout(200);
  }
}

/** The bundled fonts' code points (every @font-face the page declares, read from dist/renderer). */
async function bundledCodePoints(citizen: Citizen): Promise<{ families: string[]; has(codePoint: number): boolean }> {
  const faces = await citizen.page.evaluate(() => (globalThis as unknown as ProbeWindow).__citizenProbe.loadedFontSources());
  const fonts: fontkit.Font[] = [];
  for (const face of faces) {
    for (const url of face.urls) {
      const file = join(RENDERER_DIR, decodeURIComponent(new URL(url).pathname));
      const font = fontkit.create(readFileSync(file));
      fonts.push('fonts' in font ? (font.fonts[0] as fontkit.Font) : font);
    }
  }
  return { families: [...new Set(faces.map((face) => face.family))], has: (codePoint) => fonts.some((font) => font.hasGlyphForCodePoint(codePoint)) };
}

function format(findings: string[]): string {
  const shown = findings.slice(0, SHOWN_FINDINGS * MODE_SETS.length);
  return `${findings.length} finding(s):\n  ${shown.join('\n  ')}${findings.length > shown.length ? `\n  … and ${findings.length - shown.length} more` : ''}`;
}

export function describeScreenMatrix(title: string, checks: SuiteChecks): void {
  // An axe-only pass looks at two mode sets per screen in CI, a layout pass three (citizen-checks.ts modeSetsFor).
  const perScreen = checks.axe && !checks.layout ? 2 : 3;
  const axeEverySet = checks.axe === true || process.env.CITIZEN_FULL_MATRIX === '1';
  /** The mode set axe looks at, per `${orientation} ${state key}`, when it looks at one of a screen's sets. */
  const axeSetOf = new Map<string, string>();
  function chooseAxeSet(key: string, sets: readonly ModeSet[], turn: number): readonly ModeSet[] {
    axeSetOf.set(key, (sets[turn % sets.length] as ModeSet).name);
    return sets;
  }
  describe(title, () => {
    let stack: DemoStack;
    let browser: Browser;
    const citizens = {} as Record<Orientation, Citizen>;
    const walkers = {} as Record<Orientation, MatrixWalker>;
    /** Every character seen on any screen, with where it was first seen. */
    const seen = new Map<string, string>();

    beforeAll(async () => {
      // The idle timeout is ten minutes here: looking at one screen (three mode sets, axe-core) takes no tap for
      // a while, and on a loaded machine that outlasted the two-minute default, so a screen "went away" to
      // home before it was looked at. The idle banner has its own stack with the shortest settings, below.
      stack = await startDemoStack({ config: { session: { idleTimeoutSeconds: 600, idleWarningSeconds: 30 } } });
      browser = await launchChromium({ camera: 'none' });
      for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
        citizens[orientation] = await Citizen.open(browser, orientation, stack.host.bridge?.launchUrl ?? '', `${title}-${orientation}`);
        walkers[orientation] = new MatrixWalker(citizens[orientation], {
          async resetToHome(citizen) {
            await stack.host.dispatch('session:end', { reason: 'staff' }, { audiences: new Set(['citizen']) });
            await citizen.waitForScreen('home');
          },
          inspect: (citizen, state, modes, arrival) => inspect(citizen, state, modes, arrival),
        });
      }
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    /** For screens outside the walker's graph: switch each mode set, look, collect findings. */
    async function lookInEveryMode(citizen: Citizen, state: ScreenState, arrival: Arrival, prepare?: () => Promise<void>): Promise<string[]> {
      const findings: string[] = [];
      for (const modes of modeSetsFor(SCREEN_STATES.length, perScreen)) {
        try {
          await citizen.setModes(modes);
          await prepare?.();
          findings.push(...(await inspect(citizen, state, modes, arrival)).map((finding) => `[${modes.name}] ${finding}`));
        } catch (error) {
          findings.push(`[${modes.name}] ${error instanceof Error ? error.message : String(error)}`);
          break;
        }
      }
      return findings;
    }

    async function inspect(citizen: Citizen, state: ScreenState, modes: ModeSet, arrival: Arrival): Promise<string[]> {
      const findings: string[] = [];
      if (checks.screenshots) await citizen.screenshot(`screens/${citizen.orientation}-${state.key}-${modes.name}`);
      if (checks.layout) {
        for (const problem of await layoutProblems(citizen, modes.lower)) findings.push(`${problem.kind}: ${problem.element} — ${problem.detail}`);
      }
      if (checks.contrast && modes.contrast) {
        for (const finding of await contrastBelow(citizen, 7)) {
          findings.push(`contrast ${finding.ratio}:1 < 7:1 for «${finding.text}» (${finding.element}, ${finding.foreground} on ${finding.background})${finding.note ? `; ${finding.note}` : ''}`);
        }
      }
      const axeHere = checks.axe && (axeEverySet || axeSetOf.get(`${citizen.orientation} ${state.key}`) === modes.name);
      if (axeHere) findings.push(...(await seriousAxeViolations(citizen)).map((violation) => `axe ${violation}`));
      if (checks.glyphs) {
        for (const character of await renderedCharacters(citizen)) if (!seen.has(character)) seen.set(character, `${citizen.orientation} ${state.key}`);
      }
      if (checks.arrival && modes === MODE_SETS[0]) {
        const opensScreen = state.voice === 'screen' && !state.overlay;
        if (opensScreen && arrival.scrollTops.some((top) => top > 0)) findings.push(`opened scrolled down (scroll positions ${arrival.scrollTops.join(', ')}), not at its top`);
        if (opensScreen && !arrival.focused.startsWith('h1')) findings.push(`focus on arrival is on ${arrival.focused}, not on the screen's h1`);
        if (state.voice) findings.push(...(await voiceProblems(citizen, state, arrival.since)));
      }
      return findings.slice(0, SHOWN_FINDINGS).concat(findings.length > SHOWN_FINDINGS ? [`… ${findings.length - SHOWN_FINDINGS} more`] : []);
    }

    for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
      for (const [index, state] of SCREEN_STATES.entries()) {
        it(`${orientation} ${state.key}`, async () => {
          const turn = index + (orientation === 'landscape' ? 1 : 0);
          const findings = await walkers[orientation].look(state.key, chooseAxeSet(`${orientation} ${state.key}`, modeSetsFor(turn, perScreen), turn));
          expect(findings.length, format(findings)).toBe(0);
        });
      }
    }

    // Last, since it ends this kiosk's service: the disk refuses the outbox's write as a citizen submits.
    it('out of service (暂停服务), after a storage fault at submission, in both orientations', async () => {
      const since = await pageClock(citizens.portrait);
      await walkers.portrait.reach('review');
      stack.host.outbox.enqueue = () => {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      };
      await citizens.portrait.tap({ name: '确认提交' });
      const findings: string[] = [];
      for (const citizen of Object.values(citizens)) {
        await citizen.find({ text: '暂停服务' }, { timeoutMs: 15_000 });
        const screen = (await citizen.page.getAttribute('main', 'data-screen')) ?? '';
        const state: ScreenState = { key: 'out-of-service', screen, from: null, voice: 'screen', go: async () => undefined };
        chooseAxeSet(`${citizen.orientation} ${state.key}`, modeSetsFor(SCREEN_STATES.length, perScreen), citizen === citizens.portrait ? 0 : 2);
        const arrival = { ...(await screenState(citizen)), since: citizen === citizens.portrait ? since : 0 };
        findings.push(...(await lookInEveryMode(citizen, state, arrival)).map((finding) => `${citizen.orientation} ${finding}`));
      }
      expect(findings.length, format(findings)).toBe(0);
    });

    // The idle countdown as a banner, over a screen of the flow, on both kiosks at once (one session,
    // both windows are told). Its own stack: the shortest idle settings (30 s, warning for the last 20 s)
    // make the banner come 10 s after the last touch; each mode switch is a touch, so each waits again.
    describe('idle banner', () => {
      let idleStack: DemoStack;
      const idle = {} as Record<Orientation, Citizen>;

      beforeAll(async () => {
        idleStack = await startDemoStack({ config: { session: { idleTimeoutSeconds: 30, idleWarningSeconds: 20 } } });
        for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
          idle[orientation] = await Citizen.open(browser, orientation, idleStack.host.bridge?.launchUrl ?? '', `${title}-idle-${orientation}`);
        }
      });

      afterAll(async () => {
        for (const citizen of Object.values(idle)) await citizen.close();
        await idleStack?.close();
      });

      it('over the identity screen, in every mode, both orientations', async () => {
        for (const citizen of Object.values(idle)) {
          await browseTo(citizen, '个人服务', '出生', '出生一件事');
          await citizen.tap({ name: '开始办理' });
          await citizen.waitForScreen('identity');
        }
        const findings: string[] = [];
        const state: ScreenState = { key: 'idle-banner', screen: 'identity', from: null, voice: null, overlay: true, go: async () => undefined };
        const sets = modeSetsFor(SCREEN_STATES.length + 1, perScreen);
        for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) chooseAxeSet(`${orientation} ${state.key}`, sets, orientation === 'portrait' ? 1 : 2);
        for (const modes of sets) {
          try {
            for (const citizen of Object.values(idle)) await citizen.setModes(modes);
            for (const citizen of Object.values(idle)) await citizen.find({ test: 'idle-banner' }, { timeoutMs: 20_000 });
            for (const citizen of Object.values(idle)) {
              const arrival = { ...(await screenState(citizen)), since: 0 };
              findings.push(...(await inspect(citizen, state, modes, arrival)).map((finding) => `${citizen.orientation} [${modes.name}] ${finding}`));
            }
            await idle.portrait.tap({ name: '继续办理' });
          } catch (error) {
            findings.push(`[${modes.name}] ${error instanceof Error ? error.message : String(error)}`);
            break;
          }
        }
        expect(findings.length, format(findings)).toBe(0);
      });
    });

    if (checks.glyphs) {
      it('shows only characters the bundled font has (no tofu)', async () => {
        expect(seen.size, 'characters were collected from the screens').toBeGreaterThan(100);
        const fonts = await bundledCodePoints(citizens.portrait);
        expect(fonts.families, 'the page declares a bundled web font').not.toEqual([]);
        const missing = [...seen].filter(([character]) => !/\s/.test(character) && !fonts.has(character.codePointAt(0) ?? 0));
        expect(missing.map(([character, where]) => `${character} (U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()}, ${where})`)).toEqual([]);
      });
    }
  });
}
