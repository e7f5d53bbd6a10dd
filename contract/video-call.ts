import { z } from 'zod';
import { RecordingNotice } from './video-recording.js';

/**
 * 远程视频帮办 (issue 12): the signalling messages of a video call between a kiosk and a staff member's
 * console, relayed by central over WebSocket, and the call's state machine. WebRTC itself (RFC 8825,
 * JSEP RFC 8829) runs browser to browser; central only passes session descriptions, ICE candidates
 * (RFC 8839 trickle), the citizen's consent, the kiosk's structured screen state and the staff member's
 * highlight, and ends the call when either side hangs up or goes away. Every message that crosses a
 * boundary is parsed with these schemas, each bounded, so no peer can make another hold more than
 * `VIDEO_SIGNAL_MAX_BYTES` per message.
 */

/** The largest signalling message either side may send, bytes of JSON (the WebSocket's `maxPayload`). */
export const VIDEO_SIGNAL_MAX_BYTES = 64 * 1024;
/** An SDP offer or answer with one audio and one video section is 3–8 KB in Chromium; room for more codecs. */
export const VIDEO_SDP_MAX_CHARS = 48_000;

/** Paths of the two signalling sockets at central: the kiosk's (signed as the terminal) and the console's (signed in). */
export const VIDEO_SIGNAL_PATHS = {
  terminal: '/v1/video/signal',
  console: '/console/api/video/signal',
} as const;

/**
 * The WebSocket subprotocol of the signalling socket. A browser cannot set an Authorization header on a
 * WebSocket, so the console offers its sign-in token as a second subprotocol `bearer.<token>` (never in
 * the URL, which proxies log); central answers with this one only.
 */
export const VIDEO_SIGNAL_PROTOCOL = 'taian-video-1';

/**
 * The help call a video call belongs to (its id in the help-call queue): one video call per help call.
 * Opaque here: letters, digits, `-` and `_`.
 */
export const VideoCallId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** A terminal's id as registered at central. */
const TerminalId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

/** A stable id of a control on a kiosk screen: its `data-help-id` or `data-test` attribute. */
export const HelpControlId = z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/);

/**
 * One STUN or TURN server as `RTCIceServer` (W3C WebRTC §4.2.1): `stun:`, `turn:` or `turns:` URLs, with
 * the TURN credential central minted for this call (coturn's REST API scheme, `use-auth-secret`).
 */
export const IceServer = z
  .object({
    urls: z.array(z.string().regex(/^(stun|turns?):[^\s]{1,200}$/)).min(1).max(4),
    username: z.string().max(128).optional(),
    credential: z.string().max(128).optional(),
  })
  .strict();
export type IceServer = z.infer<typeof IceServer>;

/** `RTCSessionDescriptionInit` of an offer or answer (JSEP RFC 8829). */
export const SessionDescription = z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(VIDEO_SDP_MAX_CHARS) }).strict();
export type SessionDescription = z.infer<typeof SessionDescription>;

/** `RTCIceCandidateInit` (RFC 8839 a=candidate line, without the `a=`); `candidate: ''` ends the candidates. */
export const IceCandidate = z
  .object({
    candidate: z.string().max(1000),
    sdpMid: z.string().max(32).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(16).nullable().optional(),
    usernameFragment: z.string().max(256).nullable().optional(),
  })
  .strict();
export type IceCandidate = z.infer<typeof IceCandidate>;

/**
 * What the kiosk shows now, as structure, never as a picture: the screen, the service and step, which
 * fields are filled and — only when the citizen allowed it (`valuesShared`) — their values, and the
 * controls staff may point at. No field value travels unless the citizen tapped 允许查看填写内容.
 */
export const ScreenState = z
  .object({
    /** The screen's name (renderer/src/stores/screen.ts), e.g. `form`. */
    screen: z.string().min(1).max(40),
    /** The screen's heading as shown. */
    title: z.string().max(80),
    /** The service being applied for, or null outside a service. */
    service: z.object({ id: z.string().max(100), name: z.string().max(100) }).strict().nullable(),
    /** The step of the application (1-based) and its label, or null outside the flow. */
    step: z.object({ index: z.number().int().min(1).max(20), total: z.number().int().min(1).max(20), label: z.string().max(20) }).strict().nullable(),
    /** The form's fields on this screen: label, filled or not, and the value only when shared. */
    fields: z
      .array(z.object({ id: z.string().max(80), label: z.string().max(60), filled: z.boolean(), value: z.string().max(200).optional() }).strict())
      .max(80),
    /** The controls on screen staff may highlight, by stable id, with their visible label. */
    controls: z.array(z.object({ id: HelpControlId, label: z.string().max(60) }).strict()).max(120),
    /** The citizen allowed staff to see what they typed. */
    valuesShared: z.boolean(),
  })
  .strict();
export type ScreenState = z.infer<typeof ScreenState>;

/** Why a call ended, as both sides are told. */
export const VideoEndReason = z.enum(['hang-up', 'refused', 'disconnected', 'kiosk-offline', 'replaced', 'failed']);
export type VideoEndReason = z.infer<typeof VideoEndReason>;

const withCall = <Type extends string, Shape extends z.ZodRawShape>(type: Type, shape: Shape) => z.object({ type: z.literal(type), callId: VideoCallId, ...shape }).strict();

/** Messages both sides send (each names the call it belongs to). */
const description = withCall('description', { description: SessionDescription });
const candidate = withCall('candidate', { candidate: IceCandidate });
const hangUp = withCall('hang-up', {});

/** What a staff console sends to central. */
export const StaffSignal = z.discriminatedUnion('type', [
  /** Ask the kiosk of `terminalId` for a video call on help call `callId`; the citizen is asked to consent. */
  withCall('start', { terminalId: TerminalId }),
  description,
  candidate,
  hangUp,
  /** Point at a control on the kiosk's screen (null: take the ring away). */
  withCall('highlight', { controlId: HelpControlId.nullable() }),
]);
export type StaffSignal = z.infer<typeof StaffSignal>;

/** What a kiosk sends to central. */
export const KioskSignal = z.discriminatedUnion('type', [
  /** The citizen's answer to 工作人员请求视频帮助您，是否同意？; `accepted: false` ends the call. */
  withCall('consent', { accepted: z.boolean() }),
  description,
  candidate,
  hangUp,
  withCall('screen-state', { state: ScreenState }),
]);
export type KioskSignal = z.infer<typeof KioskSignal>;

/** What central sends to either side. */
export const CentralSignal = z.discriminatedUnion('type', [
  /** On connecting: the STUN/TURN servers to use (TURN credentials minted for this connection). */
  z.object({ type: z.literal('ready'), iceServers: z.array(IceServer).max(8) }).strict(),
  /** To the kiosk: a staff member asks for a video call; the servers to use for it. */
  withCall('start', {
    staffName: z.string().max(40),
    staffNumber: z.string().max(20),
    iceServers: z.array(IceServer).max(8),
    /** The hall records video calls (its configuration): the consent screen says so, what for and how long. Absent: not recorded. */
    recording: RecordingNotice.nullable().optional(),
  }),
  /** To the console: the citizen's answer; `recording` when the citizen agreed to a recorded call (the console records it). */
  withCall('consent', { accepted: z.boolean(), recording: RecordingNotice.nullable().optional(), recordingId: z.uuid().optional() }),
  description,
  candidate,
  withCall('screen-state', { state: ScreenState }),
  withCall('highlight', { controlId: HelpControlId.nullable() }),
  withCall('ended', { reason: VideoEndReason }),
  /** A message was refused; `message` is plain Chinese for the staff member (the kiosk logs it). */
  z.object({ type: z.literal('error'), callId: VideoCallId.nullable(), code: z.string().max(40), message: z.string().max(200) }).strict(),
]);
export type CentralSignal = z.infer<typeof CentralSignal>;

/**
 * Parses one signalling frame (text) with `schema`: the parsed message, or why it was refused. Never
 * throws: a peer's bad frame is answered, never the end of the process.
 */
export function parseSignal<Schema extends z.ZodType>(schema: Schema, text: string): { ok: true; message: z.output<Schema> } | { ok: false; reason: 'too-large' | 'not-json' | 'not-a-signal' } {
  if (text.length > VIDEO_SIGNAL_MAX_BYTES) return { ok: false, reason: 'too-large' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, reason: 'not-a-signal' };
}

/**
 * A video call as either side sees it. `asking`: the citizen is being asked; `connecting`: consented,
 * media and ICE under way; `connected`: media flows; `ended` with its reason. Nothing leaves `ended`
 * but a new `start` (a new call).
 */
export type VideoCallState =
  | { phase: 'idle' }
  | { phase: 'asking'; callId: string }
  | { phase: 'connecting'; callId: string }
  | { phase: 'connected'; callId: string }
  | { phase: 'ended'; callId: string; reason: VideoEndReason };

/** What happens to a call. `media-connected` is the peer connection reaching `connected`. */
export type VideoCallEvent =
  | { type: 'start'; callId: string }
  | { type: 'consent'; callId: string; accepted: boolean }
  | { type: 'media-connected'; callId: string }
  | { type: 'ended'; callId: string; reason: VideoEndReason };

/**
 * The call's state machine, pure: the next state, or the same state when the event does not apply (an
 * event of another call, a consent twice, a start while a call runs). A start while a call is under
 * way is refused here: one call at a time per kiosk and per console view.
 */
export function nextVideoCallState(state: VideoCallState, event: VideoCallEvent): VideoCallState {
  const active = state.phase === 'asking' || state.phase === 'connecting' || state.phase === 'connected';
  switch (event.type) {
    case 'start':
      return active ? state : { phase: 'asking', callId: event.callId };
    case 'consent':
      if (state.phase !== 'asking' || state.callId !== event.callId) return state;
      return event.accepted ? { phase: 'connecting', callId: event.callId } : { phase: 'ended', callId: event.callId, reason: 'refused' };
    case 'media-connected':
      return state.phase === 'connecting' && state.callId === event.callId ? { phase: 'connected', callId: event.callId } : state;
    case 'ended':
      return active && state.callId === event.callId ? { phase: 'ended', callId: event.callId, reason: event.reason } : state;
    default:
      return missingVideoEvent(event);
  }
}

function missingVideoEvent(event: never): never {
  throw new Error(`unhandled video call event ${JSON.stringify(event)}`);
}

/** Plain Chinese for why a call ended, as the staff member reads it. */
export const VIDEO_END_WORDS: Record<VideoEndReason, string> = {
  'hang-up': '视频已结束',
  refused: '市民不同意视频，请到现场帮助',
  disconnected: '对方网络断开，视频已结束',
  'kiosk-offline': '该终端现在没有连接到中心，无法视频',
  replaced: '该终端已开始另一路视频',
  failed: '视频连接失败，请到现场帮助',
};
