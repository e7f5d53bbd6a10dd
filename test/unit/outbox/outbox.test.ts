import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStorageFailure, Outbox } from '../../../host/services/outbox.js';
import { submissionBody, temporaryDirectories, testIdNumber } from '../../support/central-fixture.js';

const directories = temporaryDirectories();
const opened: Outbox[] = [];
afterEach(() => {
  for (const outbox of opened.splice(0)) outbox.close();
  directories.cleanup();
});

function makeOutbox(options: { clock?: { now: number }; cipher?: 'aes-256-gcm' | 'sm4-cbc-hmac-sm3'; dir?: string; key?: Buffer } = {}) {
  const dir = options.dir ?? directories.make();
  const clock = options.clock ?? { now: Date.parse('2026-03-02T08:00:00Z') };
  const key = options.key ?? randomBytes(32);
  const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), key, terminalId: 'TA-TEST-0001', now: () => clock.now, ...(options.cipher ? { cipher: options.cipher } : {}) });
  opened.push(outbox);
  return { outbox, dir, clock, key };
}

function enqueueApplication(outbox: Outbox, idNumber = testIdNumber()) {
  return outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-0123456789ab', payload: (localNumber) => submissionBody(localNumber, idNumber) });
}

/** Every byte of the outbox files (database, WAL, shared memory), as Latin-1 so any ASCII run is findable. */
function filesText(dir: string): string {
  return readdirSync(dir)
    .filter((name) => name.startsWith('outbox.sqlite'))
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('\n');
}

describe('Outbox', () => {
  it('numbers items per terminal and day and keeps them pending until acknowledged', () => {
    const { outbox } = makeOutbox();
    const first = enqueueApplication(outbox);
    const second = enqueueApplication(outbox);
    expect(first.localNumber).toBe('TA-TEST-0001-20260302-0001');
    expect(second.localNumber).toBe('TA-TEST-0001-20260302-0002');
    // What enqueue returns is the row as stored (it is built, not read back).
    expect(outbox.get(first.localNumber)).toEqual(first);
    expect(outbox.depth()).toEqual({ pending: 2, needsStaff: 0 });
    expect(outbox.payload(first)).toMatchObject({ localNumber: first.localNumber });
    const rating = outbox.enqueue({ kind: 'rating', serviceId: 'svc', applicantPseudonym: 'p-0', localNumber: `${first.localNumber}-R`, after: first.localNumber, payload: () => ({}) });
    expect(outbox.get(rating.localNumber)).toEqual(rating);
  });

  it("dates local numbers by the day in Beijing, whatever the machine's time zone, and restarts the sequence at Beijing midnight", () => {
    const clock = { now: Date.parse('2026-11-28T15:59:59Z') }; // 23:59:59 on the 28th in Beijing
    const { outbox } = makeOutbox({ clock });
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20261128-0001');
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20261128-0002');
    clock.now = Date.parse('2026-11-28T16:00:00Z'); // 00:00 on the 29th
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20261129-0001');
    clock.now = Date.parse('2026-11-28T23:30:00Z'); // 07:30 on the 29th: UTC still says the 28th
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20261129-0002');
  });

  it.each(['aes-256-gcm', 'sm4-cbc-hmac-sm3'] as const)('never writes the plaintext ID number to its files (%s)', (cipher) => {
    const { outbox, dir } = makeOutbox({ cipher });
    const idNumber = testIdNumber(512);
    const item = enqueueApplication(outbox, idNumber);
    outbox.markDelivered(item, 'TA20260302000001', { caseNumber: 'TA20260302000001', localNumber: item.localNumber, status: 'accepted', reasons: [] });
    expect(filesText(dir)).not.toContain(idNumber);
    expect(filesText(dir)).not.toContain('测试申请人');
    expect(outbox.payload(item)).toMatchObject({ applicant: { idNumber } });
  });

  it('purges personal data only a configured time after acknowledgement, each purge with an audit entry', () => {
    const { outbox, clock } = makeOutbox();
    const delivered = enqueueApplication(outbox);
    const pending = enqueueApplication(outbox);
    const staff = enqueueApplication(outbox);
    outbox.markDelivered(delivered, 'TA20260302000001', { caseNumber: 'TA20260302000001' });
    outbox.markNeedsStaff(staff, 'permanent: bad-request');
    clock.now += 71 * 3600_000;
    expect(outbox.purgeDelivered(72 * 3600_000)).toEqual([]);
    clock.now += 2 * 3600_000;
    expect(outbox.purgeDelivered(72 * 3600_000).map((item) => item.localNumber)).toEqual([delivered.localNumber]);
    expect(outbox.payload(delivered)).toBeNull();
    expect(outbox.payload(pending)).not.toBeNull();
    expect(outbox.payload(staff)).not.toBeNull();
    const events = outbox.audit.entries().map((entry) => [entry.event, entry.subject]);
    expect(events).toEqual([
      ['outbox.needs-staff', staff.localNumber],
      ['outbox.personal-data-purged', delivered.localNumber],
    ]);
    expect(outbox.get(delivered.localNumber)).toMatchObject({ state: 'delivered', caseNumber: 'TA20260302000001' });
  });

  it('keeps needs-staff items listed until staff requeue them, and audits both moves', () => {
    const { outbox } = makeOutbox();
    const item = enqueueApplication(outbox);
    outbox.markNeedsStaff(item, 'needs-staff: signature-stale-timestamp');
    expect(outbox.list('needs-staff').map((listed) => listed.localNumber)).toEqual([item.localNumber]);
    expect(outbox.due()).toEqual([]);
    expect(outbox.requeue(item.localNumber, 'staff:A0012')).toBe(true);
    expect(outbox.requeue(item.localNumber, 'staff:A0012')).toBe(false);
    expect(outbox.due().map((due) => due.localNumber)).toEqual([item.localNumber]);
    expect(outbox.audit.entries().map((entry) => [entry.actor, entry.event])).toEqual([
      ['drainer', 'outbox.needs-staff'],
      ['staff:A0012', 'outbox.requeued'],
    ]);
  });

  it('sends a rating only after the application it rates was delivered', () => {
    const { outbox } = makeOutbox();
    const application = enqueueApplication(outbox);
    outbox.enqueue({ kind: 'rating', localNumber: `${application.localNumber}-R`, serviceId: 'svc', applicantPseudonym: '-', after: application.localNumber, payload: () => ({}) });
    expect(outbox.due().map((item) => item.kind)).toEqual(['application']);
    outbox.markDelivered(application, 'TA1', { caseNumber: 'TA1' });
    expect(outbox.due().map((item) => item.kind)).toEqual(['rating']);
  });

  it('survives reopening: what was enqueued is there with the same key and number', () => {
    const { outbox, dir, key, clock } = makeOutbox();
    const item = enqueueApplication(outbox);
    outbox.close();
    opened.splice(opened.indexOf(outbox), 1);
    const { outbox: reopened } = makeOutbox({ dir, key, clock });
    expect(reopened.get(item.localNumber)).toMatchObject({ idempotencyKey: item.idempotencyKey, state: 'pending' });
    expect(enqueueApplication(reopened).localNumber).toBe('TA-TEST-0001-20260302-0002');
  });
});

describe('AuditChain', () => {
  it('verifies an intact chain and finds the entry someone edited behind the triggers', () => {
    const { outbox, dir } = makeOutbox();
    for (let index = 0; index < 3; index++) outbox.markNeedsStaff(enqueueApplication(outbox), `permanent: case ${index}`);
    expect(outbox.audit.verify()).toEqual({ intact: true, entries: 3 });
    const raw = new Database(join(dir, 'outbox.sqlite'));
    raw.exec('DROP TRIGGER audit_no_update');
    raw.prepare("UPDATE audit SET outcome = 'nothing happened' WHERE sequence = 2").run();
    raw.close();
    expect(outbox.audit.verify()).toEqual({ intact: false, brokenAt: 2 });
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const { outbox, dir } = makeOutbox();
    outbox.markNeedsStaff(enqueueApplication(outbox), 'permanent: x');
    const raw = new Database(join(dir, 'outbox.sqlite'));
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => raw.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/append-only/);
    raw.close();
  });
});

describe('isStorageFailure', () => {
  it('recognises a full disk and I/O faults, and nothing else', () => {
    expect(isStorageFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isStorageFailure(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }))).toBe(true);
    expect(isStorageFailure(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe(true);
    expect(isStorageFailure(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(isStorageFailure(new Error('plain'))).toBe(false);
  });
});

describe('Outbox local numbers', () => {
  it('continue after a rating and past 9999 in a day without repeating', () => {
    const { outbox } = makeOutbox();
    const first = enqueueApplication(outbox);
    outbox.enqueue({ kind: 'rating', localNumber: `${first.localNumber}-R`, serviceId: 'svc', applicantPseudonym: '-', payload: () => ({}) });
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20260302-0002');
    outbox.enqueue({ kind: 'application', localNumber: 'TA-TEST-0001-20260302-9999', serviceId: 'svc', applicantPseudonym: '-', payload: () => ({}) });
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20260302-10000');
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20260302-10001');
  });

  it('restart at 0001 the next day', () => {
    const clock = { now: Date.parse('2026-03-02T15:00:00Z') };
    const { outbox } = makeOutbox({ clock });
    enqueueApplication(outbox);
    clock.now += 24 * 3600_000;
    expect(enqueueApplication(outbox).localNumber).toBe('TA-TEST-0001-20260303-0001');
  });
});
