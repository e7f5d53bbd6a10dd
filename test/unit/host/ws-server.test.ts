import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, type Handlers } from '../../../contract/derive.js';
import { channelNames } from '../../../contract/derive.js';
import { PHOTO_MAX_BASE64, SIGNATURE_MAX_CHARS } from '../../../contract/domain.js';
import { fail, ok } from '../../../contract/result.js';
import { startBridgeServer, type BridgeServer } from '../../../host/bridge/ws-server.js';

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
    // The demo's Chromium grants media without asking: the page itself may use the camera, never the microphone.
    expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(response.headers.get('permissions-policy')).toContain('microphone=()');
    expect(await response.text()).toContain('<title>kiosk</title>');
  });

  it('serves nothing outside the renderer folder', async () => {
    const response = await fetch(`${server.url}/..%2F..%2Fetc%2Fpasswd`);
    expect(response.status).toBe(404);
  });
});
