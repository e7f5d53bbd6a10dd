import type { SpeechEngineInfo } from '../../../contract/speech.js';

/**
 * An offline text-to-speech engine the host can speak with when the platform has no Chinese voice.
 * espeak-ng is the one on the kiosk image (espeak-engine.ts); a better offline voice replaces it by
 * implementing this interface and nothing else changes (speech-service.ts holds the bounds and the cache).
 *
 * Contract:
 * - `synthesise` resolves with the engine's raw WAV bytes (RIFF/WAVE PCM; chunk sizes may be wrong, as
 *   when a stream cannot seek back: the service normalises them) or rejects with a `SpeechEngineError`.
 *   It never hangs: an engine enforces its own time and size bounds and kills what exceeds them.
 * - `describe` never rejects: an engine that cannot run says so in `available` and `problem`.
 * - The text is one prompt, already bounded and checked by the service; engines never log it.
 */
export interface SpeechEngine {
  describe(): Promise<SpeechEngineInfo>;
  synthesise(text: string): Promise<Uint8Array>;
}

/** Why an engine could not speak; `code` is for tests and the log, the message is for the technician. */
export class SpeechEngineError extends Error {
  constructor(
    readonly code: 'not-installed' | 'failed' | 'timeout' | 'too-large' | 'bad-audio' | 'disabled',
    message: string,
  ) {
    super(message);
    this.name = 'SpeechEngineError';
  }
}

/** The engine for `voice.engine: none`: captions only, and the technician screen says so. */
export class NoSpeechEngine implements SpeechEngine {
  describe(): Promise<SpeechEngineInfo> {
    return Promise.resolve({ name: 'none', version: null, voice: '-', available: false, problem: '配置为不使用主机语音（voice.engine = none），仅显示字幕' });
  }

  synthesise(): Promise<Uint8Array> {
    return Promise.reject(new SpeechEngineError('disabled', 'speech engine disabled by configuration'));
  }
}
