import { kiosk } from '../bridge/client.js';
import { usePreferencesStore } from '../stores/preferences.js';
import { useVoiceStore } from '../stores/voice.js';
import { createSpeechService, type SpeechService, type SpokenRecord } from './speech.js';
import { audioElementPlayer, browserPlatformVoice } from './speech-browser.js';

/** The window event each engine call is recorded with (see SpokenRecord); tests listen for it. */
const VOICE_EVENT = 'kiosk:voice';

let service: SpeechService | null = null;

/**
 * Which engine speaks on this kiosk now, in plain Chinese for the technician: the platform's Chinese
 * voice when it has one (it is preferred), else the host's engine with its version, else none.
 */
export async function speakingEngine(): Promise<{ text: string; ok: boolean }> {
  const platformVoice = await browserPlatformVoice()?.chineseVoice();
  if (platformVoice) return { text: `系统中文语音：${platformVoice.name}`, ok: true };
  const host = await kiosk().voiceGetEngine({});
  if (!host.ok) return { text: `主机语音引擎无法查询：${host.error.message}`, ok: false };
  const engine = host.value;
  if (!engine.available) return { text: `无可用语音，仅显示字幕（${engine.problem ?? engine.name}）`, ok: false };
  return { text: `主机合成：${engine.name}${engine.version ? ` ${engine.version}` : ''}（语音 ${engine.voice}，本机浏览器无中文语音）`, ok: true };
}

function speech(): SpeechService {
  service ??= createSpeechService({
    platform: browserPlatformVoice(),
    host: (text) => kiosk().voiceSynthesise({ text }),
    player: audioElementPlayer(),
    onState: (state) => (useVoiceStore().state = state),
    onRecord: (record: SpokenRecord) => {
      if (record.outcome === 'spoken') useVoiceStore().engine = record.engine;
      window.dispatchEvent(new CustomEvent<SpokenRecord>(VOICE_EVENT, { detail: record }));
    },
  });
  return service;
}

/**
 * Speaks a prompt in Mandarin when voice is on, and always puts it in the caption bar (TheVoiceCaption),
 * so every spoken prompt is also on screen as text and can be heard again (DOMAIN.md §6); a kiosk without
 * a voice engine, or a citizen who turned voice off, loses nothing. Prompts are screen texts: never a
 * name, number or anything personal (the host refuses to synthesise those).
 */
export function speak(text: string): void {
  useVoiceStore().caption = text;
  say(text);
}

/** Says the caption again (再听一遍). */
export function repeatPrompt(): void {
  const caption = useVoiceStore().caption;
  if (caption) say(caption);
}

/** Pauses the prompt being spoken (暂停); resumePrompt goes on from there. */
export function pausePrompt(): void {
  service?.pause();
}

export function resumePrompt(): void {
  service?.resume();
}

/** Stops speaking at once (the citizen turned the voice off, or the session ended). */
export function stopSpeaking(): void {
  service?.stop();
}

/** One step louder or quieter (音量 + / −), applied to the prompt being spoken too. */
export function changeVolume(delta: 1 | -1): void {
  const preferences = usePreferencesStore();
  preferences.changeVolume(delta);
  service?.setVolume(preferences.volume);
}

function say(text: string): void {
  const preferences = usePreferencesStore();
  if (!preferences.voice) return;
  void speech().say(text, preferences.volume);
}
