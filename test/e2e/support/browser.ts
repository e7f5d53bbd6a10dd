import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (never a downloaded browser). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // As the kiosk's own Chromium (scripts/start.ts): prompts play before the first touch.
  '--autoplay-policy=no-user-gesture-required',
];

/** Chromium's test-pattern camera, granted without a prompt: the demo's document camera (高拍仪). */
export const FAKE_CAMERA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/**
 * An init script keeping every stream a page opens in `window.__cameraStreams`, so a test can see whether the
 * camera was opened and whether any track is still live (reading, not acting).
 */
export const RECORD_CAMERA_STREAMS = `(() => {
  const streams = [];
  window.__cameraStreams = streams;
  const media = navigator.mediaDevices;
  const open = media?.getUserMedia?.bind(media);
  if (open) media.getUserMedia = async (constraints) => { const stream = await open(constraints); streams.push(stream); return stream; };
})()`;

/** `camera: 'none'` leaves the container as it is: no video device, so getUserMedia finds none. */
export function launchChromium(options: { camera?: 'fake' | 'none' } = {}): Promise<Browser> {
  const camera = options.camera === 'none' ? [] : FAKE_CAMERA_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...camera], headless: true });
}

/** A kiosk-sized page (1920×1080 landscape, the common hall terminal). */
export async function kioskPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  return context.newPage();
}

/** Where a screenshot for a person to look at goes: test/artifacts/ (git-ignored), or KIOSK_SCREENSHOTS. */
export function screenshotPath(name: string): string {
  return join(process.env.KIOSK_SCREENSHOTS ?? fileURLToPath(new URL('../../artifacts', import.meta.url)), name);
}
