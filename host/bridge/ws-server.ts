import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallContext, Dispatch } from '../../contract/derive.js';
import { DRAFT_MAX_BYTES } from '../../contract/domain.js';
import type { EventName, EventPayload } from '../../contract/events.js';
import { events } from '../../contract/events.js';
import { RENDERER_CONTENT_TYPES } from '../../contract/renderer-assets.js';

/**
 * The browser shell's bridge: serves the built renderer and the contract over a WebSocket, on
 * 127.0.0.1 only. Any local page could try to reach it, so a connection needs (1) the per-launch token,
 * (2) an Origin equal to this server's own, and (3) a Host header naming this server (against DNS
 * rebinding). Messages: `{id, channel, request}` → `{id, result}`; events `{event, payload}`.
 */
export interface BridgeServerOptions {
  dispatch: Dispatch;
  context: () => CallContext;
  /** Built renderer (dist/renderer); null serves no UI (tests of the bridge alone). */
  rendererDir: string | null;
  port?: number;
  token?: string;
  /** Called for every refused connection, with the reason (for the log). */
  onRefused?: (reason: string) => void;
}

export interface BridgeServer {
  url: string;
  /** URL with the token for the kiosk browser to open. */
  launchUrl: string;
  port: number;
  token: string;
  broadcast<Name extends EventName>(event: Name, payload: EventPayload<Name>): void;
  close(): Promise<void>;
}

/** The largest draft the contract accepts (every photo and the signature at their limits) and the envelope. */
const MAX_MESSAGE_BYTES = DRAFT_MAX_BYTES + 64 * 1024;

/** The request target as a URL, or null when it cannot be one (`//`, `http://[`, a bare `%`). */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://bridge.invalid');
  } catch {
    return null;
  }
}

/** The decoded path of a request, or null when it is not a valid percent-encoded UTF-8 path or holds a NUL. */
function requestPath(target: string | undefined): string | null {
  const url = parseTarget(target);
  if (!url) return null;
  try {
    const pathname = decodeURIComponent(url.pathname);
    return pathname.includes('\0') ? null : pathname;
  } catch {
    return null;
  }
}

/**
 * The file a path names when it is a regular file whose real path (symlinks resolved) lies inside `root`
 * (itself a real path); null otherwise. A symlink in the built renderer must not serve /etc/passwd.
 */
function regularFileInside(root: string, pathname: string): string | null {
  try {
    const real = realpathSync(join(root, normalize(pathname)));
    if (!real.startsWith(root + sep)) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

function sameToken(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  // The root's own real path: a symlink anywhere in a served path is resolved and must stay under it.
  const rendererRoot = options.rendererDir ? realpathSync(options.rendererDir) : null;

  function serveStatic(request: IncomingMessage, response: ServerResponse): void {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      options.onRefused?.('bad-host');
      response.writeHead(421).end();
      return;
    }
    if (!rendererRoot || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404).end();
      return;
    }
    const pathname = requestPath(request.url);
    if (pathname === null) {
      // `GET /%`, `/%ff`: not a path at all. Any local page can send these (an <img> tag), so answer, never throw.
      options.onRefused?.('bad-path');
      response.writeHead(400).end();
      return;
    }
    const file = regularFileInside(rendererRoot, pathname === '/' ? '/index.html' : pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': RENDERER_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The UI may talk only to this bridge; no inline script, no framing by other pages.
      'content-security-policy': `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; img-src 'self' data: blob:; media-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
      'x-frame-options': 'DENY',
      // Camera (高拍仪, and 远程视频帮办 with the microphone, opened only after the citizen's 同意) for this page
      // only, never the screen: the demo's Chromium grants media without a prompt (--use-fake-ui-for-media-stream).
      'permissions-policy': 'camera=(self), microphone=(self), display-capture=(), geolocation=()',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    // A file removed between the check and the read ends the response; it never reaches the process.
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  const server = createServer(serveStatic);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  // A malformed request line or header: answer 400 on the socket and keep serving (Node's default also
  // answers, but says nothing to the log).
  server.on('clientError', (_error, socket: Duplex) => {
    options.onRefused?.('bad-request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    // After 'upgrade' Node no longer watches the socket: a reset now would be an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const refuse = (reason: string, status: number) => {
      options.onRefused?.(reason);
      if (socket.writable) socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    const target = parseTarget(request.url);
    if (!target) return refuse('bad-path', 400);
    if (target.pathname !== '/bridge') return refuse('bad-path', 404);
    if (!allowedHosts().has(request.headers.host ?? '')) return refuse('bad-host', 421);
    if (!allowedOrigins().has(request.headers.origin ?? '')) return refuse('bad-origin', 403);
    if (!sameToken(token, target.searchParams.get('token'))) return refuse('bad-token', 401);
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // Protocol errors (a message over maxPayload, invalid UTF-8 in a text frame, a bad opcode or an
      // unmasked frame): ws closes the socket with the matching code (1009, 1007, 1002); without this
      // listener the error would be thrown and take the host down with every other connection.
      ws.on('error', (error: Error & { code?: string }) => options.onRefused?.(`ws-error ${error.code ?? 'unknown'}`));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'text only');
        handleMessage(ws, data.toString()).catch(() => ws.close(1011, 'internal'));
      });
    });
  });

  async function handleMessage(ws: WebSocket, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return ws.close(1007, 'bad json');
    }
    if (typeof message !== 'object' || message === null || !('id' in message) || typeof message.id !== 'number') {
      return ws.close(1007, 'bad envelope');
    }
    const { id } = message;
    const channel = 'channel' in message ? message.channel : undefined;
    const request = 'request' in message ? message.request : undefined;
    const result = await options.dispatch(channel, request, options.context());
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    launchUrl: `${url}/#token=${token}`,
    port,
    token,
    broadcast(event, payload) {
      const checked = events[event].parse(payload);
      const text = JSON.stringify({ event, payload: checked });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
