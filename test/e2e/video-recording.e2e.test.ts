import type { Browser, Page } from 'playwright-core';
import { Decoder, type EBMLElementDetail } from 'ts-ebml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_PATHS, RecordingView } from '../../contract/video-recording.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';
import { signInToConsole, type ConsoleCaller } from '../support/console-client.js';
import { launchChromium, screenshotPath } from './support/browser.js';
import { Citizen } from './support/citizen.js';
import { lookAtMedia, watchMedia } from './support/video-call.js';

/**
 * Recording of 远程视频帮办 (issue 12) with two pages in Chromium's fake camera and microphone: the demo kiosk
 * at 1080×1920 (taps only) and the staff console. With the hall's recording off, the consent says 视频不会录像
 * and the console uploads nothing. The hall manager turns recording on (central's hall configuration); the
 * next call's consent says it is recorded, what for and how long it is kept; after the call central holds a
 * recording whose bytes an independent WebM reader (ts-ebml) decodes: EBML header of DocType webm, a Segment
 * with Tracks and Clusters of SimpleBlocks.
 */
const HALL = '泰安市政务服务中心（演示）';
const PURPOSE = '服务质量监督和纠纷处理';

describe('video help recording, only where the hall turns it on', () => {
  let stack: DemoStack;
  let browser: Browser;
  let citizen: Citizen;
  let desk: Page;
  let staffApi: ConsoleCaller;
  const uploads: string[] = [];
  const row = '[data-test=help-row-TA-DEMO-0001]';

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    citizen = await Citizen.open(browser, 'portrait', stack.host.bridge?.launchUrl ?? '', 'video-recording');
    await citizen.page.waitForSelector('[data-test=life-cycle-individual]', { timeout: 60_000 });
    await watchMedia(citizen.page);
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
    desk = await context.newPage();
    desk.on('request', (request) => {
      if (request.url().includes('/console/api/video/recordings/')) uploads.push(request.url());
    });
    await desk.goto(`${stack.central.url}/console/`);
    await watchMedia(desk);
    await desk.fill('[data-test=staff-number]', '0001');
    await desk.fill('[data-test=pin]', '246810');
    await desk.click('[data-test=sign-in-submit]');
    await desk.waitForSelector('[data-test=help-section]');
    staffApi = await signInToConsole(stack.central.url, '0001', '246810');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Staff start video on the accepted help call; the citizen reads the consent and agrees; frames flow. */
  async function connectedCall(): Promise<string> {
    await desk.click(`${row} [data-test=help-video]`, { timeout: 10_000 });
    const consent = await citizen.read({ test: 'video-consent-recording' });
    await citizen.tap({ name: '同意' }, { within: { test: 'video-consent' } });
    await expect.poll(() => desk.textContent('[data-test=video-phase]'), { timeout: 20_000 }).toBe('视频中');
    await expect.poll(async () => (await lookAtMedia(desk)).framesDecoded, { timeout: 15_000 }).toBeGreaterThan(0);
    return consent;
  }

  async function recordings(): Promise<RecordingView[]> {
    const answer = await staffApi.call('GET', RECORDING_PATHS.list);
    expect(answer.status).toBe(200);
    return RecordingView.array().parse(answer.body);
  }

  it('says 视频不会录像 and uploads nothing while the hall does not record', async () => {
    await expect.poll(() => stack.central.video().terminals, { timeout: 15_000 }).toEqual(['TA-DEMO-0001']);
    await citizen.tap({ test: 'help-call' });
    await desk.click(`${row} [data-test=help-accept]`, { timeout: 10_000 });
    const consent = await connectedCall();
    expect(consent).toContain('视频不会录像');
    expect(consent).not.toContain('录像录音');
    expect(await desk.isVisible('[data-test=video-recording]')).toBe(false);
    await desk.waitForTimeout(2_500);
    await citizen.tap({ test: 'video-end' });
    await expect.poll(() => desk.textContent('[data-test=video-phase]')).toBe('已结束');
    expect(uploads).toEqual([]);
    expect(await recordings()).toEqual([]);
    await desk.click('[data-test=video-back]');
  });

  it('tells the citizen before they agree when the hall records, and central then holds a WebM an independent reader decodes', async () => {
    const manager = await signInToConsole(stack.central.url, '8001', '112233');
    const put = await manager.call('POST', `/console/api/fleet/config/hall/${encodeURIComponent(HALL)}`, { settings: { videoRecording: { enabled: true, retentionDays: 30, purpose: PURPOSE } } });
    expect(put.status).toBe(201);

    await desk.click(`${row} [data-test=help-video]`, { timeout: 10_000 });
    const consent = await citizen.read({ test: 'video-consent-recording' });
    expect(consent).toContain('本次视频会全程录像录音');
    expect(consent).toContain(`用于${PURPOSE}`);
    expect(consent).toContain('保存 30 天后自动删除');
    await citizen.screenshot('video-recording-consent');
    await citizen.tap({ name: '同意' }, { within: { test: 'video-consent' } });
    await expect.poll(() => desk.textContent('[data-test=video-phase]'), { timeout: 20_000 }).toBe('视频中');
    await expect.poll(() => desk.textContent('[data-test=video-recording]'), { timeout: 10_000 }).toContain('录像中');
    // A few seconds of the kiosk's stream, one chunk a second.
    await expect.poll(() => uploads.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await desk.screenshot({ path: screenshotPath('video-recording-console.png'), fullPage: true });
    await desk.click('[data-test=video-hang-up]');
    await expect.poll(() => desk.textContent('[data-test=video-phase]')).toBe('已结束');

    // The last chunk is sent after the hang-up; then the recording stops growing.
    let listed: RecordingView[] = [];
    await expect.poll(async () => {
      const before = uploads.length;
      listed = await recordings();
      await desk.waitForTimeout(1_500);
      return listed.length === 1 && (listed[0]?.chunks ?? 0) >= 3 && uploads.length === before && (listed[0]?.chunks ?? 0) === uploads.length;
    }, { timeout: 20_000 }).toBe(true);
    const [recording] = listed;
    expect(recording).toMatchObject({ terminalId: 'TA-DEMO-0001', hall: HALL, staffNumber: '0001', purpose: PURPOSE });

    const media = await staffApi.call('GET', RECORDING_PATHS.media.replace(':recordingId', recording?.recordingId ?? ''));
    expect(media.status).toBe(200);
    const bytes = Buffer.from((media.body as { data: string }).data, 'base64');
    expect(bytes.length).toBe(recording?.bytes);
    const elements: EBMLElementDetail[] = new Decoder().decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const named = (name: string) => elements.filter((element) => element.name === name && !('isEnd' in element && element.isEnd));
    expect(named('DocType').map((element) => ('value' in element ? element.value : null))).toEqual(['webm']);
    expect(named('Segment')).toHaveLength(1);
    expect(named('TrackEntry').length).toBeGreaterThanOrEqual(1);
    expect(named('CodecID').map((element) => ('value' in element ? String(element.value) : ''))).toEqual(expect.arrayContaining([expect.stringMatching(/^V_VP[89]$/)]));
    expect(named('Cluster').length).toBeGreaterThanOrEqual(1);
    expect(named('SimpleBlock').length).toBeGreaterThan(10);

    // Signed-in staff find it in the console's 视频帮办录像 and play it there.
    await desk.click('[data-test=video-back]');
    await desk.click('[data-test=video-recordings-load]');
    await desk.waitForSelector(`[data-test=video-recording-${recording?.recordingId ?? ''}]`);
    await desk.click(`[data-test=video-recording-${recording?.recordingId ?? ''}] [data-test=video-recording-play]`);
    await expect.poll(() => desk.$eval('[data-test=video-recording-player]', (video) => (video as unknown as { readyState: number }).readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await desk.screenshot({ path: screenshotPath('video-recording-list.png'), fullPage: true });
  });
});
