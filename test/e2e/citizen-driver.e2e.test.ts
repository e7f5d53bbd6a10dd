import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { Citizen, CitizenCannot } from './support/citizen.js';
import { contrastBelow, layoutProblems, type LayoutProblem } from './support/citizen-checks.js';

/**
 * The citizen driver and the screen checks hold themselves to account on pages built to fail them, in
 * real Chromium with touch: a check that could not fail would let every screen pass. Each page is a
 * data: URL with the `main[data-screen]` the kiosk's App.vue has.
 */
const page = (body: string, style = '') =>
  `data:text/html;charset=utf-8,${encodeURIComponent(`<!doctype html><html><head><style>body{margin:0;font:24px sans-serif}${style}</style></head><body><main data-screen="test">${body}</main></body></html>`)}`;

describe('Citizen (the tap-only driver) and the screen checks', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ camera: 'none' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const kinds = (problems: LayoutProblem[]) => problems.map((problem) => `${problem.kind} ${problem.element.split(' ')[0]}`);

  it('refuses to tap a control covered by another element, naming what is on top', async () => {
    const citizen = await Citizen.open(
      browser,
      'portrait',
      page(`<button data-test="ok" style="position:absolute;top:100px;left:100px;width:200px;height:80px">确定</button><div data-test="cover" style="position:absolute;top:90px;left:90px;width:300px;height:120px;background:#eee">盖住了</div>`),
      'driver-covered',
    );
    try {
      await expect(citizen.tap({ name: '确定' })).rejects.toThrow(/element under its centre is div\[data-test=cover\]/);
      expect(citizen.taps).toBe(0);
      expect(kinds(await layoutProblems(citizen, false))).toContain('covered button[data-test=ok]');
    } finally {
      await citizen.close();
    }
  });

  it('swipes a scroll area to reach a control below the fold, then taps it with a touch', async () => {
    const citizen = await Citizen.open(
      browser,
      'landscape',
      page(
        `<div id="list" style="height:600px;overflow-y:auto"><div style="height:2400px;position:relative"><button onclick="this.textContent='已点'" style="position:absolute;top:2000px;left:40px;width:300px;height:80px">下一步</button></div></div>`,
      ),
      'driver-swipe',
    );
    try {
      await citizen.tap({ name: '下一步' });
      expect(citizen.swipes).toBeGreaterThan(0);
      expect(citizen.taps).toBe(1);
      expect(await citizen.read({ name: '已点' })).toBe('已点');
      expect(await layoutProblems(citizen, false)).toEqual([]);
    } finally {
      await citizen.close();
    }
  });

  // Regression: the check took the viewport for what a person sees, so a field scrolled past the bottom
  // of the kiosk's screen area read as "covered" by the scroll cue and voice bar laid out under it.
  it('judges a control scrolled past the edge of its scroll area where a swipe brings it, not as covered by what is under the area', async () => {
    const citizen = await Citizen.open(
      browser,
      'portrait',
      page(
        `<div style="height:900px;overflow-y:auto"><div style="height:860px"></div><button data-test="half" style="width:300px;height:100px">半露</button><div style="height:1200px"></div></div><div data-test="bar" style="height:400px;background:#eee">下面的条</div>`,
      ),
      'driver-scroll-edge',
    );
    try {
      expect(await layoutProblems(citizen, false)).toEqual([]);
      await citizen.tap({ name: '半露' });
      expect(citizen.swipes).toBeGreaterThan(0);
    } finally {
      await citizen.close();
    }
  });

  it('cannot tap what nothing scrolls to, and says where it is', async () => {
    const citizen = await Citizen.open(browser, 'portrait', page(`<button style="position:fixed;top:2100px;left:0">看不见</button>`), 'driver-offscreen');
    try {
      const attempt = citizen.tap({ name: '看不见' });
      await expect(attempt).rejects.toBeInstanceOf(CitizenCannot);
      await expect(citizen.tap({ name: '看不见' })).rejects.toThrow(/outside the viewport \(at x 0, y 2100/);
      expect(kinds(await layoutProblems(citizen, false))).toContain('off-screen button');
    } finally {
      await citizen.close();
    }
  });

  it('reports a key cut off by its card, sideways overflow, and controls above the middle in 低位操作', async () => {
    const citizen = await Citizen.open(
      browser,
      'portrait',
      page(
        `<div style="width:200px;overflow:hidden"><button data-test="key-1" style="margin-left:-40px;width:100px">1</button></div><div style="width:1400px;height:10px"></div><button data-test="low" style="position:absolute;top:1500px">低处</button>`,
      ),
      'driver-layout',
    );
    try {
      const problems = kinds(await layoutProblems(citizen, true));
      expect(problems).toContain('clipped button[data-test=key-1]');
      expect(problems).toContain('horizontal-overflow document');
      expect(problems).toContain('upper-half button[data-test=key-1]');
      expect(problems).not.toContain('upper-half button[data-test=low]');
    } finally {
      await citizen.close();
    }
  });

  it('measures text contrast from computed colours through ancestors’ backgrounds (WCAG 2.x)', async () => {
    const citizen = await Citizen.open(
      browser,
      'portrait',
      page(
        `<p style="color:#000;background:#fff">黑字</p><p style="color:#767676">灰字</p><div style="background:#000"><div style="background:rgba(255,255,255,0)"><span style="color:#ffffff">白字</span></div></div><div style="background:#0b57d0"><span style="color:rgba(255,255,255,0.5)">半透明</span></div>`,
      ),
      'driver-contrast',
    );
    try {
      const below = await contrastBelow(citizen, 7);
      const ratio = (text: string) => below.find((finding) => finding.text === text)?.ratio;
      expect(ratio('黑字')).toBeUndefined();
      expect(ratio('白字')).toBeUndefined();
      // #767676 on white is the classic 4.54:1 (WebAIM); 50 % white over #0b57d0 is well under 7.
      expect(ratio('灰字')).toBeCloseTo(4.54, 1);
      expect(ratio('半透明')).toBeLessThan(3);
    } finally {
      await citizen.close();
    }
  });

  it('draws strokes as a finger does: pointer events of type touch reach a canvas that keeps the touch', async () => {
    const citizen = await Citizen.open(
      browser,
      'portrait',
      page(
        `<canvas data-test="pad" width="400" height="400" style="touch-action:none;border:1px solid"></canvas><output data-test="log"></output><script>
          const pad = document.querySelector('canvas'); const log = document.querySelector('output'); let moves = 0, strokes = 0;
          pad.addEventListener('pointermove', (e) => { if (e.pointerType === 'touch' && e.buttons) moves++; });
          pad.addEventListener('pointerup', (e) => { if (e.pointerType === 'touch') strokes++; log.textContent = strokes + '/' + moves; });
        </script>`,
      ),
      'driver-draw',
    );
    try {
      await citizen.draw({ test: 'pad' }, [
        [[0.1, 0.1], [0.9, 0.1]],
        [[0.5, 0.1], [0.5, 0.9]],
      ]);
      const [strokes, moves] = (await citizen.read({ test: 'log' })).split('/').map(Number);
      expect(strokes).toBe(2);
      expect(moves).toBeGreaterThan(40);
      expect(citizen.strokes).toBe(2);
    } finally {
      await citizen.close();
    }
  });
});
