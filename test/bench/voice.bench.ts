import { performance } from 'node:perf_hooks';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { createLogger } from '../../host/services/log.js';
import { EspeakEngine } from '../../host/services/speech/espeak-engine.js';
import { SpeechService } from '../../host/services/speech/speech-service.js';
import { SPEECH_WAV_MAX_BYTES } from '../../contract/speech.js';
import { kioskPage, launchChromium } from '../e2e/support/browser.js';
import { median, percentile, round, type Figures } from './figures.js';

/** Prompts the screens say (the longer ones), spoken by espeak-ng through the host's service. */
const PROMPTS = [
  '欢迎使用政务服务自助终端，请选择办理个人事项或企业事项',
  '请将身份证放在读卡区，或出示电子身份码',
  '请回答下面的问题，系统会列出您需要办理的事项和材料',
  '请核对根据证件自动填写的信息，补全空白的项目，然后点下一步',
  '请为每项材料选择提供方式：能调取电子证照的免提交，也可以告知承诺、拍照上传或稍后到窗口补交',
  '请核对申请信息，确认无误后点确认提交；需要修改请点返回',
  '办理成功，结果已出具。请在出纸口取走办理结果和回执。',
  '确定要结束办理吗？结束后，您在本机的信息将全部清除。如需接着办理，请点继续办理',
];

/**
 * voice.espeak_synthesise_p50_ms / _p99_ms: a screen prompt synthesised by espeak-ng (cmn) and
 * normalised, cache off, 3 rounds of 8 prompts; voice.cached_ms: the same prompt from the LRU.
 * voice.first_prompt_ms: from opening the kiosk page (browser shell, headless Chromium, no Chinese
 * platform voice) to the welcome prompt playing, median of 3 cold pages.
 * renderer.fonts_ready_ms: from opening the page to the bundled Noto Sans SC faces loaded and
 * `document.fonts.ready`, median of the same 3 pages (two 10.5 MB TTF files from the local shell).
 */
export default async function bench(): Promise<Figures> {
  const log = createLogger({ dataDir: null, minLevel: 'error' });
  const engine = new EspeakEngine({ binary: 'espeak-ng', voice: 'cmn', rate: 150, maxBytes: SPEECH_WAV_MAX_BYTES });
  const uncached = new SpeechService({ engine, personal: () => [], log, cacheEntries: 0 });
  const synthesis: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const prompt of PROMPTS) {
      const started = performance.now();
      const result = await uncached.synthesise(prompt);
      if (!result.ok) throw new Error(result.error.message);
      synthesis.push(performance.now() - started);
    }
  }
  const cached = new SpeechService({ engine, personal: () => [], log });
  await cached.synthesise(PROMPTS[0] ?? '');
  const hits: number[] = [];
  for (let run = 0; run < 50; run++) {
    const started = performance.now();
    await cached.synthesise(PROMPTS[0] ?? '');
    hits.push(performance.now() - started);
  }

  const firstPrompt: number[] = [];
  const fontsReady: number[] = [];
  const stack = await startDemoStack();
  const browser = await launchChromium();
  try {
    for (let run = 0; run < 3; run++) {
      const page = await kioskPage(browser);
      await page.addInitScript(`window.__voiceAt = null; window.addEventListener('kiosk:voice', (event) => { if (event.detail.outcome === 'spoken' && window.__voiceAt === null) window.__voiceAt = performance.now(); });`);
      await page.goto(stack.host.bridge?.launchUrl ?? '');
      await page.waitForSelector('[data-test=life-cycle-individual]');
      fontsReady.push(
        await page.evaluate<number>(`(async () => {
          await Promise.all([document.fonts.load('400 24px "Kiosk Noto Sans SC"', '办'), document.fonts.load('700 24px "Kiosk Noto Sans SC"', '办')]);
          await document.fonts.ready;
          return performance.now();
        })()`),
      );
      await page.waitForFunction('window.__voiceAt !== null', undefined, { timeout: 20_000 });
      firstPrompt.push(await page.evaluate<number>('window.__voiceAt'));
      await page.context().close();
    }
  } finally {
    await browser.close();
    await stack.close();
  }

  return {
    'voice.espeak_synthesise_p50_ms': { value: round(median(synthesis), 1), unit: 'ms' },
    'voice.espeak_synthesise_p99_ms': { value: round(percentile(synthesis, 99), 1), unit: 'ms' },
    'voice.cached_ms': { value: round(median(hits), 3), unit: 'ms' },
    'voice.first_prompt_ms': { value: round(median(firstPrompt), 1), unit: 'ms' },
    'renderer.fonts_ready_ms': { value: round(median(fontsReady), 1), unit: 'ms' },
  };
}
