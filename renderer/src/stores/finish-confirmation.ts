import { defineStore } from 'pinia';
import { ref } from 'vue';

/**
 * 结束办理 mid-flow asks once before it wipes: the question takes the screen's place (not a pop-up over
 * it, DOMAIN.md §6), and 继续办理 brings the screen back as it was.
 */
export const useFinishConfirmationStore = defineStore('finish-confirmation', () => {
  /** The question is on screen. */
  const asking = ref(false);
  /** Where the screen was scrolled to when the question came, to put it back on 继续办理. */
  const scrollTop = ref(0);

  return { asking, scrollTop };
});
