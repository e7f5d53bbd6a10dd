import { kiosk } from '../bridge/client.js';
import { useFinishConfirmationStore } from '../stores/finish-confirmation.js';
import { useSessionStore } from '../stores/session.js';
import { wipeUi } from './use-host-events.js';
import { speak } from './use-voice.js';

const FINISH_QUESTION = '确定要结束办理吗？结束后，您在本机的信息将全部清除。如需接着办理，请点继续办理';

/**
 * 结束办理. With nobody's data on the kiosk it just goes home (the next person starts in the standard
 * modes). Mid-flow it asks once (TheFinishConfirmation, 继续办理 the default) and remembers where the
 * screen was scrolled to, so 继续办理 puts the citizen back exactly there.
 */
export function askToFinish(scroller: HTMLElement | null): void {
  const confirmation = useFinishConfirmationStore();
  if (confirmation.asking) return;
  const session = useSessionStore();
  if (session.view === null && session.identity === null) {
    wipeUi();
    return;
  }
  confirmation.scrollTop = scroller?.scrollTop ?? 0;
  confirmation.asking = true;
  speak(FINISH_QUESTION);
}

/** 结束并清除信息: the host wipes its side and tells every window; wipe here too in case the bridge is down. */
export async function endSession(): Promise<void> {
  await kiosk().sessionEnd({ reason: 'cancelled' });
  wipeUi();
}
