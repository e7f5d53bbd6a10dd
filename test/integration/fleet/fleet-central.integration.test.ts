import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import { CONSOLE_PATHS, TerminalDetail, TerminalPage } from '../../../contract/central/console.js';
import { HeartbeatAnswer, type HeartbeatBody } from '../../../contract/central/fleet.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { testCatalog } from '../../support/central-fixture.js';
import { centralDatabases } from '../../support/central-databases.js';
import { consoleRequest, signInToConsole } from '../../support/console-client.js';
import { sampleHeartbeat } from '../../support/fleet-fixture.js';

/**
 * Central's fleet over real HTTP, on SQLite and on PostgreSQL: heartbeats parsed and stored, alerts
 * raised and cleared, the console's sign-in and idle sign-out, configuration validated key by key,
 * silent terminals found with an injected clock. The kiosk's side is in fleet-kiosk.integration.test.ts.
 */
describe.each(centralDatabases())('Fleet at central on $name', (database) => {
  beforeAll(() => database.before());
  afterAll(() => database.after());
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const secrets = { 'TA-0001': randomBytes(16).toString('hex'), 'TA-0002': randomBytes(16).toString('hex') };
  let clock = Date.parse('2026-03-02T02:00:00Z');
  async function start(): Promise<{ central: CentralServer; kiosk: (id: keyof typeof secrets) => CentralClient }> {
    clock = Date.parse('2026-03-02T02:00:00Z');
    const central = await startCentralServer({
      dbFile: await database.create(),
      catalog: testCatalog(),
      terminals: Object.entries(secrets).map(([id, secret]) => ({ id, secret, hall: id === 'TA-0001' ? '泰山区政务服务中心' : '肥城市政务服务中心', district: id === 'TA-0001' ? '370902' : '370983' })),
      staff: [
        { staffNumber: '9001', name: '李工', role: 'technician', pin: '135790' },
        { staffNumber: '0001', name: '王芳', role: 'staff', pin: '246810' },
      ],
      now: () => new Date(clock),
      silentSweepMs: 0,
      consoleIdleMs: 60_000,
    });
    closers.push(() => central.close());
    const kiosk = (id: keyof typeof secrets) => new CentralClient({ baseUrl: central.url, key: { keyId: id, secret: secrets[id] }, timeoutMs: 10_000, now: () => clock });
    return { central, kiosk };
  }
  const beat = async (client: CentralClient, body: HeartbeatBody) => {
    const outcome = await client.call('POST', CENTRAL_PATHS.heartbeat, HeartbeatAnswer, body);
    if (outcome.kind !== 'ok') throw new Error(`heartbeat refused: ${JSON.stringify(outcome)}`);
    return outcome.value;
  };

  it('stores heartbeats, shows each terminal with its devices, and raises and clears a paper-out alert', async () => {
    const { central, kiosk } = await start();
    const technician = await signInToConsole(central.url, '9001', '135790');
    await beat(kiosk('TA-0001'), sampleHeartbeat());
    const paperOut = sampleHeartbeat({
      terminal: { hallName: '肥城市政务服务中心', divisionCode: '370983' },
      devices: [{ id: 'receipt-printer', kind: 'receipt-printer', state: 'userError', paper: 'out', detail: 'paper-out', simulated: true, updatedAt: new Date(clock).toISOString() }],
    });
    await beat(kiosk('TA-0002'), paperOut);
    const page = TerminalPage.parse((await technician.call('GET', `${CONSOLE_PATHS.terminals}?district=370983`)).body);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ terminalId: 'TA-0002', state: 'degraded', alerts: [{ kind: 'paper-out', message: '凭条打印机缺纸，请到现场装纸' }] });
    expect(page.counts).toEqual({ serving: 1, degraded: 1, 'out-of-service': 0, silent: 0 });
    expect(page.districts).toEqual(['370902', '370983']);
    const detail = TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal('TA-0002'))).body);
    expect(detail.heartbeat?.devices.map((device) => [device.kind, device.paper])).toEqual([['receipt-printer', 'out']]);

    clock += 30_000;
    await beat(kiosk('TA-0002'), sampleHeartbeat({ terminal: paperOut.terminal }));
    const after = TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal('TA-0002'))).body);
    expect(after.summary).toMatchObject({ state: 'serving', alerts: [] });
    expect(after.alerts.map((alert) => [alert.kind, alert.clearedAt !== null])).toEqual([['paper-out', true]]);
    expect(after.history.map((entry) => entry.state)).toEqual(['serving', 'degraded']);
  });

  it('refuses a heartbeat that does not parse, naming the field, and one of an unsigned caller', async () => {
    const { central, kiosk } = await start();
    const bad = await kiosk('TA-0001').call('POST', CENTRAL_PATHS.heartbeat, HeartbeatAnswer, { ...sampleHeartbeat(), outbox: { pending: -1, needsStaff: 0, oldestPendingSeconds: null } });
    expect(bad).toMatchObject({ kind: 'permanent', status: 400 });
    const response = await fetch(`${central.url}${CENTRAL_PATHS.heartbeat}`, { method: 'POST', body: JSON.stringify(sampleHeartbeat()) });
    expect(response.status).toBe(401);
  });

  it('raises silent for a terminal three intervals quiet at an injected clock, and clears it with the next heartbeat', async () => {
    const { central, kiosk } = await start();
    await beat(kiosk('TA-0001'), sampleHeartbeat({ intervalSeconds: 60 }));
    clock += 3 * 60_000;
    expect(await central.sweepSilent()).toBe(0);
    clock += 1_000;
    expect(await central.sweepSilent()).toBe(1);
    expect(await central.sweepSilent()).toBe(0);
    const technician = await signInToConsole(central.url, '9001', '135790');
    const silent = TerminalPage.parse((await technician.call('GET', `${CONSOLE_PATHS.terminals}?state=silent`, undefined, true)).body);
    expect(silent.items.map((item) => [item.terminalId, item.alerts.map((alert) => alert.kind)])).toEqual([
      ['TA-0001', ['silent']],
      ['TA-0002', []],
    ]);
    await beat(kiosk('TA-0001'), sampleHeartbeat());
    expect(TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal('TA-0001'))).body).summary).toMatchObject({ state: 'serving', alerts: [] });
  });

  it('refuses a configuration with the key that is wrong, and hands a good one to the terminals it reaches', async () => {
    const { central, kiosk } = await start();
    const technician = await signInToConsole(central.url, '9001', '135790');
    const put = (scope: string, scopeId: string, settings: unknown) => technician.call('POST', CONSOLE_PATHS.configLayer(scope, scopeId), { settings });
    expect(await put('master', '', { session: { idleTimeoutSeconds: 5 } })).toMatchObject({ status: 422, body: { code: 'invalid-config', message: expect.stringContaining('配置项 session.idleTimeoutSeconds 不正确') } });
    expect(await put('master', '', { sesion: { idleTimeoutSeconds: 90 } })).toMatchObject({ status: 422, body: { message: expect.stringContaining('配置项 sesion 不正确') } });
    expect(await put('master', '', { voice: { volume: 1.5 } })).toMatchObject({ status: 422, body: { message: expect.stringContaining('voice.volume') } });
    expect(await put('master', '', { session: { idleTimeoutSeconds: 90 }, voice: { volume: 0.4 } })).toMatchObject({ status: 201, body: { version: 1 } });
    // Alone valid, but with the master's 90 s timeout a 100 s countdown cannot work for TA-0001.
    expect(await put('district', '370902', { session: { idleWarningSeconds: 100 } })).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/TA-0001.*session\.idleWarningSeconds/) },
    });
    expect(await put('district', '370902', { voice: { volume: 0.6 } })).toMatchObject({ status: 201, body: { version: 2 } });

    const answer = await beat(kiosk('TA-0001'), sampleHeartbeat());
    expect(answer.config).toEqual({ version: 2, settings: { session: { idleTimeoutSeconds: 90 }, voice: { volume: 0.6 } } });
    expect((await beat(kiosk('TA-0002'), sampleHeartbeat({ terminal: { hallName: '肥城市政务服务中心', divisionCode: '370983' } }))).config).toEqual({
      version: 1,
      settings: { session: { idleTimeoutSeconds: 90 }, voice: { volume: 0.4 } },
    });
    // Applied: no more configuration in the answers. Rejected: not sent again, and an alert says why.
    expect((await beat(kiosk('TA-0001'), sampleHeartbeat({ config: { appliedVersion: 2, rejected: null, localOverrides: [] } }))).config).toBeNull();
    const rejected = sampleHeartbeat({ terminal: { hallName: '肥城市政务服务中心', divisionCode: '370983' }, config: { appliedVersion: null, rejected: { version: 1, reason: 'printers: 本机没有文书（A4）打印机' }, localOverrides: ['printers'] } });
    expect((await beat(kiosk('TA-0002'), rejected)).config).toBeNull();
    const detail = TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal('TA-0002'))).body);
    expect(detail.summary.alerts).toEqual([{ kind: 'config-rejected', message: '终端未能应用配置版本 1，已恢复上一版：printers: 本机没有文书（A4）打印机' }]);
    expect(detail.heartbeat?.config.localOverrides).toEqual(['printers']);
  });

  it('delivers out-of-service and commands through heartbeat answers until the terminal reports them done', async () => {
    const { central, kiosk } = await start();
    const technician = await signInToConsole(central.url, '9001', '135790');
    expect((await technician.call('POST', CONSOLE_PATHS.outOfService('TA-0001'), { message: '设备检修，暂停服务' })).status).toBe(204);
    const issued = (await technician.call('POST', CONSOLE_PATHS.commands('TA-0001'), { kind: 'run-self-test' })).body as { id: string };
    const first = await beat(kiosk('TA-0001'), sampleHeartbeat());
    expect(first.outOfService).toEqual({ message: '设备检修，暂停服务' });
    expect(first.commands).toEqual([expect.objectContaining({ id: issued.id, kind: 'run-self-test', issuedBy: '9001' })]);
    const done = await beat(kiosk('TA-0001'), sampleHeartbeat({ commandResults: [{ id: issued.id, outcome: 'done', note: '0 failed', at: new Date(clock).toISOString() }] }));
    expect(done.commands).toEqual([]);
    expect((await technician.call('POST', CONSOLE_PATHS.outOfService('TA-0001'), { message: null })).status).toBe(204);
    expect((await beat(kiosk('TA-0001'), sampleHeartbeat())).outOfService).toBeNull();
    const detail = TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal('TA-0001'))).body);
    expect(detail.commands).toEqual([expect.objectContaining({ id: issued.id, outcome: 'done', note: '0 failed' })]);
  });

  it('lets only technicians and managers into the fleet, locks a 工号 after five wrong PINs, and signs out an idle console', async () => {
    const { central } = await start();
    const staff = await signInToConsole(central.url, '0001', '246810');
    expect(await staff.call('GET', CONSOLE_PATHS.terminals)).toMatchObject({ status: 403, body: { code: 'console-role' } });
    expect(await consoleRequest(central.url, 'GET', CONSOLE_PATHS.terminals, 'not-a-real-token-at-all')).toMatchObject({ status: 401 });
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await consoleRequest(central.url, 'POST', CONSOLE_PATHS.signIn, null, { staffNumber: '9001', pin: '000000' })).status).toBe(401);
    }
    expect(await consoleRequest(central.url, 'POST', CONSOLE_PATHS.signIn, null, { staffNumber: '9001', pin: '135790' })).toMatchObject({ status: 423, body: { code: 'staff-locked' } });

    const technician = await signInToConsole(central.url, '0001', '246810');
    clock += 50_000;
    expect((await technician.call('GET', CONSOLE_PATHS.me, undefined, true)).status).toBe(200);
    clock += 20_000;
    // Background polls did not count as activity: a minute after the last action, signed out.
    expect(await technician.call('GET', CONSOLE_PATHS.me)).toMatchObject({ status: 401, body: { code: 'console-signed-out' } });
    const again = await signInToConsole(central.url, '0001', '246810');
    expect((await again.call('POST', CONSOLE_PATHS.signOut)).status).toBe(204);
    expect((await again.call('GET', CONSOLE_PATHS.me)).status).toBe(401);
  });
});
