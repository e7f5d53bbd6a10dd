import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelRequest, ChannelResponse } from '../../contract/channels.js';
import type { Result } from '../../contract/result.js';
import { DeviceOverridesFile, withReaderOverride } from '../../host/services/device-overrides.js';
import { SqlitePrintJournalStore } from '../../host/services/print-journal-store.js';
import { PrintJournal } from '../../print-templates/journal.js';
import { startDemoStack, type DemoStack } from '../../scripts/demo-stack.js';

/**
 * Staff and technician mode through the real host (demo stack: simulated reader and ESC/POS printer on
 * their real drivers, real outbox and print journal in SQLite, real central over HTTP), called the way
 * the bridge calls it: with the host's own context, so sign-in really opens the channels.
 */
const ZHANG_ID = '370902196803151236';
/** Over 60: the holder 老年人优待证 is for (its eligibility rules refuse 张建华, who is 58). */
const SUN_ID = '370921194406102625';
const SUN_NAME = '孙桂兰';

let stack: DemoStack;

async function call<Name extends ChannelName>(name: Name, request: ChannelRequest<Name> = {} as ChannelRequest<Name>): Promise<Result<ChannelResponse<Name>>> {
  return (await stack.host.dispatch(name, request, stack.host.context())) as Result<ChannelResponse<Name>>;
}

async function value<Name extends ChannelName>(name: Name, request?: ChannelRequest<Name>): Promise<ChannelResponse<Name>> {
  const result = await call(name, request);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Polls an async probe until it gives a value (test/e2e's `eventually` takes synchronous probes only). */
async function until<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readerDetails() {
  return value('device:list-details').then((devices) => devices.find((device) => device.kind === 'id-card-reader'));
}

beforeAll(async () => {
  stack = await startDemoStack({ bridge: 'none', serveRenderer: false, submitWaitMs: 3_000 });
});

afterAll(async () => {
  await stack?.close();
});

afterEach(async () => {
  await call('staff:sign-out');
});

describe('technician mode', () => {
  it('shows the simulated reader with its SAM ID, and a test read comes back masked without starting a citizen session', async () => {
    expect(await call('device:list-details')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('staff:sign-in', { number: '9001', pin: '135790' })).toMatchObject({ ok: true, value: { role: 'technician', name: '演示运维人员' } });

    const reader = await until(async () => {
      const details = await readerDetails();
      return details?.state === 'online' && details.serialNumber ? details : null;
    }, 10_000, 'the reader to come online');
    expect(reader).toMatchObject({ simulated: true, summary: '正常', setting: '配置文件：模拟读卡器' });
    expect(reader.serialNumber).toMatch(/\d/);
    expect(reader.firmware).toMatch(/^SAM /);

    const reading = call('device:test-read', { timeoutSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    stack.host.devices.simulators?.idCard?.placeCard('resident-zhang');
    const result = await reading;
    expect(result).toMatchObject({ ok: true, value: { outcome: 'read', cardType: 'resident', nameMasked: '张*华', idNumberMasked: '370***********1236', expired: false } });
    expect(JSON.stringify(result)).not.toContain(ZHANG_ID);
    expect(await stack.host.dispatch('session:get', {}, stack.host.context())).toEqual({ ok: true, value: null });
    stack.host.devices.simulators?.idCard?.removeCard();
  });

  it('sets the reader port live, persists it, and goes back to the configured reader; each change is audited', async () => {
    await value('staff:sign-in', { number: '9001', pin: '135790' });
    const file = join(stack.config.dataDir, 'device-overrides.json');

    const moved = await value('device:configure', { deviceId: 'id-card-reader', setting: { kind: 'serial', path: '/dev/ttyKIOSKTEST0', baudRate: 9600 } });
    expect(moved.setting).toBe('运维设置：串口 /dev/ttyKIOSKTEST0@9600');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ idCardReader: { kind: 'serial', path: '/dev/ttyKIOSKTEST0', baudRate: 9600 } });
    await until(async () => ((await readerDetails())?.state === 'noDevice' ? true : null), 10_000, 'the reader to lose the simulator');

    const back = await value('device:configure', { deviceId: 'id-card-reader', setting: { kind: 'configured' } });
    expect(back).toMatchObject({ state: 'online', setting: '配置文件：模拟读卡器' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});

    const audit = stack.host.outbox.audit.entries().filter((entry) => entry.event === 'device.configure');
    expect(audit.map((entry) => [entry.actor, entry.subject, entry.outcome])).toEqual([
      ['staff:9001', 'id-card-reader', '运维设置：串口 /dev/ttyKIOSKTEST0@9600'],
      ['staff:9001', 'id-card-reader', '配置文件：模拟读卡器'],
    ]);
    expect(stack.host.outbox.audit.verify()).toMatchObject({ intact: true });
  });

  it('assigns printers, refuses a printer the kiosk does not have, and keeps the choice on disk', async () => {
    await value('staff:sign-in', { number: '9001', pin: '135790' });
    expect(await value('printer:assign', { receipts: 'document-printer', documents: 'document-printer' })).toEqual({ receipts: 'document-printer', documents: 'document-printer' });
    expect(new DeviceOverridesFile(stack.config.dataDir).load().overrides.printers).toEqual({ receipts: 'document-printer', documents: 'document-printer' });
    expect(await value('printer:assign', { receipts: 'receipt-printer', documents: 'document-printer' })).toEqual({ receipts: 'receipt-printer', documents: 'document-printer' });
    expect((await value('diagnostics:get')).printAssignment).toEqual({ receipts: 'receipt-printer', documents: 'document-printer' });
  });

  it('prints an ESC/POS test page, and reports diagnostics without personal data', async () => {
    await value('staff:sign-in', { number: '9001', pin: '135790' });
    const printer = stack.host.devices.simulators?.receiptPrinter;
    const before = printer?.receipts.length ?? 0;
    expect(await value('printer:test-page', { printerId: 'receipt-printer' })).toMatchObject({ printerId: 'receipt-printer', printed: true });
    const page = printer?.receipts[before]?.join('\n') ?? '';
    expect(page).toContain('打印测试页');
    expect(page).toContain('9001');

    const diagnostics = await value('diagnostics:get');
    expect(diagnostics).toMatchObject({ terminalId: 'TA-DEMO-0001', mode: 'demo', keyProtection: expect.any(String), audit: { intact: true } });
    expect(diagnostics.audit.entries).toBeGreaterThan(0);
    expect(diagnostics.recentLog.length).toBeGreaterThan(0);
    expect(diagnostics.recentLog.some((line) => line.event === 'print.test-page')).toBe(true);
  });

  it('keeps staff away from device set-up', async () => {
    await value('staff:sign-in', { number: '0001', pin: '246810' });
    expect(await call('device:probe')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await call('print:list-pending')).ok).toBe(true);
  });
});

describe('applications that need staff', () => {
  it('are listed to signed-in staff only, and a requeue is audited under the 工号 that did it', async () => {
    const outbox = stack.host.outbox;
    const item = outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-test', payload: (localNumber) => ({ localNumber }) });
    outbox.markNeedsStaff(item, 'central refused: unknown-service');
    expect(await call('outbox:list-pending')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('outbox:requeue', { localNumber: item.localNumber })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await value('staff:sign-in', { number: '0001', pin: '246810' });
    expect((await value('outbox:list-pending')).some((entry) => entry.localNumber === item.localNumber)).toBe(true);
    expect(await value('outbox:requeue', { localNumber: item.localNumber })).toEqual({ requeued: 1 });
    const requeued = outbox.audit.entries().filter((entry) => entry.event === 'outbox.requeued' && entry.subject === item.localNumber);
    expect(requeued.map((entry) => entry.actor)).toEqual(['staff:0001']);
    expect(outbox.audit.verify()).toMatchObject({ intact: true });
  });
});

describe('receipts that cannot print', () => {
  it('are kept in the journal, alert staff, and are reprinted from the outbox record by 补打', async () => {
    const printer = stack.host.devices.simulators?.receiptPrinter;
    if (!printer) throw new Error('demo printer missing');
    printer.setPaper('out');

    // A citizen submits while the printer is out of paper.
    await value('session:start', { serviceId: 'senior-preferential-card' });
    stack.host.devices.simulators?.idCard?.placeCard('resident-sun');
    await until(async () => ((await value('session:get'))?.identity ? true : null), 10_000, 'the card to be read');
    // 人证核验 (issue 14): hall staff confirm the citizen in person before the application.
    await value('identity:staff-check', { number: '0001', pin: '246810' });
    const form = await value('application:prefill', { serviceId: 'senior-preferential-card' });
    const [licence] = await value('licence:lookup', { licenceType: 'household-register' });
    const printedBefore = printer.receipts.length;
    const outcome = await value('application:submit', {
      serviceId: 'senior-preferential-card',
      answers: {},
      form: { ...form, division: '370921' },
      materials: { 'id-card': { kind: 'shared-data' }, photo: { kind: 'shared-data' }, 'household-register': { kind: 'e-licence', licenceId: licence?.licenceId ?? '' } },
    });
    expect(outcome.receipt).toMatchObject({ printed: false, notice: expect.stringContaining('缺纸') });
    expect(outcome.receipt.notice).toContain('二维码');
    expect(printer.receipts.length).toBe(printedBefore);
    await value('session:end', { reason: 'completed' });
    stack.host.devices.simulators?.idCard?.removeCard();

    // Staff see it pending; the journal on disk holds no personal data.
    await value('staff:sign-in', { number: '0001', pin: '246810' });
    const alerts = await value('staff:list-alerts');
    expect(alerts.find((alert) => alert.kind === 'print-pending' && alert.reference === outcome.localNumber)?.message).toContain('打印机缺纸');
    expect(alerts.some((alert) => alert.kind === 'printer-not-ready' && alert.message === '凭条打印机缺纸，请装纸')).toBe(true);
    const pending = await value('print:list-pending');
    const job = pending.find((entry) => entry.localNumber === outcome.localNumber);
    expect(job).toMatchObject({ document: 'receipt', documentLabel: '受理回执', lastReason: 'paper-out', reprintable: true, caseNumber: outcome.caseNumber });
    const journalBytes = readFileSync(join(stack.config.dataDir, 'print-journal.sqlite'));
    expect(journalBytes.includes(Buffer.from(SUN_ID))).toBe(false);
    expect(journalBytes.includes(Buffer.from(SUN_NAME))).toBe(false);

    // Reprinting while the paper is still out keeps it pending.
    expect(await value('print:reprint', { jobId: job?.jobId ?? '' })).toMatchObject({ printed: false });

    printer.setPaper('ok');
    expect(await value('print:reprint', { jobId: job?.jobId ?? '' })).toEqual({ printed: true });
    const reprint = printer.receipts.at(-1)?.join('\n') ?? '';
    expect(reprint).toContain('受理回执');
    expect(reprint).toContain(outcome.localNumber);
    expect(reprint).toContain('孙*兰');
    expect(reprint).not.toContain(SUN_ID);
    expect((await value('print:list-pending')).some((entry) => entry.jobId === job?.jobId)).toBe(false);
    expect(await call('print:reprint', { jobId: job?.jobId ?? '' })).toMatchObject({ ok: false, error: { code: 'already-printed' } });

    const entry = stack.host.printing.job(job?.jobId ?? '');
    expect(entry?.attempts.map((attempt) => [attempt.outcome, attempt.reason ?? null, attempt.staffId ?? null])).toEqual([
      ['not-ready', 'paper-out', null],
      ['not-ready', 'paper-out', '0001'],
      ['printed', null, '0001'],
    ]);
    const audit = stack.host.outbox.audit.entries().filter((line) => line.event === 'print.reprint');
    expect(audit.map((line) => [line.actor, line.subject, line.outcome])).toEqual([
      ['staff:0001', outcome.localNumber, 'not-printed'],
      ['staff:0001', outcome.localNumber, 'printed'],
    ]);
  });
});

describe('SqlitePrintJournalStore', () => {
  it('keeps a pending job across a reopen, in creation order', () => {
    const file = join(stack.dataDir, 'journal-reopen.sqlite');
    const first = new SqlitePrintJournalStore(file);
    const journal = new PrintJournal(first);
    journal.open('00000000-0000-4000-8000-000000000001', 'receipt', 'L20250314-0001');
    journal.open('00000000-0000-4000-8000-000000000002', 'receipt', 'L20250314-0002');
    journal.record('00000000-0000-4000-8000-000000000001', { printerId: 'receipt-printer', outcome: 'not-ready', reason: 'paper-out' });
    journal.record('00000000-0000-4000-8000-000000000002', { printerId: 'receipt-printer', outcome: 'printed' });
    first.close();

    const second = new SqlitePrintJournalStore(file);
    const reopened = new PrintJournal(second);
    expect(reopened.pending().map((entry) => entry.caseReference)).toEqual(['L20250314-0001']);
    expect(second.pending()).toEqual(reopened.pending());
    expect(second.list().map((entry) => entry.state)).toEqual(['pending', 'printed']);
    expect(new Database(file, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM print_journal').get()).toEqual({ n: 2 });
    second.close();
  });
});

describe('device overrides', () => {
  it('round-trip through the file, ignore a damaged one, and override the configuration at start-up', () => {
    const overrides = new DeviceOverridesFile(join(stack.dataDir));
    expect(overrides.load()).toEqual({ overrides: {}, problem: null });
    overrides.save({ idCardReader: { kind: 'hid', vendorId: 0x0400, productId: 0xc35a } });
    const { overrides: saved } = overrides.load();
    // A setting saved before reportId existed reads as a reader without numbered reports.
    expect(withReaderOverride(stack.config, saved.idCardReader).devices.idCardReader).toEqual({ kind: 'hid', vendorId: 0x0400, productId: 0xc35a, reportId: 0 });
    expect(withReaderOverride(stack.config, { kind: 'configured' })).toBe(stack.config);
    writeFileSync(overrides.file, '{ half a file');
    expect(overrides.load()).toEqual({ overrides: {}, problem: 'not-json' });
    writeFileSync(overrides.file, '');
    expect(overrides.load()).toEqual({ overrides: {}, problem: 'empty' });
    expect(existsSync(`${overrides.file}.tmp`)).toBe(false);
  });
});
