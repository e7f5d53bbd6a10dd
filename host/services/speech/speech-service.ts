import wavefile from 'wavefile';
import { fail, ok, type Result } from '../../../contract/result.js';
import { SPEECH_TEXT_MAX, SPEECH_WAV_MAX_BYTES, type SpeechEngineInfo, type SynthesisedSpeech } from '../../../contract/speech.js';
import type { Logger } from '../log.js';
import { SpeechEngineError, type SpeechEngine } from './speech-engine.js';

const { WaveFile } = wavefile;

export interface SpeechServiceOptions {
  engine: SpeechEngine;
  /**
   * The personal data of the session in progress (name, English name, ID number): a prompt carrying any
   * of it is refused, so nothing personal is synthesised, cached or kept beyond the session.
   */
  personal: () => readonly string[];
  log: Logger;
  /** Most prompts kept (LRU); default 48, about every screen's prompt twice. */
  cacheEntries?: number;
  /** Most base64 characters kept over all cached prompts; default 24 M (about 18 MB of WAV). */
  cacheChars?: number;
  /** Most prompts waiting for the engine while one is being synthesised; more are refused as busy. */
  maxWaiting?: number;
}

const SPEECH_MESSAGES = {
  unavailable: '语音暂时无法播放，请看屏幕上的文字提示',
  refused: '这段内容不适合朗读，请看屏幕上的文字',
  busy: '语音正忙，请看屏幕上的文字提示',
} as const;

/** Six or more digits in a row (ASCII or full-width): an ID, phone, bank or case number, never read aloud. */
const DIGIT_RUN = /[0-9０-９]{6,}/;

/**
 * The host half of the one speech service: bounds every prompt (length, personal data), speaks it with
 * the configured engine one prompt at a time, normalises the WAV (correct RIFF sizes, PCM checked, via
 * the `wavefile` library) and keeps recent prompts in a small LRU so the screens' fixed prompts are
 * synthesised once. Prompts are screen texts, never personal data: `looksPersonal` refuses anything
 * that carries the session's identity or a long digit run before it reaches the engine or the cache.
 */
export class SpeechService {
  private readonly cache = new Map<string, SynthesisedSpeech>();
  private cachedChars = 0;
  private readonly inFlight = new Map<string, Promise<Result<SynthesisedSpeech>>>();
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly cacheEntries: number;
  private readonly cacheChars: number;
  private readonly maxWaiting: number;

  constructor(private readonly options: SpeechServiceOptions) {
    this.cacheEntries = options.cacheEntries ?? 48;
    this.cacheChars = options.cacheChars ?? 24_000_000;
    this.maxWaiting = options.maxWaiting ?? 4;
  }

  /** The engine as the technician screen shows it. */
  describe(): Promise<SpeechEngineInfo> {
    return this.options.engine.describe();
  }

  /** How many prompts and base64 characters the cache holds now (for tests and diagnostics). */
  cacheSize(): { entries: number; chars: number } {
    return { entries: this.cache.size, chars: this.cachedChars };
  }

  /**
   * Speaks one prompt: `voice-refused` when it is too long or looks personal, `voice-busy` when too many
   * wait, `voice-unavailable` when the engine cannot speak; each with plain Chinese for the caption.
   */
  async synthesise(raw: string): Promise<Result<SynthesisedSpeech>> {
    const text = raw.trim();
    if (text.length === 0 || text.length > SPEECH_TEXT_MAX) return fail('voice-refused', SPEECH_MESSAGES.refused);
    const personal = this.looksPersonal(text);
    if (personal) {
      // The reason only: the text itself may be the personal data.
      this.options.log.log('warn', 'voice.refused', { reason: personal });
      return fail('voice-refused', SPEECH_MESSAGES.refused);
    }
    const cached = this.cache.get(text);
    if (cached) {
      this.cache.delete(text);
      this.cache.set(text, cached);
      return ok(cached);
    }
    const running = this.inFlight.get(text);
    if (running) return running;
    if (this.waiting >= this.maxWaiting) return fail('voice-busy', SPEECH_MESSAGES.busy);
    this.waiting++;
    const task = this.queue.then(() => this.speakNow(text));
    this.queue = task.catch(() => undefined);
    this.inFlight.set(text, task);
    try {
      return await task;
    } finally {
      this.waiting--;
      this.inFlight.delete(text);
    }
  }

  /** Why a prompt may not be spoken (`digits`, `identity`), or null when it is a plain screen text. */
  looksPersonal(text: string): string | null {
    if (DIGIT_RUN.test(text)) return 'digits';
    const folded = text.toLowerCase();
    for (const value of this.options.personal()) {
      const needle = value.trim().toLowerCase();
      if (needle.length >= 2 && folded.includes(needle)) return 'identity';
    }
    return null;
  }

  private async speakNow(text: string): Promise<Result<SynthesisedSpeech>> {
    const { engine, log } = this.options;
    const info = await engine.describe();
    if (!info.available) return fail('voice-unavailable', SPEECH_MESSAGES.unavailable);
    let speech: SynthesisedSpeech;
    try {
      const { wav, durationMs } = normaliseWav(await engine.synthesise(text));
      speech = { wavBase64: Buffer.from(wav).toString('base64'), durationMs, engine: info.version ? `${info.name} ${info.version}` : info.name };
    } catch (error) {
      const code = error instanceof SpeechEngineError ? error.code : 'failed';
      log.log('error', 'voice.failed', { code, error: error instanceof Error ? error.message : String(error) });
      return fail('voice-unavailable', SPEECH_MESSAGES.unavailable);
    }
    this.remember(text, speech);
    return ok(speech);
  }

  private remember(text: string, speech: SynthesisedSpeech): void {
    const size = speech.wavBase64.length;
    if (size > this.cacheChars) return;
    this.cache.set(text, speech);
    this.cachedChars += size;
    for (const [oldest, entry] of this.cache) {
      if (this.cache.size <= this.cacheEntries && this.cachedChars <= this.cacheChars) break;
      this.cache.delete(oldest);
      this.cachedChars -= entry.wavBase64.length;
    }
  }
}

/**
 * Parses an engine's WAV with `wavefile` (https://github.com/rochars/wavefile) and writes it out again with
 * correct RIFF and data chunk sizes. Accepts 16-bit (or 8/24/32-bit) integer PCM only, with at least one
 * sample; the duration is the data chunk's length over the format's byte rate. Throws `bad-audio`.
 */
export function normaliseWav(bytes: Uint8Array): { wav: Uint8Array; durationMs: number } {
  let file: InstanceType<typeof WaveFile>;
  try {
    file = new WaveFile(bytes);
  } catch (error) {
    throw new SpeechEngineError('bad-audio', `not a WAV: ${(error as Error).message}`);
  }
  const format = file.fmt as { audioFormat?: number; numChannels?: number; sampleRate?: number; byteRate?: number; bitsPerSample?: number };
  const samples = (file.data as { samples?: Uint8Array }).samples;
  if (format.audioFormat !== 1 || !format.numChannels || !format.sampleRate || !format.byteRate || ![8, 16, 24, 32].includes(format.bitsPerSample ?? 0)) {
    throw new SpeechEngineError('bad-audio', 'WAV is not integer PCM');
  }
  if (!samples || samples.length === 0) throw new SpeechEngineError('bad-audio', 'WAV has no samples');
  const durationMs = Math.round((samples.length / format.byteRate) * 1000);
  if (durationMs <= 0) throw new SpeechEngineError('bad-audio', 'WAV is shorter than a millisecond');
  const wav = file.toBuffer();
  if (wav.length > SPEECH_WAV_MAX_BYTES) throw new SpeechEngineError('too-large', `WAV of ${wav.length} bytes`);
  return { wav, durationMs };
}
