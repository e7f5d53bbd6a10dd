import { defineStore } from 'pinia';
import { ref } from 'vue';

/** What the kiosk last said aloud, kept on screen as a caption (DOMAIN.md §6: every voice prompt is also text). */
export const useVoiceStore = defineStore('voice', () => {
  /** The last prompt, shown in the caption bar until the next one or the session's end; null when none. */
  const caption = ref<string | null>(null);

  function wipe(): void {
    caption.value = null;
  }

  return { caption, wipe };
});
