import { watch } from 'vue';
import { nextVideoCallState, type CentralSignal, type IceServer, type KioskSignal, type VideoCallEvent, type VideoEndReason } from '../../../contract/video-call.js';
import { kiosk } from '../bridge/client.js';
import { useApplicationStore } from '../stores/application.js';
import { useCatalogStore } from '../stores/catalog.js';
import { useScreenStore } from '../stores/screen.js';
import { useSessionStore } from '../stores/session.js';
import { useVideoCallStore } from '../stores/video-call.js';
import { STEP_LABELS, useApplicationFlow } from './use-application-flow.js';
import { buildScreenState } from './screen-state.js';
import { speak } from './use-voice.js';

/**
 * 远程视频帮办 on the kiosk (issue 12). A staff member's `start` arrives from central through the host;
 * the citizen is asked first (工作人员请求视频帮助您，是否同意？). 不同意 answers and never touches the
 * camera. 同意 opens camera and microphone, then answers; the staff member's browser makes the offer,
 * this one answers (JSEP, RFC 8829), ICE candidates trickle both ways through central. While the call
 * runs the kiosk sends its screen as structure (screen-state.ts) when it changes, and shows a ring on
 * the control staff point at. However the call ends — 结束视频, staff hang up, either side's network,
 * the session's end — every local and remote track is stopped and the peer connection closed.
 */

let peer: RTCPeerConnection | null = null;
/** The kiosk's camera and microphone opening (after consent), or null when they could not open. */
let media: Promise<MediaStream | null> = Promise.resolve(null);
let iceServers: IceServer[] = [];
/** Candidates that arrived before the offer (trickle ICE may overtake it). */
let earlyCandidates: RTCIceCandidateInit[] = [];
let stopPublishing: (() => void) | null = null;
let noticeTimer: ReturnType<typeof setTimeout> | null = null;

/** How long 视频已结束 stays on screen, ms. */
const NOTICE_MS = 5_000;
/** The screen state is looked at this often while connected (the DOM changes without a store change: panels, scrolling). */
const PUBLISH_EVERY_MS = 1_000;

const END_NOTICES: Record<VideoEndReason, string> = {
  'hang-up': '视频已结束。如还需要帮助，请再点“呼叫工作人员”。',
  refused: '您没有同意视频，摄像头没有打开。工作人员会到现场帮助您。',
  disconnected: '网络中断，视频已结束。工作人员会到现场帮助您。',
  'kiosk-offline': '网络中断，视频已结束。工作人员会到现场帮助您。',
  replaced: '视频已结束。',
  failed: '视频没有连通，已结束。工作人员会到现场帮助您。',
};

function send(message: KioskSignal): void {
  void kiosk()
    .videoSend(message)
    .catch(() => undefined);
}

function transition(event: VideoCallEvent): void {
  const store = useVideoCallStore();
  store.state = nextVideoCallState(store.state, event);
}

/** Stops every track, closes the connection, forgets the streams and the ring; shows why it ended. */
function teardown(reason: VideoEndReason): void {
  const store = useVideoCallStore();
  stopPublishing?.();
  stopPublishing = null;
  for (const track of store.localStream?.getTracks() ?? []) track.stop();
  for (const track of store.remoteStream?.getTracks() ?? []) track.stop();
  for (const sender of peer?.getSenders() ?? []) sender.track?.stop();
  for (const receiver of peer?.getReceivers() ?? []) receiver.track.stop();
  peer?.close();
  peer = null;
  media = Promise.resolve(null);
  earlyCandidates = [];
  store.localStream = null;
  store.remoteStream = null;
  store.highlightId = null;
  store.valuesShared = false;
  store.staff = null;
  store.recording = null;
  store.notice = END_NOTICES[reason];
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    store.notice = null;
    if (store.state.phase === 'ended') store.state = { phase: 'idle' };
  }, NOTICE_MS);
}

function callId(): string | null {
  const state = useVideoCallStore().state;
  return state.phase === 'idle' ? null : state.callId;
}

/**
 * The citizen's answer. Refusing never opens the camera. Consenting opens camera and microphone and, at
 * the same time, tells staff (whose offer is then on its way): the camera's start-up and the round trip
 * overlap, and the answer waits for the tracks. A camera that cannot open ends the call.
 */
export async function answerVideoRequest(accepted: boolean): Promise<void> {
  const store = useVideoCallStore();
  const id = callId();
  if (!id || store.state.phase !== 'asking') return;
  if (!accepted) {
    send({ type: 'consent', callId: id, accepted: false });
    transition({ type: 'consent', callId: id, accepted: false });
    teardown('refused');
    return;
  }
  const connection = new RTCPeerConnection({ iceServers });
  peer = connection;
  media = navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(
    (stream) => {
      // Ended while the camera opened (staff hung up, 结束视频): release it at once.
      if (peer !== connection) {
        for (const track of stream.getTracks()) track.stop();
        return null;
      }
      store.localStream = stream;
      return stream;
    },
    () => {
      if (peer !== connection) return null;
      send({ type: 'hang-up', callId: id });
      transition({ type: 'ended', callId: id, reason: 'failed' });
      teardown('failed');
      return null;
    },
  );
  connection.ontrack = (event) => {
    store.remoteStream = event.streams[0] ?? new MediaStream([event.track]);
  };
  connection.onicecandidate = (event) => {
    const found = event.candidate;
    if (found) send({ type: 'candidate', callId: id, candidate: { candidate: found.candidate, sdpMid: found.sdpMid, sdpMLineIndex: found.sdpMLineIndex, usernameFragment: found.usernameFragment } });
  };
  connection.onconnectionstatechange = () => {
    if (peer !== connection) return;
    if (connection.connectionState === 'connected') {
      transition({ type: 'media-connected', callId: id });
      speak('视频已接通。不需要时，请点“结束视频”。');
    }
    if (connection.connectionState === 'failed') {
      send({ type: 'hang-up', callId: id });
      transition({ type: 'ended', callId: id, reason: 'failed' });
      teardown('failed');
    }
  };
  transition({ type: 'consent', callId: id, accepted: true });
  send({ type: 'consent', callId: id, accepted: true });
  stopPublishing = publishScreenState(id);
  await media;
}

/** 结束视频: the citizen ends the call. */
export function endVideoCall(): void {
  const id = callId();
  const phase = useVideoCallStore().state.phase;
  if (!id || phase === 'ended' || phase === 'idle') return;
  send({ type: 'hang-up', callId: id });
  transition({ type: 'ended', callId: id, reason: 'hang-up' });
  teardown('hang-up');
}

async function onSignal(message: CentralSignal): Promise<void> {
  const store = useVideoCallStore();
  switch (message.type) {
    case 'ready':
    case 'error':
    case 'consent':
    case 'screen-state':
      return;
    case 'start': {
      const before = store.state;
      transition({ type: 'start', callId: message.callId });
      if (store.state === before) return;
      if (noticeTimer) clearTimeout(noticeTimer);
      store.notice = null;
      iceServers = message.iceServers;
      store.staff = { name: message.staffName, number: message.staffNumber };
      store.recording = message.recording ?? null;
      speak('工作人员请求视频帮助您，是否同意？');
      return;
    }
    case 'description': {
      const connection = peer;
      if (!connection || message.callId !== callId() || message.description.type !== 'offer') return;
      await connection.setRemoteDescription(message.description);
      for (const candidate of earlyCandidates) await connection.addIceCandidate(candidate).catch(() => undefined);
      earlyCandidates = [];
      // The tracks join the offer's transceivers (same kinds), so one answer carries both directions.
      const stream = await media;
      if (!stream || peer !== connection) return;
      for (const track of stream.getTracks()) connection.addTrack(track, stream);
      const answer = await connection.createAnswer();
      await connection.setLocalDescription(answer);
      send({ type: 'description', callId: message.callId, description: { type: 'answer', sdp: answer.sdp ?? '' } });
      return;
    }
    case 'candidate': {
      if (!peer || message.callId !== callId()) return;
      const candidate: RTCIceCandidateInit = { candidate: message.candidate.candidate, sdpMid: message.candidate.sdpMid ?? null, sdpMLineIndex: message.candidate.sdpMLineIndex ?? null };
      if (!peer.remoteDescription) earlyCandidates.push(candidate);
      else await peer.addIceCandidate(candidate).catch(() => undefined);
      return;
    }
    case 'highlight':
      if (message.callId === callId() && store.state.phase !== 'asking') store.highlightId = message.controlId;
      return;
    case 'ended': {
      if (message.callId !== callId()) return;
      const phase = store.state.phase;
      transition({ type: 'ended', callId: message.callId, reason: message.reason });
      if (phase !== 'ended' && phase !== 'idle') teardown(message.reason);
      return;
    }
    default:
      return missingSignal(message);
  }
}

function missingSignal(message: never): never {
  throw new Error(`unhandled video signal ${JSON.stringify(message)}`);
}

/** Sends the screen state now and whenever it changes, until stopped. */
function publishScreenState(id: string): () => void {
  const screen = useScreenStore();
  const catalog = useCatalogStore();
  const application = useApplicationStore();
  const session = useSessionStore();
  const store = useVideoCallStore();
  const { steps, fields } = useApplicationFlow();
  let last = '';
  const publish = () => {
    if (callId() !== id) return;
    const root = document.querySelector('.shell') ?? document.body;
    const title = document.querySelector('main.screen h1')?.textContent ?? '';
    const state = buildScreenState(
      {
        screen: screen.name,
        service: catalog.current,
        steps: { names: steps.value, labels: STEP_LABELS },
        fields: fields.value.map((field) => ({ id: field.id, label: field.label })),
        form: application.form,
        valuesShared: store.valuesShared,
        personal: session.identity ? [session.identity.name, session.identity.idNumber] : [],
      },
      root,
      title,
    );
    const text = JSON.stringify(state);
    if (text === last) return;
    last = text;
    send({ type: 'screen-state', callId: id, state });
  };
  publish();
  const timer = setInterval(publish, PUBLISH_EVERY_MS);
  const stopWatch = watch([() => screen.name, () => store.valuesShared, () => application.form], () => setTimeout(publish, 50), { deep: true });
  return () => {
    clearInterval(timer);
    stopWatch();
  };
}

/** Connects the video call to the host's events; called once by the composition root. */
export function connectVideoCall(): void {
  kiosk().on('video:signal', (message) => {
    onSignal(message).catch(() => {
      const id = callId();
      if (!id) return;
      send({ type: 'hang-up', callId: id });
      transition({ type: 'ended', callId: id, reason: 'failed' });
      teardown('failed');
    });
  });
}
