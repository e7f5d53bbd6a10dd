import type { CentralStore } from '../store/store.js';
import type { StaffIdentity } from './hub.js';

/**
 * Whether a staff member may start video on a help call: the call exists, was filed by that terminal,
 * and has been accepted (a staff member is on it) — never a new, closed or cancelled one. Answers null
 * when yes, else the reason in plain Chinese for the console (issue 12: video starts from a help call).
 */
export function helpCallGate(store: CentralStore): (callId: string, terminalId: string, staff: StaffIdentity) => Promise<string | null> {
  return async (callId, terminalId) => {
    const call = await store.helpCalls.find(callId);
    if (!call || call.terminalId !== terminalId) return '没有找到这次求助，请刷新列表后重试';
    if (call.state === 'new') return '请先接单，再开始视频';
    if (call.state !== 'accepted') return '这次求助已经结束，不能再开始视频';
    return null;
  };
}
