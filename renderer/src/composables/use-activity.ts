import { kiosk } from '../bridge/client.js';
import { useSessionStore } from '../stores/session.js';

/** How often at most a tap is reported: the host's idle timeout is minutes, a few seconds' slack is nothing. */
const REPORT_EVERY_MS = 5_000;

/**
 * Reports the citizen's taps to the host, whose idle timer is the authority, so a session in use never
 * times out under someone still working; a tap while the countdown shows counts as 继续办理.
 * Returns the function that stops listening.
 */
export function reportActivity(): () => void {
  const session = useSessionStore();
  let lastReport = 0;
  const onActivity = (): void => {
    if (!session.view && !session.identity) return;
    const countingDown = session.idleSecondsLeft !== null;
    if (!countingDown && Date.now() - lastReport < REPORT_EVERY_MS) return;
    session.idleSecondsLeft = null;
    lastReport = Date.now();
    void kiosk().sessionTouch({});
  };
  window.addEventListener('pointerdown', onActivity, { capture: true, passive: true });
  window.addEventListener('keydown', onActivity, { capture: true, passive: true });
  return () => {
    window.removeEventListener('pointerdown', onActivity, { capture: true });
    window.removeEventListener('keydown', onActivity, { capture: true });
  };
}
