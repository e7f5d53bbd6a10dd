import { computed, ref } from 'vue';
import type { Result } from '../../../contract/result.js';

/**
 * 工号 + PIN typed on the on-screen pad (PinPad), shared by staff sign-in and 人工核验 (issue 14): which box the
 * pad types into, the problem to show, and one attempt at a time. The PIN is cleared after every attempt, right
 * or wrong (it never stays on screen or in memory longer than the call).
 */
export function usePinEntry() {
  const number = ref('');
  const pin = ref('');
  const field = ref<'number' | 'pin'>('number');
  const problem = ref<string | null>(null);
  const busy = ref(false);
  /** What the pad types into: the 工号 or the PIN box, whichever is chosen. */
  const value = computed({
    get: () => (field.value === 'number' ? number.value : pin.value),
    set: (text: string) => {
      if (field.value === 'number') number.value = text;
      else pin.value = text;
    },
  });
  /** 工号 of 2+ and a PIN of 4+ characters, and no attempt in flight. */
  const ready = computed(() => number.value.length >= 2 && pin.value.length >= 4 && !busy.value);

  /**
   * Sends one attempt with `call` (the host checks the PIN under its lockouts). Answers the host's value, or
   * null when not ready or refused (its plain-Chinese message is then `problem`, and the PIN box is chosen).
   */
  async function attempt<T>(call: (number: string, pin: string) => Promise<Result<T>>): Promise<T | null> {
    if (!ready.value) return null;
    busy.value = true;
    problem.value = null;
    const result = await call(number.value, pin.value);
    pin.value = '';
    busy.value = false;
    if (!result.ok) {
      problem.value = result.error.message;
      field.value = 'pin';
      return null;
    }
    return result.value;
  }

  return { number, pin, field, problem, busy, value, ready, attempt };
}

export type PinEntry = ReturnType<typeof usePinEntry>;
