import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { launchChromium, screenshotPath } from './support/browser.js';
import { Citizen } from './support/citizen.js';
import { lookAtMedia, watchMedia } from './support/video-call.js';

/**
 * 远程视频帮办 (issue 12) with two pages in Chromium's fake camera and microphone: the demo kiosk at
 * 1080×1920, driven by taps only, and the staff console. The citizen taps 呼叫工作人员, the staff member
 * takes the call (接单) and starts 视频帮办 from its row; the citizen is asked first. Refusing never opens the camera (getUserMedia counted in
 * the page). Consenting connects: frames are decoded on both sides and keep coming, the console shows the
 * kiosk's screen as structure, a control staff point at is ringed on the kiosk, and 结束视频 stops every
 * track on both sides.
 */
describe('video help between the kiosk and the staff console', () => {
  let stack: DemoStack;
  let browser: Browser;
  let citizen: Citizen;
  let console: Page;
  const row = '[data-test=help-row-TA-DEMO-0001]';

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    citizen = await Citizen.open(browser, 'portrait', stack.host.bridge?.launchUrl ?? '', 'video-help');
    // The first load waits for the host's start-up, slow on a loaded machine.
    await citizen.page.waitForSelector('[data-test=life-cycle-individual]', { timeout: 60_000 });
    await watchMedia(citizen.page);
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
    console = await context.newPage();
    await console.goto(`${stack.central.url}/console/`);
    await watchMedia(console);
    await console.fill('[data-test=staff-number]', '0001');
    await console.fill('[data-test=pin]', '246810');
    await console.click('[data-test=sign-in-submit]');
    await console.waitForSelector('[data-test=help-section]');
  });

  /** axe-core's serious and critical findings on a page, as `rule: targets`. */
  async function seriousAxe(page: Page): Promise<string[]> {
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  }

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks the citizen first, and refusing never opens the camera', async () => {
    await expect.poll(() => stack.central.video().terminals, { timeout: 15_000 }).toEqual(['TA-DEMO-0001']);
    await citizen.tap({ test: 'help-call' });
    await console.click(`${row} [data-test=help-accept]`, { timeout: 10_000 });
    await console.click(`${row} [data-test=help-video]`, { timeout: 10_000 });
    // Shown and said (the caption carries the same words).
    await citizen.find({ text: '工作人员请求视频帮助您，是否同意？' }, { within: { test: 'video-consent' } });
    await citizen.find({ text: '工作人员请求视频帮助您，是否同意？' }, { within: { test: 'voice-caption-text' } });
    await citizen.screenshot('video-help-consent');
    expect(await seriousAxe(citizen.page)).toEqual([]);
    await citizen.tap({ name: '不同意' }, { within: { test: 'video-consent' } });
    await expect.poll(() => console.textContent('[data-test=video-notice]')).toBe('市民不同意视频，请到现场帮助');
    expect(await citizen.read({ test: 'video-notice' })).toBe('您没有同意视频，摄像头没有打开。工作人员会到现场帮助您。');
    expect((await lookAtMedia(citizen.page)).calls).toBe(0);
    // The staff member's camera opened while the citizen was asked; it is released with the refusal.
    await expect.poll(async () => new Set((await lookAtMedia(console)).trackStates)).toEqual(new Set(['ended']));
    expect(stack.central.video().calls).toBe(0);
    await console.click('[data-test=video-back]');
  });

  it('connects after 同意: frames flow both ways, staff see the screen as structure and ring a control, 结束视频 stops every track', async () => {
    await console.click(`${row} [data-test=help-video]`, { timeout: 10_000 });
    await citizen.tap({ name: '同意' }, { within: { test: 'video-consent' } });
    await expect.poll(() => console.textContent('[data-test=video-phase]'), { timeout: 20_000 }).toBe('视频中');
    await citizen.find({ text: /正在视频帮助您$/, exact: false }, { timeoutMs: 20_000 });

    // Frames are decoded on each side, and more of them a moment later.
    await expect.poll(async () => (await lookAtMedia(citizen.page)).framesDecoded, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await lookAtMedia(console)).framesDecoded, { timeout: 15_000 }).toBeGreaterThan(0);
    const kioskFrames = (await lookAtMedia(citizen.page)).framesDecoded;
    const consoleFrames = (await lookAtMedia(console)).framesDecoded;
    await expect.poll(async () => (await lookAtMedia(citizen.page)).framesDecoded, { timeout: 10_000 }).toBeGreaterThan(kioskFrames);
    await expect.poll(async () => (await lookAtMedia(console)).framesDecoded, { timeout: 10_000 }).toBeGreaterThan(consoleFrames);

    // The kiosk's screen as structure, with its controls; the staff member points at one.
    await console.waitForSelector('[data-test=kiosk-state]', { timeout: 10_000 });
    expect(await console.textContent('[data-test=kiosk-values-shared]')).toBe('市民未允许查看填写内容：只显示是否已填');
    await console.click('[data-test=highlight-life-cycle-individual]', { timeout: 10_000 });
    const ring = citizen.page.locator('[data-test=help-highlight]');
    await ring.waitFor({ timeout: 10_000 });
    expect(await ring.getAttribute('data-control')).toBe('life-cycle-individual');
    const ringBox = await ring.boundingBox();
    const controlBox = await citizen.page.locator('[data-test=life-cycle-individual]').boundingBox();
    expect(ringBox && controlBox).toBeTruthy();
    if (ringBox && controlBox) {
      expect(ringBox.x).toBeLessThanOrEqual(controlBox.x);
      expect(ringBox.y).toBeLessThanOrEqual(controlBox.y);
      expect(ringBox.x + ringBox.width).toBeGreaterThanOrEqual(controlBox.x + controlBox.width);
      expect(ringBox.y + ringBox.height).toBeGreaterThanOrEqual(controlBox.y + controlBox.height);
    }
    await citizen.screenshot('video-help-call');
    await console.screenshot({ path: screenshotPath('video-help-console.png'), fullPage: true });

    // 结束视频 on the kiosk ends it for both, and every track on both sides stops.
    await citizen.tap({ test: 'video-end' });
    await expect.poll(() => console.textContent('[data-test=video-phase]')).toBe('已结束');
    expect(await console.textContent('[data-test=video-notice]')).toBe('视频已结束');
    await citizen.page.locator('[data-test=help-highlight]').waitFor({ state: 'detached' });
    for (const [page, calls] of [[citizen.page, 1], [console, 2]] as const) {
      const look = await lookAtMedia(page);
      expect(look.calls).toBe(calls);
      expect(look.trackStates.length).toBeGreaterThanOrEqual(4);
      expect(new Set(look.trackStates)).toEqual(new Set(['ended']));
      expect(look.connections.at(-1)).toBe('closed');
      expect(new Set(look.connections)).toEqual(new Set(['closed']));
    }
    expect(stack.central.video().calls).toBe(0);
    // The call view (its state and controls stay until 返回列表), once the media is gone.
    expect(await seriousAxe(console)).toEqual([]);
  });
});
