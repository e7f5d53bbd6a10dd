import { defineStore } from 'pinia';
import { ref } from 'vue';

/** What the kiosk last said aloud, kept on screen as a caption (DOMAIN.md §6: every voice prompt is also text). */
export const useVoiceStore = defineStore('voice', () => {
  /** The last prompt, shown in the caption bar while its screen is up (App.vue clears it on a change of screen). */
  const caption = ref<string | null>(null);

  return { caption };
});
