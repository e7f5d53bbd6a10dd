import { kiosk } from '../bridge/client.js';
import { useSessionStore } from '../stores/session.js';

/** How often at most a touch is reported: the host's idle timeout is minutes, a few seconds' slack is nothing. */
const REPORT_EVERY_MS = 5_000;

/**
 * Reports the citizen's touches to the host, whose idle timer is the authority, so a session in use never
 * times out under someone still working; a tap anywhere while the countdown shows counts as 继续办理.
 * Returns the function that stops listening.
 */
export function reportActivity(): () => void {
  const session = useSessionStore();
  let lastReport = 0;
  const inSession = () => session.view !== null || session.identity !== null;
  const report = (): void => {
    lastReport = Date.now();
    void kiosk().sessionTouch({});
  };
  const onTouch = (): void => {
    if (inSession() && Date.now() - lastReport >= REPORT_EVERY_MS) report();
  };
  // On click, not on pointerdown: taking the banner away under a finger going down would swallow the
  // tap meant for its own 继续办理 button.
  const onTap = (): void => {
    if (!inSession() || session.idleSecondsLeft === null) return;
    session.idleSecondsLeft = null;
    report();
  };
  const options = { capture: true, passive: true } as const;
  window.addEventListener('pointerdown', onTouch, options);
  window.addEventListener('keydown', onTouch, options);
  window.addEventListener('click', onTap, options);
  return () => {
    window.removeEventListener('pointerdown', onTouch, options);
    window.removeEventListener('keydown', onTouch, options);
    window.removeEventListener('click', onTap, options);
  };
}
