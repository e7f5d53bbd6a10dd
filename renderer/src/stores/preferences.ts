import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useKioskStore } from './kiosk.js';

/** Steps of the citizen's volume control (音量 − / +): five, never silent (关闭语音 is for silence). */
export const VOLUME_STEPS = 5;

/** Accessibility choices for the current person (reset with the session: the next person chooses again). */
export const usePreferencesStore = defineStore('preferences', () => {
  /** 长辈模式: larger text and targets (DOMAIN.md §6). */
  const elderMode = ref(false);
  /** 低位操作: every control in the lower half of the screen for wheelchair users (DOMAIN.md §6 reach range). */
  const lowerLayout = ref(false);
  /** 高对比度: the high-contrast theme, all text ≥ 7:1 (WCAG 2.x 1.4.6). */
  const highContrast = ref(false);
  /** Speak prompts aloud. */
  const voice = ref(true);
  /** Volume step chosen by this person (1…VOLUME_STEPS), or null for the kiosk's configured `voice.volume`. */
  const volumeStep = ref<number | null>(null);

  /** The step in effect: the person's choice, else the configuration's volume rounded to a step. */
  const volumeLevel = computed(() => volumeStep.value ?? Math.min(VOLUME_STEPS, Math.max(1, Math.round((useKioskStore().info?.voiceVolume ?? 0.8) * VOLUME_STEPS))));
  /** The volume in effect, 0–1, for the players. */
  const volume = computed(() => volumeLevel.value / VOLUME_STEPS);

  function changeVolume(delta: 1 | -1): void {
    volumeStep.value = Math.min(VOLUME_STEPS, Math.max(1, volumeLevel.value + delta));
  }

  function reset(): void {
    elderMode.value = false;
    lowerLayout.value = false;
    highContrast.value = false;
    voice.value = true;
    volumeStep.value = null;
  }

  return { elderMode, lowerLayout, highContrast, voice, volumeStep, volumeLevel, volume, changeVolume, reset };
});
