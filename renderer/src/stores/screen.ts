import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LifeCycle } from '../../../contract/catalog.js';

/**
 * Which screen is shown. A kiosk has no address bar and no history a citizen could misuse, so screens
 * are explicit states of one session rather than URLs; every screen name is listed here.
 */
export type Screen =
  | { name: 'home' }
  | { name: 'browse'; lifeCycle: LifeCycle; stageId: string | null }
  | { name: 'search' }
  | { name: 'guide'; serviceId: string }
  | { name: 'identity' }
  /** 请确认是本人办理 (issue 14): 人证核验 after the identity is read, when the service asks for it. */
  | { name: 'assurance' }
  | { name: 'situation' }
  | { name: 'form' }
  | { name: 'materials' }
  | { name: 'review' }
  | { name: 'result' }
  /** Rate one case: the one just submitted, or one of the holder's cases found by 办件查询. */
  | { name: 'rating'; caseRef: string }
  | { name: 'thanks' }
  /** 办件查询; `caseRef` set when a receipt QR was scanned, so the query runs at once. */
  | { name: 'progress'; caseRef: string | null }
  /** Staff mode (hidden entry): the PIN pad, then the technician's or the staff member's screen. */
  | { name: 'staff-sign-in' }
  | { name: 'technician' }
  | { name: 'staff-desk' }
  /** 查询打印 (issue 15): pick a proof of a life cycle, read the card, preview, print. */
  | { name: 'proofs'; lifeCycle: LifeCycle; /** The proof chosen before 人证核验: issued on return. */ kind?: string }
  /** 代办 (issue 12): after the agent's card and check, the principal, relationship and authorisation. */
  | { name: 'agency' };

export type ScreenName = Screen['name'];

/** Screens that need a signed-in staff member or technician. */
export const STAFF_SCREENS: ReadonlySet<ScreenName> = new Set(['technician', 'staff-desk']);

export const useScreenStore = defineStore('screen', () => {
  /** The screen on display. */
  const current = ref<Screen>({ name: 'home' });
  /** Screens to return to with 返回. */
  const history = ref<Screen[]>([]);

  const name = computed(() => current.value.name);
  /** Whether 返回 leads anywhere: not on home, and not after a one-way step. */
  const canGoBack = computed(() => history.value.length > 0);

  function go(screen: Screen): void {
    history.value = [...history.value, current.value];
    current.value = screen;
  }

  /**
   * A step with no way back: the history is dropped. After submission the path result → rating → thanks
   * is one-way, so 返回 can never lead back into the application (issue 9 item 3: 返回 twice after the
   * rating showed the previous citizen's confirm page, and 确认提交 made a second case).
   */
  function goOneWay(screen: Screen): void {
    history.value = [];
    current.value = screen;
  }

  /** Drops the way back, staying on the current screen (the session's data is gone). */
  function forget(): void {
    history.value = [];
  }

  function back(): void {
    const previous = history.value.at(-1);
    history.value = history.value.slice(0, -1);
    current.value = previous ?? { name: 'home' };
  }

  function home(): void {
    history.value = [];
    current.value = { name: 'home' };
  }

  return { current, history, name, canGoBack, go, goOneWay, forget, back, home };
});
