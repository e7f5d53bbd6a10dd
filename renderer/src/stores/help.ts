import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { KioskHelpCall } from '../../../contract/help-call.js';

/** 呼叫工作人员 (issue 12): this kiosk's help call as the host reports it. Holds no personal data. */
export const useHelpStore = defineStore('help', () => {
  /** The open call (new, accepted) or the one just closed by staff; null when none. */
  const call = ref<KioskHelpCall | null>(null);
  /** A tap on 呼叫工作人员 is being sent (the button waits instead of calling twice). */
  const calling = ref(false);
  return { call, calling };
});

/** Whether a help call is open (new or accepted): the window's idle backstop then waits too (the host holds its own timer). */
export function helpCallOpen(): boolean {
  const state = useHelpStore().call?.state;
  return state === 'new' || state === 'accepted';
}
