import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SpeechState } from '../composables/speech.js';

/** What the kiosk last said aloud, kept on screen as a caption (DOMAIN.md §6: every voice prompt is also text). */
export const useVoiceStore = defineStore('voice', () => {
  /** The last prompt, shown in the caption bar while its screen is up (App.vue clears it on a change of screen). */
  const caption = ref<string | null>(null);
  /** Whether a prompt is being prepared, spoken or paused (the caption bar's 暂停 / 继续). */
  const state = ref<SpeechState>('idle');
  /** The engine that spoke last (`platform:<voice>` or `host:espeak-ng 1.51`), for the technician screen. */
  const engine = ref<string | null>(null);

  return { caption, state, engine };
});
