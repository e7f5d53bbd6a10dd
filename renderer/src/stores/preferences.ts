import { defineStore } from 'pinia';
import { ref } from 'vue';

/** Accessibility choices for the current person (reset with the session: the next person chooses again). */
export const usePreferencesStore = defineStore('preferences', () => {
  /** 长辈模式: larger text and targets (DOMAIN.md §6). */
  const elderMode = ref(false);
  /** 低位模式: every control in the lower part of the screen for wheelchair users. */
  const lowerLayout = ref(false);
  /** Speak prompts aloud. */
  const voice = ref(true);

  function reset(): void {
    elderMode.value = false;
    lowerLayout.value = false;
    voice.value = true;
  }

  return { elderMode, lowerLayout, voice, reset };
});
