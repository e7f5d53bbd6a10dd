import { watch } from 'vue';
import { STAFF_SCREENS, useScreenStore } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';
import { helpCallOpen } from '../stores/help.js';

/** The window's own idle check runs this often (ms). */
const IDLE_CHECK_MS = 1_000;
/**
 * The window's backstop waits this much longer than the host's idle timeout (ms), so the host (the
 * authority, with its visible countdown) always ends a session first, and the backstop acts only where the
 * host has nothing to end (a screen opened without a session) or could not tell this window (bridge down).
 */
export const IDLE_BACKSTOP_MARGIN_MS = 5_000;

export interface IdleBackstopOptions {
  /** The configured idle timeout (ms), or null before the host has said. */
  idleTimeoutMs: () => number | null;
  /** Screens the backstop leaves alone (`idleExempt`). */
  exempt: () => boolean;
  /** Nobody has touched the screen for the idle timeout (plus margin): end and wipe. */
  onIdle: () => void;
}

export interface IdleBackstop {
  /** A touch, a key or anything else the citizen did: the wait starts again. */
  activity(): void;
  /** Stops the check and the watch. */
  stop(): void;
}

/**
 * Screens the idle backstop leaves alone: home with nobody's data (nothing to wipe, and the next person
 * starts there anyway) and the staff screens, which have their own sign-out. Every other screen — a guide,
 * 办件查询, the confirm page, the result, the thanks screen, the staff PIN pad — goes home wiped when left
 * alone (issue 9 item 3: waiting on a previous citizen's confirm page, it was never wiped).
 */
export function idleExempt(): boolean {
  const screen = useScreenStore();
  const session = useSessionStore();
  // While a help call is open the citizen waits for staff; the host bounds that wait (session.ts holdIdle).
  return (screen.name === 'home' && session.view === null && session.identity === null) || STAFF_SCREENS.has(screen.name) || helpCallOpen();
}

/**
 * The window's idle backstop, apart from the DOM (use-activity.ts feeds it the touches): whatever screen
 * is open, nobody acting on it for the idle timeout plus `IDLE_BACKSTOP_MARGIN_MS` calls `onIdle`, session
 * or not. A screen that changes by itself (a card read, a scanned receipt) counts as activity.
 */
export function startIdleBackstop(options: IdleBackstopOptions): IdleBackstop {
  const screen = useScreenStore();
  let lastActivity = Date.now();
  const activity = (): void => {
    lastActivity = Date.now();
  };
  const check = (): void => {
    const timeout = options.idleTimeoutMs();
    if (timeout === null || options.exempt()) return activity();
    if (Date.now() - lastActivity < timeout + IDLE_BACKSTOP_MARGIN_MS) return;
    activity();
    options.onIdle();
  };
  const stopWatching = watch(() => screen.current, activity);
  const timer = setInterval(check, IDLE_CHECK_MS);
  return {
    activity,
    stop: () => {
      stopWatching();
      clearInterval(timer);
    },
  };
}
