import wavefile from 'wavefile';
import WavDecoder from 'wav-decoder';
import { describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../../contract/derive.js';
import { SPEECH_TEXT_MAX, type SpeechEngineInfo } from '../../../contract/speech.js';
import { createLogger, type Logger } from '../../../host/services/log.js';
import { EspeakEngine } from '../../../host/services/speech/espeak-engine.js';
import { SpeechEngineError, type SpeechEngine } from '../../../host/services/speech/speech-engine.js';
import { normaliseWav, SpeechService } from '../../../host/services/speech/speech-service.js';

const { WaveFile } = wavefile;
const WELCOME = '欢迎使用政务服务自助终端，请选择办理个人事项或企业事项';

/** Records what would be logged, so a test can see that a refused prompt's text never reaches the log. */
function recordingLog(): Logger & { lines: string[] } {
  const inner = createLogger({ dataDir: null });
  const lines: string[] = [];
  return { lines, log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })), pseudonym: inner.pseudonym };
}

/** A stand-in engine: `milliseconds` of silence per character, as espeak-ng writes it (placeholder sizes). */
class FakeEngine implements SpeechEngine {
  calls: string[] = [];
  gate: Promise<void> = Promise.resolve();
  constructor(private readonly info: Partial<SpeechEngineInfo> = {}) {}
  describe(): Promise<SpeechEngineInfo> {
    return Promise.resolve({ name: 'fake', version: '1.0', voice: 'cmn', available: true, problem: null, ...this.info });
  }
  async synthesise(text: string): Promise<Uint8Array> {
    this.calls.push(text);
    await this.gate;
    const file = new WaveFile();
    file.fromScratch(1, 16_000, '16', new Int16Array(160 * text.length));
    return file.toBuffer();
  }
}

const espeak = (binary = 'espeak-ng') => new EspeakEngine({ binary, voice: 'cmn', rate: 150, maxBytes: 8 * 1024 * 1024 });

describe('EspeakEngine', () => {
  it('speaks a Mandarin prompt as a WAV an independent reader decodes, with samples and a duration', async () => {
    const service = new SpeechService({ engine: espeak(), personal: () => [], log: recordingLog() });
    const result = await service.synthesise(WELCOME);
    if (!result.ok) throw new Error(result.error.message);
    const bytes = Buffer.from(result.value.wavBase64, 'base64');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // RIFF size and data size are the real ones, not espeak-ng's streaming placeholders (0x7FFFF000).
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    const decoded = await WavDecoder.decode(bytes);
    const samples = decoded.channelData[0]?.length ?? 0;
    expect(decoded.sampleRate).toBe(22_050);
    expect(samples).toBeGreaterThan(decoded.sampleRate); // more than a second of speech
    expect(result.value.durationMs).toBe(Math.round((samples / decoded.sampleRate) * 1000));
    // Not silence: espeak-ng really said something.
    expect(decoded.channelData[0]?.some((sample) => Math.abs(sample) > 0.05)).toBe(true);
    expect(result.value.engine).toMatch(/^espeak-ng \d+\.\d+/);
  });

  it('reports its version and the Mandarin voice to the technician', async () => {
    const info = await espeak().describe();
    expect(info).toMatchObject({ name: 'espeak-ng', voice: 'cmn', available: true, problem: null });
    expect(info.version).toMatch(/^\d+\.\d+/);
  });

  it('says in plain Chinese that espeak-ng is missing, and the service answers voice-unavailable without crashing', async () => {
    const engine = espeak('/nonexistent/espeak-ng');
    const info = await engine.describe();
    expect(info).toMatchObject({ available: false, version: null });
    expect(info.problem).toContain('未安装 espeak-ng');
    await expect(engine.synthesise('你好')).rejects.toMatchObject({ code: 'not-installed' });
    const service = new SpeechService({ engine, personal: () => [], log: recordingLog() });
    expect(await service.synthesise('你好')).toEqual({ ok: false, error: { code: 'voice-unavailable', message: '语音暂时无法播放，请看屏幕上的文字提示' } });
  });

  it('reports a voice espeak-ng does not have, and the service then speaks nothing rather than another language', async () => {
    const engine = new EspeakEngine({ binary: 'espeak-ng', voice: 'no-such-voice', rate: 150, maxBytes: 1_000_000 });
    const info = await engine.describe();
    expect(info).toMatchObject({ available: false });
    expect(info.problem).toContain('缺少语音 no-such-voice');
    const service = new SpeechService({ engine, personal: () => [], log: recordingLog() });
    expect(await service.synthesise('你好')).toMatchObject({ ok: false, error: { code: 'voice-unavailable' } });
  });

  it('kills a synthesis that writes more than its byte bound', async () => {
    const engine = new EspeakEngine({ binary: 'espeak-ng', voice: 'cmn', rate: 150, maxBytes: 10_000 });
    await expect(engine.synthesise(WELCOME)).rejects.toMatchObject({ code: 'too-large' });
  });
});

describe('normaliseWav', () => {
  it('rewrites the placeholder RIFF and data sizes of a streamed WAV', () => {
    const file = new WaveFile();
    file.fromScratch(1, 22_050, '16', new Int16Array(22_050));
    const streamed = Buffer.from(file.toBuffer());
    streamed.writeUInt32LE(0x7ffff024, 4);
    streamed.writeUInt32LE(0x7ffff000, 40);
    const { wav, durationMs } = normaliseWav(streamed);
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect(view.getUint32(40, true)).toBe(44_100);
    expect(durationMs).toBe(1000);
  });

  it('refuses bytes that are not PCM audio', () => {
    expect(() => normaliseWav(new TextEncoder().encode('not a wav at all'))).toThrow(SpeechEngineError);
    const empty = new WaveFile();
    empty.fromScratch(1, 16_000, '16', new Int16Array(0));
    expect(() => normaliseWav(empty.toBuffer())).toThrow(/no samples/);
  });
});

describe('SpeechService', () => {
  it('keeps at most its entry bound, dropping the least recently used prompt', async () => {
    const engine = new FakeEngine();
    const service = new SpeechService({ engine, personal: () => [], log: recordingLog(), cacheEntries: 3 });
    for (const text of ['请选择', '请读卡', '请签名']) await service.synthesise(text);
    await service.synthesise('请选择'); // used again: now the most recent
    await service.synthesise('请确认'); // evicts 请读卡, the least recently used
    expect(service.cacheSize().entries).toBe(3);
    await service.synthesise('请选择');
    await service.synthesise('请读卡');
    expect(engine.calls).toEqual(['请选择', '请读卡', '请签名', '请确认', '请读卡']);
  });

  it('keeps at most its character bound, however few prompts that is', async () => {
    const engine = new FakeEngine();
    const service = new SpeechService({ engine, personal: () => [], log: recordingLog(), cacheChars: 3_000 });
    for (const text of ['一', '一二', '一二三', '一二三四']) await service.synthesise(text);
    const { chars, entries } = service.cacheSize();
    expect(chars).toBeLessThanOrEqual(3_000);
    expect(entries).toBeLessThan(4);
  });

  it('refuses empty and over-long prompts before the engine', async () => {
    const engine = new FakeEngine();
    const service = new SpeechService({ engine, personal: () => [], log: recordingLog() });
    expect(await service.synthesise('   ')).toMatchObject({ ok: false, error: { code: 'voice-refused' } });
    expect(await service.synthesise('请'.repeat(SPEECH_TEXT_MAX + 1))).toMatchObject({ ok: false, error: { code: 'voice-refused' } });
    expect(await service.synthesise('请'.repeat(SPEECH_TEXT_MAX))).toMatchObject({ ok: true });
    expect(engine.calls).toHaveLength(1);
  });

  it('refuses a prompt carrying the session holder\'s name or ID number, or any long digit run, and logs only the reason', async () => {
    const engine = new FakeEngine();
    const log = recordingLog();
    const service = new SpeechService({ engine, personal: () => ['张建华', 'MILLER, ANNA', '370902196803151236'], log });
    for (const text of ['张建华，您好', '证件号码370902196803151236', '请致电13853801000', 'miller, anna 您好', '编号１２３４５６']) {
      expect(await service.synthesise(text), text).toMatchObject({ ok: false, error: { code: 'voice-refused' } });
    }
    expect(engine.calls).toEqual([]);
    expect(service.cacheSize().entries).toBe(0);
    expect(log.lines.join('\n')).not.toMatch(/张建华|3709021968|1385380|MILLER/i);
    expect(await service.synthesise('工作人员将在20个工作日内办结')).toMatchObject({ ok: true });
  });

  it('synthesises one prompt at a time, shares a prompt already in flight, and refuses beyond its waiting bound', async () => {
    const engine = new FakeEngine();
    let open!: () => void;
    engine.gate = new Promise((resolve) => (open = resolve));
    const service = new SpeechService({ engine, personal: () => [], log: recordingLog(), maxWaiting: 2 });
    const first = service.synthesise('请选择');
    const same = service.synthesise('请选择');
    const second = service.synthesise('请读卡');
    expect(await service.synthesise('请签名')).toMatchObject({ ok: false, error: { code: 'voice-busy', message: '语音正忙，请看屏幕上的文字提示' } });
    open();
    const [a, b, c] = await Promise.all([first, same, second]);
    expect(a).toEqual(b);
    expect(c).toMatchObject({ ok: true });
    expect(engine.calls).toEqual(['请选择', '请读卡']);
  });

  it('answers voice-unavailable when the engine fails or writes no audio, and keeps serving', async () => {
    const broken: SpeechEngine = {
      describe: () => new FakeEngine().describe(),
      synthesise: (text) => (text === '坏' ? Promise.reject(new SpeechEngineError('failed', 'boom')) : Promise.resolve(new Uint8Array(8))),
    };
    const service = new SpeechService({ engine: broken, personal: () => [], log: recordingLog() });
    expect(await service.synthesise('坏')).toMatchObject({ ok: false, error: { code: 'voice-unavailable' } });
    expect(await service.synthesise('空')).toMatchObject({ ok: false, error: { code: 'voice-unavailable' } });
  });
});

describe('voice:synthesise at the bridge', () => {
  it('answers bad-request for a text over 500 characters before any service sees it', async () => {
    let called = false;
    const handlers = { 'voice:synthesise': () => ((called = true), { ok: false, error: { code: 'x', message: 'x' } }) } as unknown as Handlers;
    const dispatch = createDispatcher(handlers);
    const result = await dispatch('voice:synthesise', { text: '请'.repeat(SPEECH_TEXT_MAX + 1) }, { audiences: new Set(['citizen']) });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(called).toBe(false);
  });
});
