import type { Page } from 'playwright-core';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium } from '../e2e/support/browser.js';
import { connectBridge } from '../support/bridge-client.js';
import { startHostSoak } from '../support/host-soak.js';
import { round, type Figures } from './figures.js';
import { passIdentityCheck } from '../e2e/support/identity-check.js';

/**
 * Memory that only grows (issue 10, kind 11), measured from V8's own numbers after forced collections:
 * - soak.host.heap_growth_mb: the host in its own process (node --expose-gc, inspector), SESSIONS citizen
 *   sessions through its bridge (card laid, application opened, prefilled, submitted, session ended), after
 *   WARM_UP sessions; heap used after HeapProfiler.collectGarbage, before and after. Goal ≤ 2 MB over 1,000.
 * - soak.renderer.heap_growth_mb: the kiosk UI in Chromium, RENDERER_SESSIONS sessions tapped through
 *   (service, identity by the demo card, the prefilled form, 结束办理), CDP HeapProfiler.collectGarbage +
 *   Runtime.getHeapUsage before and after. Goal ≤ 5 MB over 200.
 * Each figure is also given per session, which says more than the total when a run is shortened.
 */
const WARM_UP = 50;
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 1_000);
const RENDERER_WARM_UP = 10;
const RENDERER_SESSIONS = Number(process.env.SOAK_RENDERER_SESSIONS ?? 200);
const MB = 1024 * 1024;

async function hostGrowth(): Promise<Figures> {
  const soak = await startHostSoak();
  try {
    for (let index = 0; index < WARM_UP; index++) await soak.session(index);
    const before = await soak.heap();
    for (let index = WARM_UP; index < WARM_UP + SESSIONS; index++) await soak.session(index);
    const after = await soak.heap();
    return {
      'soak.host.heap_growth_mb': { value: round((after - before) / MB, 2), unit: `MB over ${SESSIONS} sessions (goal ≤ 2)` },
      'soak.host.heap_growth_kb_per_session': { value: round((after - before) / 1024 / SESSIONS, 2), unit: 'kB' },
    };
  } finally {
    await soak.close();
  }
}

async function uiSession(page: Page, cardId: string): Promise<void> {
  await page.click('[data-test=life-cycle-individual]');
  await page.click('[data-test=stage-elderly-care]');
  await page.click('[data-test=service-senior-preferential-card]');
  await page.click('[data-test=start]');
  await page.click(`[data-test=demo-card-${cardId}]`);
  await passIdentityCheck(page);
  await page.locator('[data-test=form]').waitFor();
  // A function, not a string: Playwright evaluates a string again at every poll, which the kiosk's CSP
  // (no 'unsafe-eval') refuses once the first check was not already true.
  const prefilled = () =>
    (globalThis as unknown as { document: { querySelector(selector: string): { value?: string } | null } }).document.querySelector('[data-test=field-applicantName]')?.value !== '';
  await (await page.waitForFunction(prefilled)).dispose();
  await page.click('[data-test=finish]');
  // 结束办理 asks once before it ends the session.
  await page.click('[data-test=finish-confirm]');
  await page.locator('[data-test=life-cycle-individual]').waitFor();
}

async function rendererGrowth(): Promise<Figures> {
  const stack = await startDemoStack();
  const browser = await launchChromium();
  try {
    const page = await kioskPage(browser);
    await page.goto(stack.host.bridge?.launchUrl ?? '');
    await page.waitForSelector('[data-test=life-cycle-individual]');
    const hand = await connectBridge(stack.host.bridge ?? { url: '', launchUrl: '' });
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    // 老年人优待证 is for citizens over 60: the two demo cards over 60 (younger ones are told so before the form).
    const cards = ['resident-sun', 'resident-liu'];
    // Each citizen lifts their card at the end, as the kiosk reminds them to.
    const session = async (index: number) => {
      await uiSession(page, cards[index % cards.length] ?? 'resident-sun');
      hand.events.splice(0);
      const lifted = hand.waitForEvent('identity:card-removed', 15_000);
      await hand.call('simulator:remove-card', {});
      await lifted;
    };
    for (let index = 0; index < RENDERER_WARM_UP; index++) await session(index);
    const before = await heap();
    for (let index = 0; index < RENDERER_SESSIONS; index++) await session(index);
    const after = await heap();
    hand.close();
    return {
      'soak.renderer.heap_growth_mb': { value: round((after - before) / MB, 2), unit: `MB over ${RENDERER_SESSIONS} sessions (goal ≤ 5)` },
      'soak.renderer.heap_growth_kb_per_session': { value: round((after - before) / 1024 / RENDERER_SESSIONS, 2), unit: 'kB' },
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}

export default async function bench(): Promise<Figures> {
  const host = await hostGrowth();
  // The host's figures are kept (printed) even when the UI half fails: it runs for a quarter of an hour.
  process.stderr.write(`soak host: ${JSON.stringify(host)}\n`);
  return { ...host, ...(await rendererGrowth()) };
}
