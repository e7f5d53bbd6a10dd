import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConsoleRole } from '../../contract/central/console.js';
import { verifyBody, verifyRequestHeaders } from '../../contract/central/signing.js';
import { CentralSignal, KioskSignal, parseSignal, StaffSignal, VIDEO_SIGNAL_MAX_BYTES, VIDEO_SIGNAL_PATHS, VIDEO_SIGNAL_PROTOCOL } from '../../contract/video-call.js';
import type { CentralContext } from '../context.js';
import { tokenHash } from '../http/console.js';
import { requestTarget } from '../http/core.js';
import type { SignalPeer, StaffIdentity, VideoHub } from './hub.js';

/**
 * The two signalling WebSockets of 远程视频帮办 on central's HTTP server, authenticated before the
 * upgrade is accepted (a refused socket never becomes a WebSocket):
 * - `/v1/video/signal`: a kiosk, its upgrade request signed as the terminal exactly like its HTTP calls
 *   (contract/central/signing.ts over `GET <path>` and the empty body; the nonce is claimed, so a
 *   captured upgrade cannot be replayed);
 * - `/console/api/video/signal`: a console, its sign-in token offered as the subprotocol
 *   `bearer.<token>` beside `taian-video-1` (a browser cannot set headers on a WebSocket); roles staff
 *   and manager.
 * Every frame is parsed with the contract's schemas (contract/video-call.ts); frames are text, at most
 * `VIDEO_SIGNAL_MAX_BYTES`, at most `MESSAGES_PER_WINDOW` per 10 s; a bad frame is answered with an
 * error, a flood or a binary frame closes the socket, and nothing a peer sends can stop the process.
 */

/** A peer may send this many frames per 10 s (a call's ICE candidates and screen states are far fewer). */
const MESSAGES_PER_WINDOW = 300;
const WINDOW_MS = 10_000;
/** Who may start video from the console: the hall's staff and its managers. */
const VIDEO_ROLES: readonly ConsoleRole[] = ['staff', 'manager'];

export interface SignallingOptions {
  context: CentralContext;
  hub: VideoHub;
  /** A console sign-in's idle limit, ms (each staff action on the socket extends it, as on the HTTP API). */
  consoleIdleMs: number;
  /** Told of every refused upgrade and closed flood (tests and the log); no personal data. */
  onRefused?: (reason: string) => void;
}

/** Handles the signalling upgrades on `server`; other upgrade requests are refused with 404. Returns a close function. */
export function attachVideoSignalling(server: Server, options: SignallingOptions): () => void {
  const { context, hub } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: VIDEO_SIGNAL_MAX_BYTES,
    handleProtocols: (protocols) => (protocols.has(VIDEO_SIGNAL_PROTOCOL) ? VIDEO_SIGNAL_PROTOCOL : false),
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (reason: string, status: number) => {
      options.onRefused?.(reason);
      if (socket.writable) socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    const target = requestTarget(request.url);
    if (!target) return refuse('bad-path', 400);
    const accept = (onOpen: (ws: WebSocket) => void) => wss.handleUpgrade(request, socket, head, onOpen);
    const checked =
      target.pathname === VIDEO_SIGNAL_PATHS.terminal
        ? terminalOf(request, target.pathname + target.search).then((terminalId) => {
            if (!terminalId) return refuse('terminal-unsigned', 401);
            accept((ws) => openTerminal(ws, terminalId));
          })
        : target.pathname === VIDEO_SIGNAL_PATHS.console
          ? staffOf(request).then((staff) => {
              if (staff === 'signed-out') return refuse('staff-signed-out', 401);
              if (staff === 'role') return refuse('staff-role', 403);
              accept((ws) => openStaff(ws, staff));
            })
          : Promise.resolve(refuse('bad-path', 404));
    checked.catch((error: unknown) => {
      console.error('central: video upgrade failed', error);
      refuse('internal', 500);
    });
  });

  /** The terminal that signed this upgrade, or null. */
  async function terminalOf(request: IncomingMessage, pathWithQuery: string): Promise<string | null> {
    const signed = await verifyRequestHeaders(request.headers, 'GET', pathWithQuery, {
      lookupSecret: (keyId) => context.store.terminals.credentials(keyId),
      now: context.now().getTime(),
    });
    if (!signed.ok) return null;
    const verified = await verifyBody(signed, '', (keyId, nonce, timestamp) => context.store.nonces.claim(keyId, nonce, timestamp));
    return verified.ok ? verified.keyId : null;
  }

  /** The staff member whose sign-in token the upgrade offers, or why not. */
  async function staffOf(request: IncomingMessage): Promise<StaffIdentity & { tokenHash: string } | 'signed-out' | 'role'> {
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim());
    const bearer = offered.find((protocol) => /^bearer\.[A-Za-z0-9_-]{16,128}$/.test(protocol));
    if (!bearer || !offered.includes(VIDEO_SIGNAL_PROTOCOL)) return 'signed-out';
    const hash = tokenHash(bearer.slice('bearer.'.length));
    const nowMs = context.now().getTime();
    const session = await context.store.sessions.use(hash, nowMs, nowMs + options.consoleIdleMs);
    if (!session) return 'signed-out';
    const role = ConsoleRole.safeParse(session.role);
    if (!role.success || !VIDEO_ROLES.includes(role.data)) return 'role';
    const account = await context.store.staff.find(session.staffNumber);
    return { staffNumber: session.staffNumber, name: account?.name ?? session.staffNumber, tokenHash: hash };
  }

  function peerOf(ws: WebSocket): SignalPeer {
    return {
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(CentralSignal.parse(message)));
      },
      close: (code, reason) => ws.close(code, reason),
    };
  }

  /** Frames of `ws`, each text and within the flood limit, handed on; a flood or binary frame closes it. */
  function onFrames(ws: WebSocket, handle: (text: string) => void): void {
    let windowStart = Date.now();
    let count = 0;
    ws.on('error', (error: Error & { code?: string }) => options.onRefused?.(`ws-error ${error.code ?? 'unknown'}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      const now = Date.now();
      if (now - windowStart > WINDOW_MS) {
        windowStart = now;
        count = 0;
      }
      if (++count > MESSAGES_PER_WINDOW) {
        options.onRefused?.('flood');
        return ws.close(1008, 'too many messages');
      }
      handle(data.toString());
    });
  }

  function openTerminal(ws: WebSocket, terminalId: string): void {
    const peer = peerOf(ws);
    hub.attachTerminal(terminalId, peer);
    ws.on('close', () => hub.detachTerminal(terminalId, peer));
    onFrames(ws, (text) => {
      const parsed = parseSignal(KioskSignal, text);
      if (!parsed.ok) return peer.send({ type: 'error', callId: null, code: parsed.reason, message: '消息格式不正确' });
      hub.fromTerminal(terminalId, peer, parsed.message);
    });
  }

  function openStaff(ws: WebSocket, staff: StaffIdentity & { tokenHash: string }): void {
    const peer = peerOf(ws);
    hub.attachStaff(peer);
    ws.on('close', () => hub.detachStaff(peer));
    // One frame after another: a start awaits look-ups, and the offer sent next must not overtake it.
    let queue = Promise.resolve();
    onFrames(ws, (text) => {
      const parsed = parseSignal(StaffSignal, text);
      if (!parsed.ok) return peer.send({ type: 'error', callId: null, code: parsed.reason, message: '消息格式不正确' });
      queue = queue.then(async () => {
        // A staff action keeps the sign-in alive; a sign-in that ended (signed out, expired) ends the socket.
        const nowMs = context.now().getTime();
        if (!(await context.store.sessions.use(staff.tokenHash, nowMs, nowMs + options.consoleIdleMs))) return ws.close(4001, 'signed out');
        await hub.fromStaff(staff, peer, parsed.message);
      }).catch((error: unknown) => {
        console.error('central: video signal failed', error);
        peer.send({ type: 'error', callId: null, code: 'internal', message: '中心服务出错，请重试' });
      });
    });
  }

  return () => {
    hub.closeAll();
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}
