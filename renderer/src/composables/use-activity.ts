import { watch } from 'vue';
import { kiosk } from '../bridge/client.js';
import { useScreenStore } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';

/** How often at most a touch is reported: the host's idle timeout is minutes, a few seconds' slack is nothing. */
const REPORT_EVERY_MS = 5_000;
/** The window's own idle check runs this often. */
const IDLE_CHECK_MS = 1_000;
/**
 * The window's backstop waits this much longer than the host's idle timeout, so the host (the authority,
 * with its visible countdown) always ends a session first, and the backstop acts only where the host has
 * nothing to end (a screen opened without a session) or could not tell this window (bridge down).
 */
export const IDLE_BACKSTOP_MARGIN_MS = 5_000;

export interface ActivityOptions {
  /** The configured idle timeout (ms), or null before the host has said. */
  idleTimeoutMs: () => number | null;
  /** Screens the backstop leaves alone (home with no session, staff screens with their own sign-out). */
  exempt: () => boolean;
  /** Nobody has touched the screen for the idle timeout (plus margin): end and wipe. */
  onIdle: () => void;
}

/**
 * Reports the citizen's touches to the host, whose idle timer is the authority, so a session in use never
 * times out under someone still working; a tap anywhere while the countdown shows counts as 继续办理.
 * Also the window's own backstop: whatever screen is open (a guide, 办件查询, the confirm page, the result),
 * nobody touching it for the idle timeout sends it home wiped, session or not (issue 9 item 3: waiting on
 * a previous citizen's confirm page, it was never wiped). Returns the function that stops listening.
 */
export function reportActivity(options: ActivityOptions): () => void {
  const session = useSessionStore();
  const screen = useScreenStore();
  let lastReport = 0;
  let lastActivity = Date.now();
  const inSession = () => session.view !== null || session.identity !== null;
  const report = (): void => {
    lastReport = Date.now();
    void kiosk().sessionTouch({});
  };
  const onTouch = (): void => {
    lastActivity = Date.now();
    if (inSession() && Date.now() - lastReport >= REPORT_EVERY_MS) report();
  };
  // On click, not on pointerdown: taking the banner away under a finger going down would swallow the
  // tap meant for its own 继续办理 button.
  const onTap = (): void => {
    if (!inSession() || session.idleSecondsLeft === null) return;
    session.idleSecondsLeft = null;
    report();
  };
  const checkIdle = (): void => {
    const timeout = options.idleTimeoutMs();
    if (timeout === null || options.exempt()) {
      lastActivity = Date.now();
      return;
    }
    if (Date.now() - lastActivity < timeout + IDLE_BACKSTOP_MARGIN_MS) return;
    lastActivity = Date.now();
    options.onIdle();
  };
  const listenerOptions = { capture: true, passive: true } as const;
  window.addEventListener('pointerdown', onTouch, listenerOptions);
  window.addEventListener('keydown', onTouch, listenerOptions);
  window.addEventListener('click', onTap, listenerOptions);
  // A screen that changes by itself (a card read, a scanned receipt) is activity too.
  const stopWatching = watch(
    () => screen.current,
    () => (lastActivity = Date.now()),
  );
  const idleTimer = setInterval(checkIdle, IDLE_CHECK_MS);
  return () => {
    window.removeEventListener('pointerdown', onTouch, listenerOptions);
    window.removeEventListener('keydown', onTouch, listenerOptions);
    window.removeEventListener('click', onTap, listenerOptions);
    stopWatching();
    clearInterval(idleTimer);
  };
}
