import { WebSocket } from 'ws';
import { signRequest, type SigningKey } from '../../contract/central/signing.js';
import { CentralSignal, parseSignal, VIDEO_SIGNAL_MAX_BYTES, VIDEO_SIGNAL_PATHS, VIDEO_SIGNAL_PROTOCOL, type KioskSignal } from '../../contract/video-call.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { Logger } from './log.js';

/**
 * The kiosk's end of 远程视频帮办 signalling: one WebSocket to central's `/v1/video/signal`, its upgrade
 * signed as this terminal (the same scheme as every HTTP call; the renderer never holds the key). What
 * central sends is parsed and handed to the UI (`video:signal`); what the UI sends (`video:send`) goes
 * out on the socket. The media never passes here: the renderer's RTCPeerConnection talks to the staff
 * member's browser directly. The socket reconnects with capped, jittered backoff; a call running when it
 * drops is ended for the UI (`disconnected`), so the camera is released. Nothing of a screen state is
 * logged, only message types.
 */
export interface VideoSignallingOptions {
  /** Central's address now (remote configuration may move it). */
  baseUrl: () => string;
  key: SigningKey;
  /** Central's time as this kiosk knows it, ms (requests are signed with it). */
  centralNow: () => number;
  log: Logger;
  /** A parsed message from central for the UI. */
  onSignal: (message: CentralSignal) => void;
  /** Reconnect backoff (default 1 s doubling to 30 s, full jitter). */
  backoff?: BackoffPolicy;
  random?: () => number;
}

const DEFAULT_VIDEO_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

export class VideoSignalling {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** The call running now (from central's `start` until it ends), to end it for the UI if the socket drops. */
  private activeCallId: string | null = null;

  constructor(private readonly options: VideoSignallingOptions) {}

  /** Whether the socket to central is open. */
  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket and stops reconnecting; a running call ends for the UI. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.terminate();
    this.socket = null;
    this.endActive('disconnected');
  }

  /** Sends a message of the UI to central; false when the socket is not open (the UI ends the call). */
  send(message: KioskSignal): boolean {
    if (!this.connected || !this.socket) return false;
    if (message.type === 'hang-up' || (message.type === 'consent' && !message.accepted)) {
      if (this.activeCallId === message.callId) this.activeCallId = null;
    }
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Ends the running call from the kiosk's side (the citizen's session ended): central and the UI are told. */
  hangUp(): void {
    const callId = this.activeCallId;
    if (!callId) return;
    this.send({ type: 'hang-up', callId });
    this.activeCallId = null;
    this.options.onSignal({ type: 'ended', callId, reason: 'hang-up' });
  }

  private connect(): void {
    if (this.stopped) return;
    const base = new URL(this.options.baseUrl());
    const url = new URL(VIDEO_SIGNAL_PATHS.terminal, base);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    const headers = signRequest(this.options.key, 'GET', VIDEO_SIGNAL_PATHS.terminal, '', this.options.centralNow());
    const socket = new WebSocket(url, [VIDEO_SIGNAL_PROTOCOL], { headers, maxPayload: VIDEO_SIGNAL_MAX_BYTES, handshakeTimeout: 10_000, followRedirects: false });
    this.socket = socket;
    socket.on('open', () => {
      this.attempt = 0;
      this.options.log.log('info', 'video.signalling-connected', {});
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const parsed = parseSignal(CentralSignal, data.toString());
      if (!parsed.ok) {
        this.options.log.log('warn', 'video.signal-refused', { reason: parsed.reason });
        return;
      }
      const message = parsed.message;
      if (message.type === 'start') this.activeCallId = message.callId;
      if (message.type === 'ended' && message.callId === this.activeCallId) this.activeCallId = null;
      if (message.type === 'error') this.options.log.log('warn', 'video.central-error', { code: message.code });
      else if (message.type !== 'candidate' && message.type !== 'screen-state') this.options.log.log('info', 'video.signal', { type: message.type });
      this.options.onSignal(message);
    });
    // 'error' precedes 'close' on a failed upgrade (401, network): logged once, then the close retries.
    socket.on('error', (error: Error & { code?: string }) => this.options.log.log('warn', 'video.signalling-error', { code: error.code ?? error.message }));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.endActive('disconnected');
      if (this.stopped) return;
      const delay = backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_VIDEO_BACKOFF, this.options.random ?? Math.random);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.connect();
      }, delay);
    });
  }

  private endActive(reason: 'disconnected'): void {
    const callId = this.activeCallId;
    if (!callId) return;
    this.activeCallId = null;
    this.options.onSignal({ type: 'ended', callId, reason });
  }
}
