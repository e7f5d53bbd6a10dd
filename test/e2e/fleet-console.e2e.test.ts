import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { kioskPage, launchChromium, screenshotPath } from './support/browser.js';

/**
 * The fleet console (central's web console, fleet section) and the live demo kiosk side by side in real
 * Chromium: a technician signs in by 工号 + PIN, finds the kiosk with its devices and idle screen, sees
 * paper-out on the simulated printer as an alert, runs a self-test, sets and clears out of service and
 * pushes idle times and voice volume, each taking effect on the kiosk's own screen without a restart.
 * The kiosk heartbeats every 2 s here (60 s in a hall); every wait is for what the person would see.
 */
describe('fleet console with the live demo kiosk', () => {
  let stack: DemoStack;
  let browser: Browser;
  let kiosk: Page;
  let console: Page;

  beforeAll(async () => {
    stack = await startDemoStack({ config: { fleet: { heartbeatSeconds: 2 } } });
    browser = await launchChromium();
    kiosk = await kioskPage(browser);
    await kiosk.goto(stack.host.bridge?.launchUrl ?? '');
    await kiosk.waitForSelector('[data-test=life-cycle-individual]');
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    console = await context.newPage();
    await console.goto(`${stack.central.url}/console/`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('signs a technician in by 工号 and PIN, refusing a wrong PIN in plain words', async () => {
    await console.fill('[data-test=staff-number]', '9001');
    await console.fill('[data-test=pin]', '000000');
    await console.click('[data-test=sign-in-submit]');
    await expect.poll(() => console.textContent('[data-test=sign-in-problem]')).toBe('工号或密码不正确');
    await console.fill('[data-test=pin]', '135790');
    await console.click('[data-test=sign-in-submit]');
    await console.waitForSelector('[data-test=fleet-section]');
    expect(await console.textContent('[data-test=signed-in-as]')).toContain('演示运维人员（9001，运维）');
  });

  it('lists the live kiosk and shows its devices, camera and idle screen', async () => {
    await expect.poll(() => console.textContent('[data-test=terminal-row-TA-DEMO-0001] [data-test=terminal-state]'), { timeout: 20_000 }).toBe('服务中');
    await console.click('[data-test=open-TA-DEMO-0001]');
    await console.waitForSelector('[data-test=devices]');
    expect(await console.textContent('[data-test=device-id-card-reader]')).toContain('正常');
    expect(await console.textContent('[data-test=device-receipt-printer]')).toContain('纸充足');
    await expect.poll(() => console.textContent('[data-test=devices]'), { timeout: 20_000 }).toContain('高拍仪已连接');
    // The idle home screen's picture, taken by the kiosk's own window and sent with a heartbeat.
    await console.waitForSelector('[data-test=screenshot]', { timeout: 30_000 });
    const size = await console.$eval('[data-test=screenshot]', (image) => {
      const picture = image as unknown as { naturalWidth: number; naturalHeight: number };
      return [picture.naturalWidth, picture.naturalHeight];
    });
    expect(size).toEqual([480, 270]);
    await console.screenshot({ path: screenshotPath('fleet-console-terminal.png'), fullPage: true });
  });

  it('raises an alert when the simulated printer runs out of paper, and clears it when paper is back', async () => {
    stack.host.devices.simulators?.receiptPrinter?.setPaper('out');
    await console.waitForSelector('[data-test=alert-paper-out]', { timeout: 20_000 });
    expect(await console.textContent('[data-test=alert-paper-out]')).toBe('凭条打印机缺纸，请到现场装纸');
    expect(await console.textContent('[data-test=detail-state]')).toBe('需关注');
    stack.host.devices.simulators?.receiptPrinter?.setPaper('ok');
    await console.waitForSelector('[data-test=alert-paper-out]', { state: 'detached', timeout: 20_000 });
  });

  it('runs a self-test on demand and shows every check', async () => {
    await console.click('[data-test=command-run-self-test]');
    expect(await console.textContent('[data-test=action-notice]')).toContain('已下达“远程自检”');
    await expect.poll(() => console.textContent('[data-test=command-run-self-test] td:last-child'), { timeout: 20_000 }).toMatch(/^完成/);
    await expect.poll(() => console.textContent('[data-test=self-test-results] h2'), { timeout: 20_000 }).toMatch(/^自检/);
    expect(await console.textContent('[data-test=check-reader]')).toContain('通过');
    expect(await console.textContent('[data-test=check-disk]')).toMatch(/通过|注意/);
    expect(await console.textContent('[data-test=check-camera]')).toContain('高拍仪已连接');
  });

  it('sets out of service with a message that the kiosk shows, and clears it', async () => {
    await console.fill('[data-test=out-of-service-message]', '设备检修，请到 3 号窗口办理');
    await console.click('[data-test=set-out-of-service]');
    await kiosk.waitForSelector('[data-test=out-of-service]', { timeout: 20_000 });
    expect(await kiosk.textContent('[data-test=out-of-service]')).toContain('设备检修，请到 3 号窗口办理');
    await kiosk.screenshot({ path: screenshotPath('fleet-kiosk-out-of-service.png') });
    await expect.poll(() => console.textContent('[data-test=detail-state]'), { timeout: 20_000 }).toBe('暂停服务');
    await console.click('[data-test=clear-out-of-service]');
    await kiosk.waitForSelector('[data-test=out-of-service]', { state: 'detached', timeout: 20_000 });
    await kiosk.waitForSelector('[data-test=life-cycle-individual]');
  });

  it('pushes idle times and voice volume that take effect on the kiosk without a restart', async () => {
    expect(await kiosk.textContent('[data-test=volume-level]')).toBe('4/5');
    await console.click('[data-test=push-config]');
    await console.waitForSelector('[data-test=config-layers]');
    expect(await console.inputValue('[data-test=config-scope-id]')).toBe('TA-DEMO-0001');
    await console.fill('[data-test=config-text]', '{ "sesion": { "idleTimeoutSeconds": 35 } }');
    await console.click('[data-test=config-save]');
    await expect.poll(() => console.textContent('[data-test=config-outcome]')).toContain('配置项 sesion 不正确');
    await console.fill('[data-test=config-text]', '{ "session": { "idleTimeoutSeconds": 45, "idleWarningSeconds": 30 }, "voice": { "volume": 0.2 } }');
    await console.click('[data-test=config-save]');
    await expect.poll(() => console.textContent('[data-test=config-outcome]')).toMatch(/已保存为版本 \d+/);

    // The next heartbeat brings it: the volume each session starts at drops, and a session now warns after 15 s idle, not 90.
    await expect.poll(() => kiosk.textContent('[data-test=volume-level]'), { timeout: 20_000 }).toBe('1/5');
    await kiosk.click('[data-test=life-cycle-individual]');
    await kiosk.click('[data-test=stage-elderly-care]');
    await kiosk.click('[data-test=service-senior-preferential-card]');
    await kiosk.waitForSelector('[data-test=guide]');
    await kiosk.click('[data-test=start]');
    const started = Date.now();
    await kiosk.waitForSelector('[data-test=idle-banner]', { timeout: 30_000 });
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(Number(await kiosk.textContent('[data-test=idle-banner] strong'))).toBeLessThanOrEqual(30);
  });

  it('closes the kiosk by opening hours pushed from the console once the running session ends, showing the hours, the next opening and the nearest 24 h kiosk', async () => {
    // Open all week, but today (Beijing) is a holiday: closed now, open again at midnight.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const settings = (hours: unknown) => JSON.stringify({ session: { idleTimeoutSeconds: 45, idleWarningSeconds: 30 }, voice: { volume: 0.2 }, ...(hours ? { operatingHours: hours } : {}) });
    const closedToday = { week: Array.from({ length: 7 }, () => [{ open: '00:00', close: '24:00' }]), exceptions: [{ date: today, periods: [] }], nearest24h: { name: '泰山区24小时自助服务区', address: '东岳大街 1 号' } };
    await console.fill('[data-test=config-text]', settings(closedToday));
    await console.click('[data-test=config-save]');
    await expect.poll(() => console.textContent('[data-test=config-outcome]')).toMatch(/已保存为版本 \d+/);
    // The session of the test before is still open: it runs to its idle end first, then the hours show.
    expect(await kiosk.$('[data-test=closed-notice]')).toBeNull();
    await kiosk.waitForSelector('[data-test=closed-notice]', { timeout: 90_000 });
    expect(await kiosk.textContent('[data-test=next-opening]')).toContain('明天');
    expect(await kiosk.textContent('[data-test=nearest-24h]')).toContain('泰山区24小时自助服务区');
    expect(await kiosk.$('[data-test=life-cycle-individual]')).toBeNull();
    await kiosk.screenshot({ path: screenshotPath('fleet-kiosk-closed.png') });

    await console.fill('[data-test=config-text]', settings(null));
    await console.click('[data-test=config-save]');
    await kiosk.waitForSelector('[data-test=life-cycle-individual]', { timeout: 20_000 });
    expect(await kiosk.$('[data-test=closed-notice]')).toBeNull();
  });
});
