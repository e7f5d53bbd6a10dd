import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster.js';
import { WebSocket } from 'ws';
import { HELP_CALL_PATHS, HelpCall } from '../../../contract/help-call.js';
import { CentralSignal, VIDEO_SIGNAL_PATHS, VIDEO_SIGNAL_PROTOCOL } from '../../../contract/video-call.js';
import { RECORDING_PATHS } from '../../../contract/video-recording.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { openChunk, recordingKeyFrom } from '../../../central/video/recording.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { VideoSignalling } from '../../../host/services/video-signalling.js';
import { testCatalog } from '../../support/central-fixture.js';
import { queryCentralDatabase } from '../../support/central-databases.js';
import { signInToConsole, type ConsoleCaller } from '../../support/console-client.js';

/**
 * Recording of 远程视频帮办 (issue 12) at a real central (SQLite file): off unless the hall's configuration
 * turns it on; then the kiosk's `start` says so (for the consent screen) and the console's `consent` too,
 * chunks from the call's staff member are kept sealed with AES-256-GCM, listed and viewed with an audit,
 * and deleted when the retention ends. Uploads for a call that is not recorded are refused. On SQLite and PostgreSQL.
 */
const HALL = '泰山区政务服务中心';
const DAY_MS = 86_400_000;

for (const database of ['SQLite', 'PostgreSQL'] as const) describe(`video recording at central on ${database}`, () => {
  let cluster: PostgresCluster | undefined;
  let databases = 0;
  beforeAll(async () => {
    if (database === 'PostgreSQL') cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const secret = randomBytes(24).toString('hex');
  const keyHex = randomBytes(32).toString('hex');
  let nowMs = Date.now();

  async function start(): Promise<{ central: CentralServer; dbFile: string }> {
    // Central's clock starts at the real time (the kiosk signs with it) and is moved on for the retention.
    nowMs = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'video-recording-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbFile = cluster ? await cluster.createDatabase(`recording${++databases}`) : join(dir, 'central.sqlite');
    const central = await startCentralServer({
      dbFile,
      catalog: testCatalog(),
      consoleDir: null,
      terminals: [{ id: 'TA-0001', secret, hall: HALL, district: '370902' }],
      staff: [
        { staffNumber: '0001', name: '王芳', role: 'staff', pin: '246810' },
        { staffNumber: '0002', name: '赵敏', role: 'staff', pin: '112358' },
        { staffNumber: '8001', name: '孙经理', role: 'manager', pin: '112233' },
      ],
      silentSweepMs: 0,
      videoRecordingKey: keyHex,
      now: () => new Date(nowMs),
    });
    closers.push(() => central.close());
    return { central, dbFile };
  }

  /** Central's own rows (`?` placeholders), from whichever database it runs on. */
  const query = queryCentralDatabase;


  const until = async <T>(find: () => T | undefined, what: string): Promise<T> => {
    for (let tries = 0; tries < 300; tries++) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`never saw ${what}`);
  };

  /** A kiosk (the host's own signalling) and a staff console socket, and one accepted help call between them. */
  async function call(central: CentralServer, staff: ConsoleCaller) {
    const client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-0001', secret }, timeoutMs: 5_000 });
    const kioskInbox: CentralSignal[] = [];
    const kiosk = new VideoSignalling({ baseUrl: () => central.url, key: client.key, centralNow: () => nowMs, log: createLogger({ dataDir: null }), onSignal: (message) => kioskInbox.push(message) });
    kiosk.start();
    closers.push(() => kiosk.stop());
    await until(() => (kiosk.connected ? true : undefined), 'the kiosk connected');
    const consoleInbox: CentralSignal[] = [];
    const socket = new WebSocket(central.url.replace('http:', 'ws:') + VIDEO_SIGNAL_PATHS.console, [VIDEO_SIGNAL_PROTOCOL, `bearer.${staff.token}`]);
    socket.on('message', (data) => consoleInbox.push(CentralSignal.parse(JSON.parse(data.toString()))));
    await new Promise((resolve) => socket.on('open', resolve));
    closers.push(() => socket.terminate());
    const callId = randomUUID();
    expect((await client.call('POST', HELP_CALL_PATHS.file, HelpCall, { id: callId, screen: 'form', serviceId: null, createdAt: new Date(nowMs).toISOString() }, { idempotencyKey: callId })).kind).toBe('ok');
    expect((await staff.call('POST', HELP_CALL_PATHS.consoleAccept(callId), {})).status).toBe(200);
    socket.send(JSON.stringify({ type: 'start', callId, terminalId: 'TA-0001' }));
    const started = await until(() => kioskInbox.find((message) => message.type === 'start'), 'start at the kiosk');
    kiosk.send({ type: 'consent', callId, accepted: true });
    const consent = await until(() => consoleInbox.find((message) => message.type === 'consent'), 'consent at the console');
    return { callId, started, consent, hangUp: () => socket.send(JSON.stringify({ type: 'hang-up', callId })) };
  }

  const chunkPath = (recordingId: string) => RECORDING_PATHS.chunk.replace(':recordingId', recordingId);

  it('records nothing where the hall has not turned it on: the kiosk is told nothing, and an upload is refused', async () => {
    const { central, dbFile } = await start();
    const staff = await signInToConsole(central.url, '0001', '246810');
    const { callId, started, consent } = await call(central, staff);
    expect(started.type === 'start' ? (started.recording ?? null) : 'not start').toBeNull();
    expect(consent.type === 'consent' ? (consent.recording ?? null) : 'not consent').toBeNull();
    expect(consent.type === 'consent' ? consent.recordingId : 'not consent').toBeUndefined();
    // Whatever id a console makes up, central opened no recording for this call.
    const refused = await staff.call('POST', chunkPath(callId), { seq: 0, data: Buffer.from('webm bytes').toString('base64') });
    expect(refused).toMatchObject({ status: 403, body: { code: 'recording-off' } });
    // The published API names the recording endpoints.
    const document = (await (await fetch(`${central.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/console/api/video/recordings', '/console/api/video/recordings/{recordingId}/chunks', '/console/api/video/recordings/{recordingId}/media']));
    expect((await query<{ n: number | string }>(dbFile, 'SELECT COUNT(*) AS n FROM video_recording_chunks')).map((row) => Number(row.n))).toEqual([0]);
    expect(await query(dbFile, "SELECT actor, event, outcome FROM video_recording_audit WHERE event = 'video.recording-upload'")).toEqual([{ actor: 'staff:0001', event: 'video.recording-upload', outcome: 'refused-recording-off' }]);
  });

  it('when the hall turns it on: both ends are told, chunks are kept sealed, listed and viewed with an audit, and purged after the retention', async () => {
    const { central, dbFile } = await start();
    const manager = await signInToConsole(central.url, '8001', '112233');
    const put = await manager.call('POST', `/console/api/fleet/config/hall/${encodeURIComponent(HALL)}`, { settings: { videoRecording: { enabled: true, retentionDays: 30, purpose: '服务质量监督和纠纷处理' } } });
    expect(put.status).toBe(201);
    const staff = await signInToConsole(central.url, '0001', '246810');
    const { callId, started, consent, hangUp } = await call(central, staff);
    const notice = { retentionDays: 30, purpose: '服务质量监督和纠纷处理' };
    expect(started).toMatchObject({ type: 'start', recording: notice });
    expect(consent).toMatchObject({ type: 'consent', accepted: true, recording: notice, recordingId: expect.any(String) });
    const recordingId = consent.type === 'consent' ? (consent.recordingId ?? '') : '';

    const media = [Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('first chunk of the kiosk stream')]), Buffer.from('second chunk of the kiosk stream')];
    for (const [seq, bytes] of media.entries()) expect((await staff.call('POST', chunkPath(recordingId), { seq, data: bytes.toString('base64') })).status).toBe(201);
    // The same chunk again (a retry) is not kept twice; another staff member cannot add to this call.
    expect(await staff.call('POST', chunkPath(recordingId), { seq: 1, data: media[1]?.toString('base64') })).toMatchObject({ status: 200, body: { stored: false } });
    const other = await signInToConsole(central.url, '0002', '112358');
    expect(await other.call('POST', chunkPath(recordingId), { seq: 2, data: 'AAAA' })).toMatchObject({ status: 403, body: { code: 'not-your-call' } });
    hangUp();

    // Stored encrypted: no plaintext in the file, each chunk opens only with central's key and only in its place.
    const rows = (await query<{ seq: number; key_id: string; data: string; bytes: number }>(dbFile, 'SELECT seq, key_id, data, bytes FROM video_recording_chunks WHERE recording_id = ? ORDER BY seq', recordingId)).map((row) => ({ ...row, seq: Number(row.seq), bytes: Number(row.bytes) }));
    expect(rows.map((row) => row.bytes)).toEqual(media.map((bytes) => bytes.length));
    const key = recordingKeyFrom(keyHex);
    for (const row of rows) {
      expect(row.key_id).toBe(key.id);
      expect(Buffer.from(row.data, 'base64').includes(Buffer.from('chunk of the kiosk stream'))).toBe(false);
      expect(openChunk(key, recordingId, row.seq, row.data)).toEqual(media[row.seq]);
    }
    expect(() => openChunk(key, recordingId, 1, rows[0]?.data ?? '')).toThrow();
    expect(() => openChunk(recordingKeyFrom(randomBytes(32).toString('hex')), recordingId, 0, rows[0]?.data ?? '')).toThrow();

    const listed = await staff.call('GET', RECORDING_PATHS.list);
    expect(listed).toMatchObject({ status: 200, body: [{ recordingId, helpCallId: callId, terminalId: 'TA-0001', hall: HALL, staffNumber: '0001', chunks: 2, deleteAfter: new Date(nowMs + 30 * DAY_MS).toISOString() }] });
    const viewed = await manager.call('GET', RECORDING_PATHS.media.replace(':recordingId', recordingId));
    expect(viewed.status).toBe(200);
    expect(Buffer.from((viewed.body as { data: string }).data, 'base64')).toEqual(Buffer.concat(media));

    // The day before the retention ends it is still there; after it, housekeeping deletes it.
    // (Console sign-ins end when idle: each jump of the clock signs in afresh.)
    nowMs += 29 * DAY_MS;
    await central.runHousekeeping();
    const later = await signInToConsole(central.url, '0001', '246810');
    expect(((await later.call('GET', RECORDING_PATHS.list)).body as unknown[]).length).toBe(1);
    nowMs += 2 * DAY_MS;
    await central.runHousekeeping();
    const last = await signInToConsole(central.url, '0001', '246810');
    expect((await last.call('GET', RECORDING_PATHS.list)).body).toEqual([]);
    expect((await last.call('GET', RECORDING_PATHS.media.replace(':recordingId', recordingId))).status).toBe(404);
    expect(await last.call('POST', chunkPath(recordingId), { seq: 5, data: 'AAAA' })).toMatchObject({ status: 403, body: { code: 'recording-off' } });
    expect((await query<{ n: number | string }>(dbFile, 'SELECT COUNT(*) AS n FROM video_recording_chunks')).map((row) => Number(row.n))).toEqual([0]);
    const events = (await query<{ actor: string; event: string; outcome: string }>(dbFile, 'SELECT actor, event, outcome FROM video_recording_audit ORDER BY at_ms')).map((entry) => `${entry.actor} ${entry.event} ${entry.outcome}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'staff:0001 video.recording-consented keep 30 days',
        'staff:0001 video.recording-upload started',
        'staff:0002 video.recording-upload refused-not-your-call',
        'staff:0001 video.recording-list listed 1',
        `staff:8001 video.recording-view ${Buffer.concat(media).length} bytes`,
        'central video.recording-purged retention-ended',
      ]),
    );
  });
});
