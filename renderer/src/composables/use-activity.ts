import { kiosk } from '../bridge/client.js';
import { useSessionStore } from '../stores/session.js';
import { startIdleBackstop, type IdleBackstopOptions } from './idle-backstop.js';

/** How often at most a touch is reported: the host's idle timeout is minutes, a few seconds' slack is nothing. */
const REPORT_EVERY_MS = 5_000;

/**
 * Reports the citizen's touches to the host, whose idle timer is the authority, so a session in use never
 * times out under someone still working; a tap anywhere while the countdown shows counts as 继续办理.
 * Also feeds the window's own backstop (idle-backstop.ts): whatever screen is open, nobody touching it for
 * the idle timeout sends it home wiped, session or not. Returns the function that stops listening.
 */
export function reportActivity(options: IdleBackstopOptions): () => void {
  const session = useSessionStore();
  const backstop = startIdleBackstop(options);
  let lastReport = 0;
  const inSession = () => session.view !== null || session.identity !== null;
  const report = (): void => {
    lastReport = Date.now();
    void kiosk().sessionTouch({});
  };
  const onTouch = (): void => {
    backstop.activity();
    if (inSession() && Date.now() - lastReport >= REPORT_EVERY_MS) report();
  };
  // On click, not on pointerdown: taking the banner away under a finger going down would swallow the
  // tap meant for its own 继续办理 button.
  const onTap = (): void => {
    if (!inSession() || session.idleSecondsLeft === null) return;
    session.idleSecondsLeft = null;
    report();
  };
  const listenerOptions = { capture: true, passive: true } as const;
  window.addEventListener('pointerdown', onTouch, listenerOptions);
  window.addEventListener('keydown', onTouch, listenerOptions);
  window.addEventListener('click', onTap, listenerOptions);
  return () => {
    window.removeEventListener('pointerdown', onTouch, listenerOptions);
    window.removeEventListener('keydown', onTouch, listenerOptions);
    window.removeEventListener('click', onTap, listenerOptions);
    backstop.stop();
  };
}
