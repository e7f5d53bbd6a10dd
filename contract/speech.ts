import { z } from 'zod';

/**
 * One speech service (ARCHITECTURE.md "One speech service"): the renderer asks to speak; the platform's
 * own Chinese voice answers where there is one, otherwise the host synthesises the prompt and the
 * renderer plays the WAV. These are the shapes of the host half.
 */

/** Longest prompt the host will synthesise, in UTF-16 code units: a kiosk prompt is a sentence or two. */
export const SPEECH_TEXT_MAX = 500;

/**
 * Largest WAV the host returns, in bytes: 500 characters of Mandarin at espeak-ng's 22 050 Hz 16-bit
 * mono is about 3 MB; anything larger is a runaway engine, not a prompt.
 */
export const SPEECH_WAV_MAX_BYTES = 8 * 1024 * 1024;

export const SpeechRequest = z
  .object({
    /** The prompt exactly as captioned on screen (plain Chinese; never personal data, the host refuses it). */
    text: z.string().trim().min(1).max(SPEECH_TEXT_MAX),
  })
  .strict();
export type SpeechRequest = z.infer<typeof SpeechRequest>;

/** A prompt spoken by the host's engine. */
export const SynthesisedSpeech = z.object({
  /** RIFF/WAVE, PCM, with correct chunk sizes; base64 (bounded by SPEECH_WAV_MAX_BYTES before encoding). */
  wavBase64: z.string().min(1).max(Math.ceil(SPEECH_WAV_MAX_BYTES / 3) * 4),
  /** Length of the audio in milliseconds, from the WAV's data size and byte rate. */
  durationMs: z.number().int().positive(),
  /** Which engine spoke, for the record and the technician: e.g. `espeak-ng 1.51`. */
  engine: z.string().min(1).max(80),
});
export type SynthesisedSpeech = z.infer<typeof SynthesisedSpeech>;

/** The host's speech engine as the technician screen shows it. */
export const SpeechEngineInfo = z.object({
  /** Engine name, e.g. `espeak-ng`; `none` when configured off. */
  name: z.string(),
  /** Version the engine reports (`1.51`), or null when it could not be asked. */
  version: z.string().nullable(),
  /** Voice used, e.g. `cmn` (Mandarin). */
  voice: z.string(),
  /** Whether the engine answered its self-check (binary present, voice installed). */
  available: z.boolean(),
  /** Plain Chinese for the technician when unavailable (e.g. 未安装 espeak-ng), else null. */
  problem: z.string().nullable(),
});
export type SpeechEngineInfo = z.infer<typeof SpeechEngineInfo>;
