import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, type Handlers } from '../../../contract/derive.js';
import { channelNames } from '../../../contract/derive.js';
import { PHOTO_MAX_BASE64, SIGNATURE_MAX_CHARS } from '../../../contract/domain.js';
import { fail, ok } from '../../../contract/result.js';
import { startBridgeServer, type BridgeServer } from '../../../host/bridge/ws-server.js';
import { encodeFrame, rawRequest, rawWebSocket, type RawWebSocket } from '../../support/raw-http.js';

function handlers(): Handlers {
  const all = Object.fromEntries(channelNames.map((name) => [name, () => fail('not-here', name)])) as unknown as Handlers;
  all['outbox:get-depth'] = () => ok({ pending: 1, needsStaff: 0, online: true });
  return all;
}

/** Opens a WebSocket with chosen headers; resolves with the open socket or the HTTP status it was refused with. */
function connect(url: string, headers: Record<string, string>): Promise<{ socket: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => resolve({ socket }));
    socket.on('unexpected-response', (_, response) => resolve({ status: response.statusCode ?? 0 }));
    socket.on('error', () => undefined);
  });
}

function call(socket: WebSocket, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('startBridgeServer', () => {
  let server: BridgeServer;
  let dir: string;
  const refused: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
    refused.length = 0;
    server = await startBridgeServer({
      dispatch: createDispatcher(handlers()),
      context: () => ({ audiences: new Set(['citizen']) }),
      rendererDir: dir,
      onRefused: (reason) => refused.push(reason),
    });
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const own = () => ({ origin: server.url, host: `127.0.0.1:${server.port}` });
  const bridgeUrl = (token: string) => `ws://127.0.0.1:${server.port}/bridge?token=${token}`;

  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a connection without the token', async () => {
    expect(await connect(`ws://127.0.0.1:${server.port}/bridge`, own())).toEqual({ status: 401 });
    expect(refused).toEqual(['bad-token']);
  });

  it('refuses a connection with a wrong token of the same length', async () => {
    const wrong = server.token.replace(/./g, 'A');
    expect(await connect(bridgeUrl(wrong), own())).toEqual({ status: 401 });
  });

  it('refuses a page from another origin even with the token', async () => {
    expect(await connect(bridgeUrl(server.token), { ...own(), origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect(bridgeUrl(server.token), { host: own().host })).toEqual({ status: 403 });
    expect(refused).toEqual(['bad-origin', 'bad-origin']);
  });

  it('refuses a rebinding attack that names another host', async () => {
    expect(await connect(bridgeUrl(server.token), { ...own(), host: `evil.example:${server.port}` })).toEqual({ status: 421 });
  });

  it('answers a valid call through the contract dispatcher', async () => {
    const opened = await connect(bridgeUrl(server.token), own());
    if (!('socket' in opened)) throw new Error(`refused ${opened.status}`);
    expect(await call(opened.socket, { id: 1, channel: 'outbox:get-depth', request: {} })).toEqual({ id: 1, result: { ok: true, value: { pending: 1, needsStaff: 0, online: true } } });
    expect(await call(opened.socket, { id: 2, channel: 'catalog:get-service', request: { serviceId: 12 } })).toMatchObject({ id: 2, result: { ok: false, error: { code: 'bad-request' } } });
    expect(await call(opened.socket, { id: 3, channel: 'fs:read-file', request: {} })).toMatchObject({ id: 3, result: { ok: false, error: { code: 'unknown-channel' } } });
    opened.socket.close();
  });

  it('carries the largest draft the contract accepts: photos and signature at their limits', async () => {
    const opened = await connect(bridgeUrl(server.token), own());
    if (!('socket' in opened)) throw new Error('refused');
    const photo = { kind: 'photo', mimeType: 'image/jpeg', base64: `/9j/${'A'.repeat(PHOTO_MAX_BASE64 - 4)}` };
    const signature = `data:image/png;base64,${'A'.repeat(SIGNATURE_MAX_CHARS - 22)}`;
    const draft = { serviceId: 'birth-one-thing', answers: {}, form: { note: '说明'.repeat(50_000) }, materials: { a: photo, b: photo }, signature };
    // Answered by the handler (a stub here), so it crossed the bridge and passed the contract.
    expect(await call(opened.socket, { id: 7, channel: 'application:submit', request: draft })).toMatchObject({ id: 7, result: { ok: false, error: { code: 'not-here' } } });
    // One more photo is more than an application may carry: refused by the contract, the connection stays.
    const tooMany = { ...draft, materials: { a: photo, b: photo, c: { ...photo, base64: '/9j/AAAA' } } };
    expect(await call(opened.socket, { id: 8, channel: 'application:submit', request: tooMany })).toMatchObject({ id: 8, result: { ok: false, error: { code: 'bad-request' } } });
    opened.socket.close();
  });

  it('closes a connection that sends something other than a request envelope', async () => {
    const opened = await connect(bridgeUrl(server.token), own());
    if (!('socket' in opened)) throw new Error('refused');
    const closed = new Promise<number>((resolve) => opened.socket.on('close', (code) => resolve(code)));
    opened.socket.send('not json');
    expect(await closed).toBe(1007);
  });

  it('broadcasts contract events to connected pages and rejects payloads that break the contract', async () => {
    const opened = await connect(bridgeUrl(server.token), own());
    if (!('socket' in opened)) throw new Error('refused');
    const received = new Promise((resolve) => opened.socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
    server.broadcast('session:ended', { reason: 'completed' });
    expect(await received).toEqual({ event: 'session:ended', payload: { reason: 'completed' } });
    expect(() => server.broadcast('session:ended', { reason: 'bored' } as never)).toThrow();
    opened.socket.close();
  });

  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // The demo's Chromium grants media without asking: the page itself (no other origin or frame) may use
    // the camera and, for video help after the citizen's consent, the microphone; never the screen.
    expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(response.headers.get('permissions-policy')).toContain('microphone=(self)');
    expect(response.headers.get('permissions-policy')).toContain('display-capture=()');
    expect(await response.text()).toContain('<title>kiosk</title>');
  });

  it('serves nothing outside the renderer folder', async () => {
    const response = await fetch(`${server.url}/..%2F..%2Fetc%2Fpasswd`);
    expect(response.status).toBe(404);
  });

  it('answers GET /% and /%ff with 400 and keeps serving (regression: a URIError in URL decoding killed the bridge)', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const target of ['/%', '/%ff', '/%E4%B8', '/a%00b', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd%ff']) {
      expect(await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).toMatchObject({ status: expect.any(Number) });
      expect((await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBeGreaterThanOrEqual(400);
    }
    expect((await rawRequest(server.port, `GET /%ff HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(400);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it('answers a request line that is not HTTP with 400', async () => {
    expect((await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n')).status).toBe(400);
    expect((await rawRequest(server.port, '\x00\x01\x02\r\n\r\n')).status).toBe(400);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it('refuses an upgrade whose target cannot be parsed with 400 (regression: the URL constructor threw in the upgrade handler)', async () => {
    for (const target of ['//', 'http://[', '/bridge?token=%', '%']) {
      expect(await rawWebSocket(server.port, target, own())).toEqual({ status: target === '/bridge?token=%' ? 401 : 400 });
    }
    expect(refused).toContain('bad-path');
    const opened = await connect(bridgeUrl(server.token), own());
    expect('socket' in opened).toBe(true);
    if ('socket' in opened) opened.socket.close();
  });

  async function authenticated(): Promise<RawWebSocket> {
    const opened = await rawWebSocket(server.port, `/bridge?token=${server.token}`, own());
    if (!('ws' in opened)) throw new Error(`refused ${opened.status}`);
    return opened.ws;
  }

  async function stillServes(): Promise<void> {
    const opened = await connect(bridgeUrl(server.token), own());
    if (!('socket' in opened)) throw new Error('refused');
    expect(await call(opened.socket, { id: 1, channel: 'outbox:get-depth', request: {} })).toMatchObject({ id: 1, result: { ok: true } });
    opened.socket.close();
  }

  it('closes an authenticated socket that announces a message over the limit with 1009, and keeps serving (regression: no error listener)', async () => {
    const ws = await authenticated();
    ws.send(encodeFrame({ opcode: 0x1, payload: Buffer.from('{"id":1'), declaredLength: 64 * 1024 * 1024 }));
    expect(await ws.closed).toEqual({ code: 1009 });
    await stillServes();
  });

  it('closes a text frame with invalid UTF-8 with 1007, and keeps serving', async () => {
    const ws = await authenticated();
    ws.send(encodeFrame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }));
    expect(await ws.closed).toEqual({ code: 1007 });
    await stillServes();
  });

  it('closes a frame with a reserved opcode, reserved bits or no mask with 1002, and keeps serving', async () => {
    for (const frame of [
      { opcode: 0x3, payload: Buffer.from('x') },
      { opcode: 0x1, rsv: 4, payload: Buffer.from('{}') },
      { opcode: 0x1, masked: false, payload: Buffer.from('{}') },
      { opcode: 0x9, fin: false, payload: Buffer.from('ping') },
    ]) {
      const ws = await authenticated();
      ws.send(encodeFrame(frame));
      expect(await ws.closed).toEqual({ code: 1002 });
    }
    await stillServes();
  });

  it('answers a request whose text holds an unpaired surrogate with bad-request, and the connection stays', async () => {
    const opened = await connect(bridgeUrl(server.token), own());
    if (!('socket' in opened)) throw new Error('refused');
    // JSON allows the escape; JSON.parse keeps the lone surrogate, which would be stored as U+FFFD.
    const text = '{"id":4,"channel":"catalog:get-service","request":{"serviceId":"birth\\ud800"}}';
    expect(await call(opened.socket, text)).toMatchObject({ id: 4, result: { ok: false, error: { code: 'bad-request' } } });
    expect(await call(opened.socket, { id: 5, channel: 'outbox:get-depth', request: {} })).toMatchObject({ id: 5, result: { ok: true } });
    opened.socket.close();
  });

  it('does not follow a symlink out of the renderer folder, and serves only regular files', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'bridge-outside-'));
    try {
      writeFileSync(join(outside, 'secret.txt'), 'not for the kiosk page');
      symlinkSync(join(outside, 'secret.txt'), join(dir, 'linked.txt'));
      symlinkSync(outside, join(dir, 'linked-dir'));
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
      symlinkSync(join(dir, 'assets', 'app.js'), join(dir, 'inside-link.js'));
      expect((await fetch(`${server.url}/linked.txt`)).status).toBe(404);
      expect((await fetch(`${server.url}/linked-dir/secret.txt`)).status).toBe(404);
      expect((await fetch(`${server.url}/assets`)).status).toBe(404);
      // A link that stays inside the root is fine.
      expect((await fetch(`${server.url}/inside-link.js`)).status).toBe(200);
      expect((await fetch(`${server.url}/assets/app.js`)).status).toBe(200);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
