import { shallowRef, ref } from 'vue';
import {
  CentralSignal,
  nextVideoCallState,
  parseSignal,
  VIDEO_END_WORDS,
  VIDEO_SIGNAL_PATHS,
  VIDEO_SIGNAL_PROTOCOL,
  type IceServer,
  type ScreenState,
  type StaffSignal,
  type VideoCallEvent,
  type VideoCallState,
  type VideoEndReason,
} from '../../../../contract/video-call.js';
import { bearerToken } from '../../api.js';
import { recordCall, type CallRecording } from './call-recorder.js';
import type { RecordingNotice } from '../../../../contract/video-recording.js';

/**
 * The staff member's end of one 远程视频帮办 call (issue 12): a WebSocket to central's signalling (the
 * sign-in token offered as subprotocol `bearer.<token>`), `start` on the help call, and — once the
 * citizen agreed — camera and microphone, the offer, trickled ICE, the kiosk's screen state and the
 * highlight. Every message from central is parsed; `hangUp` and `dispose` stop every track and close the
 * connection and the socket.
 */
export function useStaffVideoCall(call: { callId: string; terminalId: string }) {
  /** The call's phase (contract/video-call.ts state machine). */
  const state = ref<VideoCallState>({ phase: 'idle' });
  /** What to tell the staff member now (plain Chinese), or null. */
  const notice = ref<string | null>(null);
  /** The kiosk's screen as structure, latest first received. */
  const screen = ref<ScreenState | null>(null);
  /** The control pointed at now, or null. */
  const highlighted = ref<string | null>(null);
  const localStream = shallowRef<MediaStream | null>(null);
  const remoteStream = shallowRef<MediaStream | null>(null);
  /** The hall records this call and the citizen agreed knowing it (central's `consent`): what for, how long kept. */
  const recordingNotice = ref<RecordingNotice | null>(null);
  /** Central's id of this call's recording (told with the consent), where chunks go. */
  let recordingId: string | null = null;
  /** Whether the recorder runs now. */
  const recordingActive = ref(false);
  let recorder: CallRecording | null = null;
  /** The last recording's upload (the call view waits for it; tests too). */
  let recordingDone: Promise<void> = Promise.resolve();

  let socket: WebSocket | null = null;
  let peer: RTCPeerConnection | null = null;
  let iceServers: IceServer[] = [];
  let earlyCandidates: RTCIceCandidateInit[] = [];

  const move = (event: VideoCallEvent) => {
    state.value = nextVideoCallState(state.value, event);
  };
  const send = (message: StaffSignal) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  function releaseMedia(): void {
    for (const track of localStream.value?.getTracks() ?? []) track.stop();
    for (const track of remoteStream.value?.getTracks() ?? []) track.stop();
    for (const sender of peer?.getSenders() ?? []) sender.track?.stop();
    for (const receiver of peer?.getReceivers() ?? []) receiver.track.stop();
    peer?.close();
    peer = null;
    earlyCandidates = [];
    heldCandidates = [];
    offer = Promise.resolve(null);
    localStream.value = null;
    remoteStream.value = null;
    highlighted.value = null;
  }

  /** Stops the recorder (before the tracks are released, so its last chunk is whole) and sends what is left. */
  function stopRecording(): void {
    const running = recorder;
    recorder = null;
    recordingActive.value = false;
    if (running) recordingDone = running.stop();
  }

  function ended(reason: VideoEndReason): void {
    move({ type: 'ended', callId: call.callId, reason });
    stopRecording();
    releaseMedia();
    notice.value = VIDEO_END_WORDS[reason];
  }

  /** Candidates gathered before the citizen agreed: central passes nothing of the call before consent. */
  let heldCandidates: StaffSignal[] = [];
  /** The offer, made while the citizen is asked (camera start and ICE gathering overlap the question). */
  let offer: Promise<RTCSessionDescriptionInit | null> = Promise.resolve(null);

  /** Opens this console's camera and microphone and makes the offer, to send the moment the citizen agrees. */
  function prepare(): void {
    const connection = new RTCPeerConnection({ iceServers });
    peer = connection;
    connection.ontrack = (event) => {
      remoteStream.value = event.streams[0] ?? new MediaStream([event.track]);
    };
    connection.onicecandidate = (event) => {
      const found = event.candidate;
      if (!found) return;
      const message: StaffSignal = { type: 'candidate', callId: call.callId, candidate: { candidate: found.candidate, sdpMid: found.sdpMid, sdpMLineIndex: found.sdpMLineIndex, usernameFragment: found.usernameFragment } };
      if (state.value.phase === 'asking') heldCandidates.push(message);
      else send(message);
    };
    connection.onconnectionstatechange = () => {
      if (peer !== connection) return;
      if (connection.connectionState === 'connected') {
        move({ type: 'media-connected', callId: call.callId });
        notice.value = null;
        // Only a call the citizen agreed to knowing it is recorded (central said so with the consent).
        const stream = remoteStream.value;
        if (recordingNotice.value && recordingId && stream && !recorder) {
          recorder = recordCall(stream, recordingId, (problem) => (notice.value = problem));
          recordingActive.value = true;
        }
      }
      if (connection.connectionState === 'failed') {
        send({ type: 'hang-up', callId: call.callId });
        ended('failed');
      }
    };
    offer = (async () => {
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      } catch {
        if (peer !== connection) return null;
        send({ type: 'hang-up', callId: call.callId });
        ended('failed');
        notice.value = '本机的摄像头或麦克风无法打开，请检查设备后重试，或到现场帮助';
        return null;
      }
      if (peer !== connection) {
        for (const track of stream.getTracks()) track.stop();
        return null;
      }
      localStream.value = stream;
      for (const track of stream.getTracks()) connection.addTrack(track, stream);
      const description = await connection.createOffer();
      await connection.setLocalDescription(description);
      return description;
    })();
  }

  /** The citizen agreed: the offer goes out, then the candidates held back. */
  async function consented(): Promise<void> {
    const connection = peer;
    const description = await offer;
    if (!description || peer !== connection) return;
    send({ type: 'description', callId: call.callId, description: { type: 'offer', sdp: description.sdp ?? '' } });
    for (const message of heldCandidates) send(message);
    heldCandidates = [];
  }

  async function onMessage(message: CentralSignal): Promise<void> {
    switch (message.type) {
      case 'ready':
        iceServers = message.iceServers;
        move({ type: 'start', callId: call.callId });
        notice.value = '正在请求市民同意视频…';
        send({ type: 'start', callId: call.callId, terminalId: call.terminalId });
        prepare();
        return;
      case 'consent':
        if (message.callId !== call.callId) return;
        move({ type: 'consent', callId: call.callId, accepted: message.accepted });
        recordingId = message.accepted && message.recording ? (message.recordingId ?? null) : null;
        recordingNotice.value = recordingId ? (message.recording ?? null) : null;
        if (message.accepted) {
          notice.value = '市民已同意，正在连接视频…';
          await consented();
        } else ended('refused');
        return;
      case 'description':
        if (!peer || message.callId !== call.callId || message.description.type !== 'answer') return;
        await peer.setRemoteDescription(message.description);
        for (const candidate of earlyCandidates) await peer.addIceCandidate(candidate).catch(() => undefined);
        earlyCandidates = [];
        return;
      case 'candidate': {
        if (!peer || message.callId !== call.callId) return;
        const candidate: RTCIceCandidateInit = { candidate: message.candidate.candidate, sdpMid: message.candidate.sdpMid ?? null, sdpMLineIndex: message.candidate.sdpMLineIndex ?? null };
        if (!peer.remoteDescription) earlyCandidates.push(candidate);
        else await peer.addIceCandidate(candidate).catch(() => undefined);
        return;
      }
      case 'screen-state':
        if (message.callId === call.callId) screen.value = message.state;
        return;
      case 'ended':
        if (message.callId === call.callId) ended(message.reason);
        return;
      case 'error':
        // A refused start (not accepted yet, kiosk busy) leaves no call behind.
        if (message.callId === call.callId && state.value.phase === 'asking') ended('failed');
        notice.value = message.message;
        return;
      case 'start':
      case 'highlight':
        return;
      default:
        return missingSignal(message);
    }
  }

  /** Opens the socket and asks the kiosk; the citizen is asked to consent. */
  function start(): void {
    const token = bearerToken();
    if (!token) {
      notice.value = '登录已失效，请重新登录';
      return;
    }
    const url = new URL(VIDEO_SIGNAL_PATHS.console, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, [VIDEO_SIGNAL_PROTOCOL, `bearer.${token}`]);
    socket = ws;
    notice.value = '正在连接中心…';
    ws.onmessage = (event) => {
      const parsed = parseSignal(CentralSignal, String(event.data));
      if (!parsed.ok) return;
      onMessage(parsed.message).catch(() => {
        send({ type: 'hang-up', callId: call.callId });
        ended('failed');
      });
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (state.value.phase === 'idle') notice.value = '连不上中心服务，请检查网络后重试';
      else if (state.value.phase !== 'ended') ended('disconnected');
    };
  }

  /** Points at a control on the kiosk's screen (null: takes the ring away). */
  function highlight(controlId: string | null): void {
    highlighted.value = controlId;
    send({ type: 'highlight', callId: call.callId, controlId });
  }

  /** 挂断: ends the call for both sides and releases camera and microphone. */
  function hangUp(): void {
    if (state.value.phase === 'asking' || state.value.phase === 'connecting' || state.value.phase === 'connected') {
      send({ type: 'hang-up', callId: call.callId });
      ended('hang-up');
    }
  }

  /** Leaving the call view: hangs up, closes the socket. */
  function dispose(): void {
    hangUp();
    releaseMedia();
    const ws = socket;
    socket = null;
    ws?.close();
  }

  /** Resolves when the last recording's chunks are all sent (at once when nothing was recorded). */
  const recordingUploaded = () => recordingDone;

  return { state, notice, screen, highlighted, localStream, remoteStream, start, highlight, hangUp, dispose, recordingNotice, recordingActive, recordingUploaded };
}

function missingSignal(message: never): never {
  throw new Error(`unhandled video signal ${JSON.stringify(message)}`);
}
