import { usePreferencesStore } from '../stores/preferences.js';
import { useVoiceStore } from '../stores/voice.js';

/**
 * Speaks a prompt in Mandarin when voice is on, and always puts it in the caption bar (TheVoiceCaption),
 * so every spoken prompt is also on screen as text and can be heard again (DOMAIN.md §6); a kiosk without
 * a voice engine, or a citizen who turned voice off, loses nothing.
 */
export function speak(text: string): void {
  useVoiceStore().caption = text;
  say(text);
}

/** Says the caption again (重听). */
export function repeatPrompt(): void {
  const caption = useVoiceStore().caption;
  if (caption) say(caption);
}

/** Stops speaking at once (the citizen paused the voice, or the session ended). */
export function stopSpeaking(): void {
  (window.speechSynthesis as SpeechSynthesis | undefined)?.cancel();
}

function say(text: string): void {
  const synthesis = window.speechSynthesis as SpeechSynthesis | undefined;
  if (!synthesis || !usePreferencesStore().voice) return;
  synthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  utterance.rate = 0.9;
  synthesis.speak(utterance);
}
