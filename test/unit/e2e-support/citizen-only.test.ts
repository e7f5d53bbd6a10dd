import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The citizen-only e2e code acts only as a person can (issue 9, "Tests that must exist"): it taps,
 * swipes and draws through support/citizen.ts, and reads the page through the in-page probe. These
 * checks keep it so: a `fill` or a bridge call slipped into a walkthrough would let a test pass that a
 * citizen could not.
 */
const e2e = (path: string) => fileURLToPath(new URL(`../../e2e/${path}`, import.meta.url));
const FILES = [
  'support/citizen.ts',
  'support/walkthroughs.ts',
  'support/screen-matrix.ts',
  'support/citizen-checks.ts',
  'support/screen-suite.ts',
  'citizen-walkthroughs.e2e.test.ts',
  'citizen-driver.e2e.test.ts',
  'screens.e2e.test.ts',
].map((path) => ({ path, text: readFileSync(e2e(path), 'utf8') }));

/** Ways a script can act that a person at a touch screen cannot. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\.fill\(/, 'fill'],
  [/\.type\(/, 'type'],
  [/\.press(Sequentially)?\(/, 'press'],
  [/\bkeyboard\./, 'the keyboard'],
  [/\.selectOption\(/, 'selectOption'],
  [/\.check\(|\.uncheck\(|\.setChecked\(/, 'check'],
  [/\.click\(|\.dblclick\(/, 'a mouse click'],
  [/\bmouse\./, 'the mouse'],
  [/\.dispatchEvent\(/, 'dispatchEvent'],
  [/\.setInputFiles\(/, 'setInputFiles'],
  [/\.focus\(\)|\.blur\(\)/, 'focus from script'],
  [/\bkiosk\(\)|window\.kiosk|__kiosk/, 'the bridge'],
  [/\.addScriptTag\(/, 'a script added to the page'],
];

describe('citizen-only e2e code', () => {
  it('never acts through fill, type, keys, selectOption, clicks, events, focus or the bridge', () => {
    const offences = FILES.flatMap(({ path, text }) =>
      FORBIDDEN.flatMap(([pattern, what]) =>
        text.split('\n').flatMap((line, index) => (pattern.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//') ? [`${path}:${index + 1} uses ${what}: ${line.trim()}`] : [])),
      ),
    );
    expect(offences).toEqual([]);
  });

  it('evaluates in the page only the probe’s reading functions', () => {
    const calls = FILES.flatMap(({ path, text }) =>
      [...text.matchAll(/\.evaluate(All)?(<[^>]*>)?\(/g)].map((match) => ({ path, call: text.slice(match.index, match.index + 260) })),
    );
    expect(calls.length).toBeGreaterThan(5);
    for (const { path, call } of calls) expect(call, `${path}: ${call.split('\n')[0]}`).toMatch(/__citizenProbe\.(checkTap|swipeStart|describeElement|fieldValue|nextFrame|layoutProblems|textContrast|renderedCharacters|allTextAndValues|screenState|voiceLog|now|loadedFontSources)\(/);
  });

  it('sends Chromium only touch input', () => {
    const sent = FILES.flatMap(({ text }) => [...text.matchAll(/\.send\('([^']+)'/g)].map((match) => match[1]));
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set(['Input.dispatchTouchEvent']));
  });

  it('keeps the in-page probe to reading: it sets no value and dispatches nothing', () => {
    const probe = readFileSync(e2e('support/in-page/probe.ts'), 'utf8');
    expect(probe).not.toMatch(/\.value\s*=[^=]|dispatchEvent|\.click\(|\.focus\(|kiosk\(\)|innerHTML\s*=|textContent\s*=[^=]/);
  });
});
