import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { planBridge, writeSplash } from '../../scripts/browser-shell-launch.js';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/browser.js';
import { median, round, type Figures } from './figures.js';

/**
 * startup.browser_shell.first_paint_ms: from launching the browser shell to the first paint of the home
 * screen, median of 5 cold launches, done as `npm start` does it (scripts/start.ts): Chromium is started at
 * once on the splash page with the planned bridge address, beside central and the host with its simulated
 * devices; the splash opens the kiosk page when the bridge answers. Chromium's one window is its default
 * profile's (a persistent context), as with `--app`, not an extra context.
 * "Painted" is the first animation frame once the home screen's life-cycle buttons are in the DOM and the
 * bundled fonts have loaded: the page's faces are `font-display: block`, so until then the buttons are
 * there but their text is invisible (the figure counted the blank buttons before; the fonts took another
 * ~300 ms on top until the page preloaded them, vite.config.ts preloadBundledFonts).
 * startup.browser_shell.parts_ms.*: the median of each part alone, to see where the time goes
 * (fonts_after_dom: how long the text stayed invisible after the buttons were there).
 */
export default async function bench(): Promise<Figures> {
  const samples: number[] = [];
  const stackTimes: number[] = [];
  const chromiumTimes: number[] = [];
  const pageTimes: number[] = [];
  const fontTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    const profile = mkdtempSync(join(tmpdir(), 'taian-bench-profile-'));
    const started = performance.now();
    const planned = await planBridge();
    const splash = writeSplash(profile, planned);
    const browserStarting = chromium.launchPersistentContext(join(profile, 'chromium'), { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' }).then(async (context) => {
      chromiumTimes.push(performance.now() - started);
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(splash);
      return { context, page };
    });
    const stackStarting = startDemoStack({ bridgePort: planned.port, bridgeToken: planned.token }).then((stack) => {
      stackTimes.push(performance.now() - started);
      return stack;
    });
    const [{ context, page }, stack] = await Promise.all([browserStarting, stackStarting]);
    try {
      const ready = performance.now();
      await page.waitForSelector('[data-test=life-cycle-individual]', { timeout: 30_000 });
      const inDom = performance.now();
      await page.evaluate('document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))))');
      const painted = performance.now();
      fontTimes.push(painted - inDom);
      pageTimes.push(painted - ready);
      samples.push(painted - started);
    } finally {
      await context.close();
      await stack.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
  return {
    'startup.browser_shell.first_paint_ms': { value: round(median(samples), 1), unit: 'ms' },
    'startup.browser_shell.parts_ms.stack': { value: round(median(stackTimes), 1), unit: 'ms' },
    'startup.browser_shell.parts_ms.chromium': { value: round(median(chromiumTimes), 1), unit: 'ms' },
    'startup.browser_shell.parts_ms.page_after_both': { value: round(median(pageTimes), 1), unit: 'ms' },
    'startup.browser_shell.parts_ms.fonts_after_dom': { value: round(median(fontTimes), 1), unit: 'ms' },
  };
}
