import type { KioskHelpCall } from '../../../contract/help-call.js';
import { kiosk } from '../bridge/client.js';
import { helpCallOpen, useHelpStore } from '../stores/help.js';
import { useScreenStore } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';
import { speak } from './use-voice.js';

/** How long 工作人员已处理 stays on screen after staff closed the call, ms. */
const CLOSED_NOTICE_MS = 8_000;
let closedTimer: ReturnType<typeof setTimeout> | null = null;

/** What the citizen hears when the call changes (the banner shows the same words). */
function announce(previous: KioskHelpCall | null, next: KioskHelpCall | null): void {
  if (!next) return;
  if (!next.delivered && (previous === null || previous.delivered)) speak('暂时联系不上工作人员，请到服务窗口找工作人员');
  else if (next.state === 'new' && next.delivered && (previous === null || !previous.delivered)) speak('已呼叫工作人员，工作人员马上到，请在此稍候');
  else if (next.state === 'accepted' && previous?.state !== 'accepted') speak('工作人员已接到呼叫，正在赶来，请在此稍候');
  else if (next.state === 'closed' && previous?.state !== 'closed') speak('工作人员已处理您的呼叫');
}

/** Takes the host's news of the call into the store (event `help:call-changed`, `help:get`, `help:call`). */
export function showHelpCall(next: KioskHelpCall | null): void {
  const help = useHelpStore();
  const previous = help.call;
  if (closedTimer) clearTimeout(closedTimer);
  closedTimer = null;
  help.call = next;
  announce(previous, next);
  // While help is on the way no countdown shows: the host holds the idle timer.
  if (next && (next.state === 'new' || next.state === 'accepted')) useSessionStore().idleSecondsLeft = null;
  if (next?.state === 'closed' || next?.state === 'cancelled') {
    closedTimer = setTimeout(() => {
      if (useHelpStore().call?.id === next.id) useHelpStore().call = null;
    }, CLOSED_NOTICE_MS);
  }
}

/** 呼叫工作人员: one tap files the call for the screen on display. */
export async function requestHelp(): Promise<void> {
  const help = useHelpStore();
  if (help.calling || helpCallOpen()) return;
  help.calling = true;
  try {
    const result = await kiosk().helpCall({ screen: useScreenStore().name });
    if (result.ok) showHelpCall(result.value);
    else speak('暂时无法呼叫，请到服务窗口找工作人员');
  } finally {
    help.calling = false;
  }
}

/** 取消呼叫. */
export async function cancelHelp(): Promise<void> {
  const result = await kiosk().helpCancel({});
  if (result.ok) showHelpCall(null);
}

/** Connects the host's help-call event and reads the open call (a window that loads late still shows it). */
export async function connectHelpCalls(): Promise<void> {
  const api = kiosk();
  api.on('help:call-changed', (call) => showHelpCall(call));
  const current = await api.helpGet({});
  if (current.ok) showHelpCall(current.value);
}
