import type { CentralSignal, IceServer, KioskSignal, StaffSignal, VideoEndReason } from '../../contract/video-call.js';
import type { RecordingNotice } from '../../contract/video-recording.js';
import { randomUUID } from 'node:crypto';

/**
 * The relay of 远程视频帮办 inside one central process: which kiosks are connected, which video calls run,
 * and who may say what in each. Central never sees media, only signalling; it holds no call after either
 * side leaves. Rules (issue 12): one call per help call and one call per kiosk at a time; the kiosk
 * speaks first after a `start` (the citizen's consent); nothing but hang-up passes before consent; the
 * screen state goes only to the call's staff member and a highlight only to the call's kiosk.
 *
 * Several central processes (`workers` > 1) each hold their own hub: a kiosk and a console connected to
 * different processes are not joined (README "远程视频帮办" says how to deploy for that).
 */

/** One connected end: sends a message, or closes its socket. */
export interface SignalPeer {
  send(message: CentralSignal): void;
  close(code: number, reason: string): void;
}

/** A signed-in staff member at a console socket. */
export interface StaffIdentity {
  staffNumber: string;
  name: string;
}

export interface VideoHubOptions {
  /** The STUN/TURN servers for one connection (TURN credentials minted per call; see ice-servers.ts). */
  iceServers: () => IceServer[];
  /**
   * Whether `staff` may start video on help call `callId` at `terminalId`: null when yes, else the reason
   * in plain Chinese. The help-call queue answers (the call must be this terminal's and accepted).
   */
  mayStart?: (callId: string, terminalId: string, staff: StaffIdentity) => Promise<string | null>;
  /** Told of every call that starts and ends (audit, bench); no personal data. */
  observe?: (event: { type: 'started' | 'consented' | 'ended'; callId: string; terminalId: string; staffNumber: string; reason?: VideoEndReason }) => void;
  /**
   * Whether calls of this terminal are recorded (the hall's configuration, central/video/recording.ts): the
   * notice the kiosk shows before the citizen agrees, or null (never recorded). Default: never.
   */
  recordingFor?: (terminalId: string) => Promise<RecordingNotice | null>;
  /** The citizen agreed to a call they were told is recorded: central opens the recording (uploads need it). */
  onRecordedConsent?: (call: { recordingId: string; callId: string; terminalId: string; staffNumber: string; recording: RecordingNotice }) => Promise<void>;
}

interface Call {
  callId: string;
  terminalId: string;
  staff: SignalPeer;
  staffNumber: string;
  consented: boolean;
  /** What the kiosk was told in `start` (the hall records), or null. */
  recording: RecordingNotice | null;
}

export class VideoHub {
  private readonly terminals = new Map<string, SignalPeer>();
  private readonly calls = new Map<string, Call>();

  constructor(private readonly options: VideoHubOptions) {}

  /** Kiosks connected now (the console lists them). */
  connectedTerminals(): string[] {
    return [...this.terminals.keys()].sort();
  }

  /** Calls running now. */
  get callCount(): number {
    return this.calls.size;
  }

  /** A kiosk's socket opened. A second socket of the same terminal replaces the first (a restarted host). */
  attachTerminal(terminalId: string, peer: SignalPeer): void {
    const previous = this.terminals.get(terminalId);
    if (previous && previous !== peer) {
      this.detachTerminal(terminalId, previous);
      previous.close(4000, 'replaced');
    }
    this.terminals.set(terminalId, peer);
    peer.send({ type: 'ready', iceServers: this.options.iceServers() });
  }

  /** A console's socket opened. */
  attachStaff(peer: SignalPeer): void {
    peer.send({ type: 'ready', iceServers: this.options.iceServers() });
  }

  /** A kiosk's socket closed: its call ends for the staff member. */
  detachTerminal(terminalId: string, peer: SignalPeer): void {
    if (this.terminals.get(terminalId) !== peer) return;
    this.terminals.delete(terminalId);
    for (const call of [...this.calls.values()]) if (call.terminalId === terminalId) this.end(call, 'disconnected', 'kiosk');
  }

  /** A console's socket closed: its calls end for the kiosk. */
  detachStaff(peer: SignalPeer): void {
    for (const call of [...this.calls.values()]) if (call.staff === peer) this.end(call, 'disconnected', 'staff');
  }

  /** A parsed message from a console. */
  async fromStaff(staff: StaffIdentity, peer: SignalPeer, message: StaffSignal): Promise<void> {
    if (message.type === 'start') return this.start(staff, peer, message.callId, message.terminalId);
    const call = this.calls.get(message.callId);
    if (!call || call.staff !== peer) return refuse(peer, message.callId, 'no-such-call', '这路视频已经结束');
    const kiosk = this.terminals.get(call.terminalId);
    if (message.type === 'hang-up') return this.end(call, 'hang-up', 'staff');
    if (!call.consented) return refuse(peer, call.callId, 'no-consent', '市民还没有同意视频，请稍候');
    kiosk?.send(message);
  }

  /** A parsed message from a kiosk. */
  fromTerminal(terminalId: string, peer: SignalPeer, message: KioskSignal): void {
    const call = this.calls.get(message.callId);
    if (!call || call.terminalId !== terminalId || this.terminals.get(terminalId) !== peer) return refuse(peer, message.callId, 'no-such-call', '这路视频已经结束');
    switch (message.type) {
      case 'hang-up':
        return this.end(call, 'hang-up', 'kiosk');
      case 'consent':
        if (call.consented) return refuse(peer, call.callId, 'already-consented', '已经同意过了');
        if (!message.accepted) {
          call.staff.send(message);
          return this.end(call, 'refused', 'kiosk');
        }
        call.consented = true;
        if (call.recording) {
          // The recording is opened before the console hears of the consent: its first chunk finds it there.
          // A new id per video call: one help call may see several calls, each its own recording.
          const recording = call.recording;
          const recordingId = randomUUID();
          void (this.options.onRecordedConsent?.({ recordingId, callId: call.callId, terminalId, staffNumber: call.staffNumber, recording }) ?? Promise.resolve())
            .then(() => call.staff.send({ ...message, recording, recordingId }))
            // Not opened (the store failed): the console is told the call is not recorded, and records nothing.
            .catch(() => call.staff.send(message));
        } else call.staff.send(message);
        this.options.observe?.({ type: 'consented', callId: call.callId, terminalId, staffNumber: call.staffNumber });
        return;
      case 'description':
      case 'candidate':
      case 'screen-state':
        if (!call.consented) return refuse(peer, call.callId, 'no-consent', '市民还没有同意视频');
        return call.staff.send(message);
      default:
        return missingKioskSignal(message);
    }
  }

  /** Ends every call and forgets every peer (central closing). */
  closeAll(): void {
    for (const call of [...this.calls.values()]) this.end(call, 'disconnected', 'central');
    this.terminals.clear();
  }

  private async start(staff: StaffIdentity, peer: SignalPeer, callId: string, terminalId: string): Promise<void> {
    if (this.calls.has(callId)) return refuse(peer, callId, 'call-exists', '这次求助已经有一路视频了');
    if (!this.terminals.has(terminalId)) {
      peer.send({ type: 'ended', callId, reason: 'kiosk-offline' });
      return;
    }
    if ([...this.calls.values()].some((call) => call.terminalId === terminalId)) return refuse(peer, callId, 'terminal-busy', '该终端正在进行另一路视频');
    const problem = (await this.options.mayStart?.(callId, terminalId, staff)) ?? null;
    if (problem) return refuse(peer, callId, 'not-allowed', problem);
    const found = (await this.options.recordingFor?.(terminalId)) ?? null;
    const recording = found ? { retentionDays: found.retentionDays, purpose: found.purpose } : null;
    // The look-up above awaited: the kiosk may have gone, or another start may have won meanwhile.
    const kiosk = this.terminals.get(terminalId);
    if (!kiosk) return peer.send({ type: 'ended', callId, reason: 'kiosk-offline' });
    if (this.calls.has(callId) || [...this.calls.values()].some((call) => call.terminalId === terminalId)) return refuse(peer, callId, 'terminal-busy', '该终端正在进行另一路视频');
    this.calls.set(callId, { callId, terminalId, staff: peer, staffNumber: staff.staffNumber, consented: false, recording });
    this.options.observe?.({ type: 'started', callId, terminalId, staffNumber: staff.staffNumber });
    kiosk.send({ type: 'start', callId, staffName: staff.name, staffNumber: staff.staffNumber, iceServers: this.options.iceServers(), ...(recording ? { recording } : {}) });
  }

  /** Ends a call: both sides that did not end it are told why. */
  private end(call: Call, reason: VideoEndReason, by: 'kiosk' | 'staff' | 'central'): void {
    if (!this.calls.delete(call.callId)) return;
    const ended: CentralSignal = { type: 'ended', callId: call.callId, reason };
    if (by !== 'staff') call.staff.send(ended);
    if (by !== 'kiosk') this.terminals.get(call.terminalId)?.send(ended);
    this.options.observe?.({ type: 'ended', callId: call.callId, terminalId: call.terminalId, staffNumber: call.staffNumber, reason });
  }
}

function refuse(peer: SignalPeer, callId: string | null, code: string, message: string): void {
  peer.send({ type: 'error', callId, code, message });
}

function missingKioskSignal(message: never): never {
  throw new Error(`unhandled kiosk signal ${JSON.stringify(message)}`);
}
