import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { signRequest } from '../../../contract/central/signing.js';
import { HELP_CALL_PATHS, HelpCall } from '../../../contract/help-call.js';
import { CentralSignal, VIDEO_SIGNAL_PATHS, VIDEO_SIGNAL_PROTOCOL, type ScreenState } from '../../../contract/video-call.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { VideoSignalling } from '../../../host/services/video-signalling.js';
import { testCatalog } from '../../support/central-fixture.js';
import { signInToConsole } from '../../support/console-client.js';

/**
 * 远程视频帮办 signalling over real WebSockets at a real central (SQLite): the kiosk's socket is signed as
 * the terminal like its HTTP calls (the host's own VideoSignalling), the console's carries a signed-in
 * staff member's token; unsigned, forged, replayed and wrong-role upgrades are refused before they become
 * sockets. A call starts only on an accepted help call, nothing but hang-up passes before the citizen's
 * consent, and a side that goes away ends the call for the other.
 */
describe('video signalling at central', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const secret = randomBytes(24).toString('hex');

  async function start(): Promise<CentralServer> {
    const central = await startCentralServer({
      dbFile: ':memory:',
      catalog: testCatalog(),
      consoleDir: null,
      terminals: [{ id: 'TA-0001', secret, hall: '泰山区政务服务中心', district: '370902' }],
      staff: [
        { staffNumber: '0001', name: '王芳', role: 'staff', pin: '246810' },
        { staffNumber: '9001', name: '李工', role: 'technician', pin: '135790' },
      ],
      silentSweepMs: 0,
      video: { stun: ['stun:stun.hall.example:3478'], turn: { urls: ['turn:turn.hall.example:3478?transport=udp'], sharedSecret: 'coturn-shared-secret-0123456789' } },
    });
    closers.push(() => central.close());
    return central;
  }

  /** Opens a socket and resolves with its upgrade outcome: the HTTP status of a refusal, or the open socket. */
  function open(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<{ status: number; socket: WebSocket | null; inbox: CentralSignal[] }> {
    return new Promise((resolve) => {
      const inbox: CentralSignal[] = [];
      const socket = new WebSocket(url, options.protocols ?? [VIDEO_SIGNAL_PROTOCOL], { headers: options.headers ?? {} });
      socket.on('message', (data) => inbox.push(CentralSignal.parse(JSON.parse(data.toString()))));
      socket.on('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode ?? 0, socket: null, inbox });
        socket.terminate();
      });
      socket.on('open', () => {
        closers.push(() => socket.terminate());
        resolve({ status: 101, socket, inbox });
      });
      socket.on('error', () => undefined);
    });
  }
  const wsUrl = (central: CentralServer, path: string) => central.url.replace('http:', 'ws:') + path;
  const until = async <T>(find: () => T | undefined, what: string): Promise<T> => {
    for (let tries = 0; tries < 200; tries++) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`never saw ${what}`);
  };

  it('refuses a kiosk upgrade that is unsigned, forged or replayed, and accepts one signed as the terminal', async () => {
    const central = await start();
    const url = wsUrl(central, VIDEO_SIGNAL_PATHS.terminal);
    expect((await open(url)).status).toBe(401);
    expect((await open(url, { headers: signRequest({ keyId: 'TA-0001', secret: 'not-the-secret-of-this-terminal' }, 'GET', VIDEO_SIGNAL_PATHS.terminal, '') })).status).toBe(401);
    expect((await open(url, { headers: signRequest({ keyId: 'TA-0001', secret }, 'POST', VIDEO_SIGNAL_PATHS.terminal, '') })).status).toBe(401);
    const headers = signRequest({ keyId: 'TA-0001', secret }, 'GET', VIDEO_SIGNAL_PATHS.terminal, '');
    const first = await open(url, { headers });
    expect(first.status).toBe(101);
    const ready = await until(() => first.inbox.find((message) => message.type === 'ready'), 'ready');
    // Both ends get STUN and a TURN credential minted with coturn's shared secret (never the secret itself).
    expect(ready).toMatchObject({ iceServers: [{ urls: ['stun:stun.hall.example:3478'] }, { urls: ['turn:turn.hall.example:3478?transport=udp'], username: expect.stringMatching(/^\d{10}:taian$/) }] });
    expect(JSON.stringify(ready)).not.toContain('coturn-shared-secret');
    // The same signed upgrade again: its nonce is spent.
    expect((await open(url, { headers })).status).toBe(401);
    expect(central.video().terminals).toEqual(['TA-0001']);
    // The published API names the socket and its message schemas.
    const document = (await (await fetch(`${central.url}/openapi.json`)).json()) as { paths: Record<string, { get?: { responses: Record<string, unknown> } }>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(document.paths[VIDEO_SIGNAL_PATHS.terminal]?.get?.responses ?? {})).toEqual(['101', '401']);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['KioskSignal', 'CentralSignal']));
  });

  it('refuses a console upgrade without a sign-in, with a bad token or a technician’s, and accepts staff', async () => {
    const central = await start();
    const url = wsUrl(central, VIDEO_SIGNAL_PATHS.console);
    expect((await open(url)).status).toBe(401);
    expect((await open(url, { protocols: [VIDEO_SIGNAL_PROTOCOL, `bearer.${'x'.repeat(32)}`] })).status).toBe(401);
    const technician = await signInToConsole(central.url, '9001', '135790');
    expect((await open(url, { protocols: [VIDEO_SIGNAL_PROTOCOL, `bearer.${technician.token}`] })).status).toBe(403);
    const staff = await signInToConsole(central.url, '0001', '246810');
    // A token in a bearer header is not how a browser can send it; only the subprotocol counts.
    expect((await open(url, { headers: { authorization: `Bearer ${staff.token}` } })).status).toBe(401);
    const opened = await open(url, { protocols: [VIDEO_SIGNAL_PROTOCOL, `bearer.${staff.token}`] });
    expect(opened.status).toBe(101);
    expect(opened.socket?.protocol).toBe(VIDEO_SIGNAL_PROTOCOL);
    await until(() => opened.inbox.find((message) => message.type === 'ready'), 'ready');
  });

  it('relays one call on an accepted help call: consent first, then descriptions, screen state and highlight; a kiosk that goes away ends it', async () => {
    const central = await start();
    const client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-0001', secret }, timeoutMs: 5_000 });
    const kioskInbox: CentralSignal[] = [];
    const kiosk = new VideoSignalling({ baseUrl: () => central.url, key: client.key, centralNow: () => Date.now(), log: createLogger({ dataDir: null }), onSignal: (message) => kioskInbox.push(message) });
    kiosk.start();
    closers.push(() => kiosk.stop());
    await until(() => (kiosk.connected ? true : undefined), 'the kiosk connected');

    const staff = await signInToConsole(central.url, '0001', '246810');
    const console = await open(wsUrl(central, VIDEO_SIGNAL_PATHS.console), { protocols: [VIDEO_SIGNAL_PROTOCOL, `bearer.${staff.token}`] });
    const say = (message: unknown) => console.socket?.send(JSON.stringify(message));

    const callId = randomUUID();
    const filed = await client.call('POST', HELP_CALL_PATHS.file, HelpCall, { id: callId, screen: 'form', serviceId: null, createdAt: new Date().toISOString() }, { idempotencyKey: callId });
    expect(filed.kind).toBe('ok');
    // Not accepted yet: no video.
    say({ type: 'start', callId, terminalId: 'TA-0001' });
    expect(await until(() => console.inbox.find((message) => message.type === 'error'), 'a refusal')).toMatchObject({ code: 'not-allowed', message: '请先接单，再开始视频' });
    expect((await staff.call('POST', HELP_CALL_PATHS.consoleAccept(callId), {})).status).toBe(200);

    say({ type: 'start', callId, terminalId: 'TA-0001' });
    expect(await until(() => kioskInbox.find((message) => message.type === 'start'), 'start at the kiosk')).toMatchObject({ callId, staffName: '王芳', staffNumber: '0001' });
    // Before consent nothing but hang-up passes, either way.
    say({ type: 'description', callId, description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await until(() => console.inbox.find((message) => message.type === 'error' && message.code === 'no-consent'), 'no-consent')).toBeTruthy();
    expect(kiosk.send({ type: 'screen-state', callId, state: sampleState() })).toBe(true);
    await until(() => (central.video().calls === 1 ? true : undefined), 'the call');

    kiosk.send({ type: 'consent', callId, accepted: true });
    await until(() => console.inbox.find((message) => message.type === 'consent' && message.accepted), 'consent at the console');
    expect(console.inbox.some((message) => message.type === 'screen-state')).toBe(false);
    say({ type: 'description', callId, description: { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' } });
    expect(await until(() => kioskInbox.find((message) => message.type === 'description'), 'the offer')).toMatchObject({ description: { type: 'offer' } });
    kiosk.send({ type: 'screen-state', callId, state: sampleState() });
    expect(await until(() => console.inbox.find((message) => message.type === 'screen-state'), 'the screen state')).toMatchObject({ state: { screen: 'form', fields: [{ id: 'name', filled: true }] } });
    say({ type: 'highlight', callId, controlId: 'next' });
    expect(await until(() => kioskInbox.find((message) => message.type === 'highlight'), 'the highlight')).toMatchObject({ controlId: 'next' });
    // A second start on the same help call is refused: one call per help call.
    say({ type: 'start', callId, terminalId: 'TA-0001' });
    expect(await until(() => console.inbox.find((message) => message.type === 'error' && message.code === 'call-exists'), 'call-exists')).toBeTruthy();

    kiosk.stop();
    expect(await until(() => console.inbox.find((message) => message.type === 'ended'), 'the end')).toEqual({ type: 'ended', callId, reason: 'disconnected' });
    expect(central.video()).toEqual({ terminals: [], calls: 0 });
  });

  it('ends the kiosk’s call from the kiosk (what the session’s end calls: hang-up to central and the UI) and when central goes away (disconnected)', async () => {
    const central = await start();
    const client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-0001', secret }, timeoutMs: 5_000 });
    const kioskInbox: CentralSignal[] = [];
    const kiosk = new VideoSignalling({ baseUrl: () => central.url, key: client.key, centralNow: () => Date.now(), log: createLogger({ dataDir: null }), onSignal: (message) => kioskInbox.push(message), backoff: { baseMs: 10_000, capMs: 10_000 } });
    kiosk.start();
    closers.push(() => kiosk.stop());
    await until(() => (kiosk.connected ? true : undefined), 'the kiosk connected');
    const staff = await signInToConsole(central.url, '0001', '246810');
    const console = await open(wsUrl(central, VIDEO_SIGNAL_PATHS.console), { protocols: [VIDEO_SIGNAL_PROTOCOL, `bearer.${staff.token}`] });
    const startCall = async () => {
      const callId = randomUUID();
      await client.call('POST', HELP_CALL_PATHS.file, HelpCall, { id: callId, screen: 'home', serviceId: null, createdAt: new Date().toISOString() }, { idempotencyKey: callId });
      await staff.call('POST', HELP_CALL_PATHS.consoleAccept(callId), {});
      console.socket?.send(JSON.stringify({ type: 'start', callId, terminalId: 'TA-0001' }));
      await until(() => kioskInbox.find((message) => message.type === 'start' && message.callId === callId), 'start');
      return callId;
    };

    const first = await startCall();
    kiosk.hangUp();
    expect(kioskInbox.at(-1)).toEqual({ type: 'ended', callId: first, reason: 'hang-up' });
    expect(await until(() => console.inbox.find((message) => message.type === 'ended' && message.callId === first), 'the end at the console')).toMatchObject({ reason: 'hang-up' });

    const second = await startCall();
    await central.close();
    expect(await until(() => kioskInbox.find((message) => message.type === 'ended' && message.callId === second), 'the end at the kiosk')).toEqual({ type: 'ended', callId: second, reason: 'disconnected' });
    closers.splice(0, 1);
  });

  it('answers a frame that is no signal, closes on a binary frame or one over the size limit, and keeps serving', async () => {
    const central = await start();
    const staff = await signInToConsole(central.url, '0001', '246810');
    const url = wsUrl(central, VIDEO_SIGNAL_PATHS.console);
    const protocols = [VIDEO_SIGNAL_PROTOCOL, `bearer.${staff.token}`];
    const first = await open(url, { protocols });
    first.socket?.send('{not json');
    first.socket?.send(JSON.stringify({ type: 'highlight', callId: 'short', controlId: 'x' }));
    first.socket?.send(JSON.stringify({ type: 'start', callId: randomUUID(), terminalId: 'TA-0001', extra: true }));
    await until(() => (first.inbox.filter((message) => message.type === 'error').length === 3 ? true : undefined), 'three refusals');
    expect(first.inbox.filter((message) => message.type === 'error').map((message) => (message.type === 'error' ? message.code : ''))).toEqual(['not-json', 'not-a-signal', 'not-a-signal']);
    const closed = new Promise<number>((resolve) => first.socket?.on('close', (code) => resolve(code)));
    first.socket?.send('x'.repeat(70 * 1024));
    expect(await closed).toBe(1009);
    const second = await open(url, { protocols });
    const closedAgain = new Promise<number>((resolve) => second.socket?.on('close', (code) => resolve(code)));
    second.socket?.send(Buffer.from([1, 2, 3]));
    expect(await closedAgain).toBe(1003);
    // A kiosk that is not connected: the start ends at once.
    const third = await open(url, { protocols });
    const callId = randomUUID();
    third.socket?.send(JSON.stringify({ type: 'start', callId, terminalId: 'TA-0001' }));
    expect(await until(() => third.inbox.find((message) => message.type === 'ended'), 'ended')).toEqual({ type: 'ended', callId, reason: 'kiosk-offline' });
  });
});

function sampleState(): ScreenState {
  return { screen: 'form', title: '填写申请表', service: null, step: { index: 3, total: 6, label: '填写' }, fields: [{ id: 'name', label: '姓名', filled: true }], controls: [{ id: 'next', label: '下一步' }], valuesShared: false };
}
