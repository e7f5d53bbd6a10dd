import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HELP_CALL_PATHS, HelpCall, HelpCallList, HelpDeskOverview } from '../../../contract/help-call.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { testCatalog } from '../../support/central-fixture.js';
import { centralDatabases } from '../../support/central-databases.js';
import { signInToConsole, type ConsoleCaller } from '../../support/console-client.js';

/**
 * Help calls at central (issue 12) over real HTTP, on SQLite and on PostgreSQL: kiosks file calls (a
 * resend is the same call), the hall's queue orders them, staff accept and close them under their 工号,
 * the kiosk and the console learn of changes by long-poll — also when the change was made by another
 * central process on the same database — and nobody else's call can be read or changed.
 */
describe.each(centralDatabases())('Help calls at central on $name', (database) => {
  beforeAll(() => database.before());
  afterAll(() => database.after());
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const secrets = { 'TA-0001': randomBytes(16).toString('hex'), 'TA-0002': randomBytes(16).toString('hex'), 'TA-0003': randomBytes(16).toString('hex') };
  const halls = { 'TA-0001': '泰山区政务服务中心', 'TA-0002': '泰山区政务服务中心', 'TA-0003': '肥城市政务服务中心' };
  const serverOptions = (dbFile: string) => ({
    dbFile,
    catalog: testCatalog(),
    terminals: Object.entries(secrets).map(([id, secret]) => ({ id, secret, hall: halls[id as keyof typeof halls], district: '370902' })),
    staff: [
      { staffNumber: '0001', name: '王芳', role: 'staff' as const, pin: '246810' },
      { staffNumber: '0002', name: '赵磊', role: 'staff' as const, pin: '135246' },
      { staffNumber: '9001', name: '李工', role: 'technician' as const, pin: '135790' },
    ],
    silentSweepMs: 0,
  });
  async function start(dbFile?: string): Promise<{ central: CentralServer; dbFile: string; kiosk: (id: keyof typeof secrets) => CentralClient }> {
    const file = dbFile ?? (await database.create());
    const central = await startCentralServer(serverOptions(file));
    closers.push(() => central.close());
    const kiosk = (id: keyof typeof secrets) => new CentralClient({ baseUrl: central.url, key: { keyId: id, secret: secrets[id] }, timeoutMs: 40_000 });
    return { central, dbFile: file, kiosk };
  }
  const file = async (client: CentralClient, screen = 'form', serviceId: string | null = null, id = randomUUID()) => {
    const outcome = await client.call('POST', HELP_CALL_PATHS.file, HelpCall, { id, screen, serviceId, createdAt: new Date().toISOString() });
    if (outcome.kind !== 'ok') throw new Error(`help call refused: ${JSON.stringify(outcome)}`);
    return outcome.value;
  };
  const list = async (staff: ConsoleCaller, after?: number) => HelpCallList.parse((await staff.call('GET', `${HELP_CALL_PATHS.consoleList}${after === undefined ? '' : `?after=${after}`}`, undefined, true)).body);

  it('queues a hall’s calls oldest first, with the service named and no second entry for a resend', async () => {
    const { central, kiosk } = await start();
    const staff = await signInToConsole(central.url, '0001', '246810');
    const service = testCatalog().services[0];
    const first = await file(kiosk('TA-0001'), 'form', service?.id ?? null);
    expect(first).toMatchObject({ state: 'new', terminalId: 'TA-0001', hall: '泰山区政务服务中心', screen: 'form', serviceName: service?.name, queuePosition: 1, acceptedBy: null });
    const second = await file(kiosk('TA-0002'), 'home');
    expect(second.queuePosition).toBe(2);
    // Another hall has its own queue.
    expect((await file(kiosk('TA-0003'), 'home')).queuePosition).toBe(1);
    // The kiosk lost the answer and sends the same call again: the same call, no second entry.
    const again = await kiosk('TA-0001').call('POST', HELP_CALL_PATHS.file, HelpCall, { id: first.id, screen: 'form', serviceId: service?.id ?? null, createdAt: first.createdAt });
    expect(again).toMatchObject({ kind: 'ok', status: 200, value: { id: first.id, queuePosition: 1 } });
    const all = await list(staff);
    expect(all.calls.map((call) => call.terminalId)).toEqual(['TA-0001', 'TA-0002', 'TA-0003']);
    const hall = HelpCallList.parse((await staff.call('GET', `${HELP_CALL_PATHS.consoleList}?hall=${encodeURIComponent('肥城市政务服务中心')}`)).body);
    expect(hall.calls.map((call) => call.terminalId)).toEqual(['TA-0003']);
  });

  it('wakes a console long-poll with a new call, and a kiosk long-poll with its acceptance and closing', async () => {
    const { central, kiosk } = await start();
    const staff = await signInToConsole(central.url, '0001', '246810');
    const before = await list(staff);
    const poll = list(staff, before.revision);
    const call = await file(kiosk('TA-0001'));
    const woken = await poll;
    expect(woken.calls.map((entry) => entry.id)).toContain(call.id);
    expect(woken.revision).toBeGreaterThan(before.revision);

    const waiting = kiosk('TA-0001').call('GET', `${HELP_CALL_PATHS.wait(call.id)}?after=${call.revision}`, HelpCall);
    const accepted = await staff.call('POST', HELP_CALL_PATHS.consoleAccept(call.id), {});
    expect(accepted.status).toBe(200);
    expect(await waiting).toMatchObject({ kind: 'ok', value: { state: 'accepted', acceptedBy: '0001', queuePosition: null } });

    // A second staff member cannot take it too; the answer says who did.
    const colleague = await signInToConsole(central.url, '0002', '135246');
    const twice = await colleague.call('POST', HELP_CALL_PATHS.consoleAccept(call.id), {});
    expect(twice).toMatchObject({ status: 409, body: { code: 'help-call-state' } });
    expect((twice.body as { message: string }).message).toContain('0001');

    const acceptedView = HelpCall.parse(accepted.body);
    const closing = kiosk('TA-0001').call('GET', `${HELP_CALL_PATHS.wait(call.id)}?after=${acceptedView.revision}`, HelpCall);
    expect((await staff.call('POST', HELP_CALL_PATHS.consoleClose(call.id), {})).status).toBe(200);
    expect(await closing).toMatchObject({ kind: 'ok', value: { state: 'closed' } });
    // The kiosk's late cancel leaves a closed call closed.
    expect(await kiosk('TA-0001').call('POST', HELP_CALL_PATHS.cancel(call.id), HelpCall, {})).toMatchObject({ kind: 'ok', value: { state: 'closed' } });
  });

  it('moves the queue when a call ahead is cancelled, and tells the waiting kiosk its new place', async () => {
    const { kiosk } = await start();
    const first = await file(kiosk('TA-0001'));
    const second = await file(kiosk('TA-0002'));
    const waiting = kiosk('TA-0002').call('GET', `${HELP_CALL_PATHS.wait(second.id)}?after=${second.revision}`, HelpCall);
    expect(await kiosk('TA-0001').call('POST', HELP_CALL_PATHS.cancel(first.id), HelpCall, {})).toMatchObject({ kind: 'ok', value: { state: 'cancelled' } });
    expect(await waiting).toMatchObject({ kind: 'ok', value: { state: 'new', queuePosition: 1 } });
  });

  it('lets no terminal read or cancel another’s call, and no technician work the help desk', async () => {
    const { central, kiosk } = await start();
    const call = await file(kiosk('TA-0001'));
    expect(await kiosk('TA-0002').call('GET', HELP_CALL_PATHS.wait(call.id), HelpCall)).toMatchObject({ kind: 'permanent', status: 404 });
    expect(await kiosk('TA-0002').call('POST', HELP_CALL_PATHS.cancel(call.id), HelpCall, {})).toMatchObject({ kind: 'permanent', status: 404 });
    // The same id filed by another terminal is not theirs to see.
    const taken = await kiosk('TA-0002').call('POST', HELP_CALL_PATHS.file, HelpCall, { id: call.id, screen: 'home', serviceId: null, createdAt: new Date().toISOString() });
    expect(taken).toMatchObject({ kind: 'retry', reason: 'help-call-conflict' });
    const technician = await signInToConsole(central.url, '9001', '135790');
    expect((await technician.call('GET', HELP_CALL_PATHS.consoleList)).status).toBe(403);
    // A malformed call is refused before it reaches the queue.
    const bad = await kiosk('TA-0001').call('POST', HELP_CALL_PATHS.file, HelpCall, { id: 'not-a-uuid', screen: 'Form!', serviceId: null, createdAt: 'yesterday' });
    expect(bad).toMatchObject({ kind: 'permanent', status: 400 });
  });

  it('wakes a long-poll on one central process with a call filed through another on the same database', async () => {
    const first = await start();
    const second = await start(first.dbFile);
    const staff = await signInToConsole(first.central.url, '0001', '246810');
    const before = await list(staff);
    const poll = list(staff, before.revision);
    const call = await file(second.kiosk('TA-0001'));
    expect((await poll).calls.map((entry) => entry.id)).toContain(call.id);
  });

  it('shows the desk the cases sent to 工作人员审核 and nothing of a kiosk that has sent everything', async () => {
    const { central } = await start();
    const staff = await signInToConsole(central.url, '0001', '246810');
    const overview = HelpDeskOverview.parse((await staff.call('GET', HELP_CALL_PATHS.consoleOverview)).body);
    expect(overview).toEqual({ reviewCases: [], stuckKiosks: [], alerts: [] });
  });
});
