import { usePreferencesStore } from '../stores/preferences.js';

/**
 * Speaks a prompt in Mandarin when voice is on. Every spoken prompt is also on screen as text
 * (DOMAIN.md §6), so a kiosk without a voice engine loses nothing.
 */
export function speak(text: string): void {
  const synthesis = window.speechSynthesis as SpeechSynthesis | undefined;
  if (!synthesis || !usePreferencesStore().voice) return;
  synthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  utterance.rate = 0.9;
  synthesis.speak(utterance);
}
