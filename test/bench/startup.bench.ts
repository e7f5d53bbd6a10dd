import { performance } from 'node:perf_hooks';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium } from '../e2e/support/browser.js';
import { median, round, type Figures } from './figures.js';

/**
 * startup.browser_shell.first_paint_ms: from launching the browser shell (central, host with its
 * simulated devices, Chromium) to the first paint of the home screen, median of 5 cold launches.
 * "Painted" is the first animation frame after the home screen's life-cycle buttons are in the DOM.
 */
export default async function bench(): Promise<Figures> {
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const stack = await startDemoStack();
    const browser = await launchChromium();
    try {
      const page = await kioskPage(browser);
      await page.goto(stack.host.bridge?.launchUrl ?? '');
      await page.waitForSelector('[data-test=life-cycle-individual]');
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))');
      samples.push(performance.now() - started);
    } finally {
      await browser.close();
      await stack.close();
    }
  }
  return { 'startup.browser_shell.first_paint_ms': { value: round(median(samples), 1), unit: 'ms' } };
}
