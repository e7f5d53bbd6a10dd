import { copyFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { chinaDay } from '../../../contract/china-time.js';
import { LocalNumberReservations, RESERVATION_BLOCK } from '../../../host/services/local-numbers.js';
import { openCheckedOutbox } from '../../../host/services/outbox-integrity.js';
import type { Outbox } from '../../../host/services/outbox.js';
import { submissionBody, temporaryDirectories } from '../../support/central-fixture.js';
import { checkpoint, corruptPage, pagesOf } from '../../support/storage-damage.js';

/**
 * Issue 10, kinds 1 and 2 at the outbox: damage is found, what can be read is kept, what cannot is listed
 * for staff, and a new or recovered outbox never hands out a number again.
 */
const directories = temporaryDirectories();
const open: Outbox[] = [];
afterEach(() => {
  for (const outbox of open.splice(0)) outbox.close();
  directories.cleanup();
});

const TERMINAL = 'TA-TEST-0001';

function rig() {
  const dir = directories.make('taian-damage-');
  const key = randomBytes(32);
  const file = join(dir, 'outbox.sqlite');
  const numbersFile = join(dir, 'local-numbers.json');
  const acknowledged: string[] = [];
  const openOutbox = () => {
    const opened = openCheckedOutbox({ file, key, terminalId: TERMINAL, localNumbers: new LocalNumberReservations(numbersFile), acknowledgedLocalNumbers: () => acknowledged });
    open.push(opened.outbox);
    return opened;
  };
  const closeAll = () => {
    for (const outbox of open.splice(0)) outbox.close();
  };
  /** An application as the kiosk takes it: enqueued, then its receipt journalled (here: remembered). */
  const submit = (outbox: Outbox, filler = 1_500) => {
    const item = outbox.enqueue({
      kind: 'application',
      serviceId: 'svc',
      applicantPseudonym: 'p-1',
      payload: (localNumber) => ({ ...submissionBody(localNumber), note: 'x'.repeat(filler) }),
    });
    acknowledged.push(item.localNumber);
    return item;
  };
  return { dir, key, file, numbersFile, acknowledged, openOutbox, closeAll, submit };
}

/** Each acknowledged application is either kept (readable, still to send) or listed for staff as lost. */
function accountFor(outbox: Outbox, acknowledged: readonly string[]) {
  const kept: string[] = [];
  const listed: string[] = [];
  const unaccounted: string[] = [];
  for (const localNumber of acknowledged) {
    const item = outbox.get(localNumber);
    if (item?.state === 'pending' && outbox.payload(item) !== null) kept.push(localNumber);
    else if (item?.state === 'needs-staff' && item.lastError?.startsWith('lost:')) listed.push(localNumber);
    else unaccounted.push(localNumber);
  }
  return { kept, listed, unaccounted };
}

describe('openCheckedOutbox', () => {
  it('finds one corrupted leaf page of seven queued applications, keeps the readable ones and lists the rest for staff (was: 4 of 7 silently dropped, kiosk in service)', () => {
    const { file, acknowledged, openOutbox, closeAll, submit } = rig();
    const first = openOutbox();
    expect(first.damage).toBeNull();
    for (let index = 0; index < 7; index++) submit(first.outbox);
    closeAll();
    checkpoint(file);
    const { pages, pageSize } = pagesOf(file, 'outbox');
    expect(pages.length).toBeGreaterThan(1);
    corruptPage(file, pages[1] ?? 0, pageSize);

    const { outbox, damage } = openOutbox();
    expect(damage).not.toBeNull();
    expect(damage?.problem).not.toBe('ok');
    expect(damage?.setAside.some((aside) => aside.includes('outbox.sqlite.damaged-'))).toBe(true);
    const accounted = accountFor(outbox, acknowledged);
    expect(accounted.unaccounted).toEqual([]);
    expect(accounted.listed.length).toBeGreaterThan(0);
    expect(accounted.kept.length + accounted.listed.length).toBe(7);
    expect(damage?.lost.sort()).toEqual([...accounted.listed].sort());
    // The sealed payloads copied over still open with the key (their associated data is their own number).
    for (const localNumber of accounted.kept) expect(outbox.payload(outbox.get(localNumber)!)).toMatchObject({ localNumber });
    expect(outbox.audit.entries().map((entry) => entry.event)).toContain('outbox.salvaged');
  });

  it('lists every acknowledged application when the outbox file was deleted, and numbers the next one above them all', () => {
    const { dir, acknowledged, openOutbox, closeAll, submit } = rig();
    const first = openOutbox();
    const items = [submit(first.outbox), submit(first.outbox), submit(first.outbox)];
    closeAll();
    for (const name of readdirSync(dir)) if (name.startsWith('outbox.sqlite')) rmSync(join(dir, name));

    const { outbox, damage } = openOutbox();
    expect(damage).toMatchObject({ problem: 'outbox file missing', lost: items.map((item) => item.localNumber) });
    expect(accountFor(outbox, acknowledged).listed).toHaveLength(3);
    // Kind 1: a recreated outbox does not start again at 0001 (central would answer with the old cases).
    const next = submit(outbox);
    expect(items.map((item) => item.localNumber)).not.toContain(next.localNumber);
    expect(Number(next.localNumber.slice(-4))).toBeGreaterThan(Number(items[2]!.localNumber.slice(-4)));
  });

  it('notices applications a torn WAL took with it (was: lost with no alert)', () => {
    const { key, file, acknowledged, openOutbox, submit } = rig();
    const { outbox: live } = openOutbox();
    submit(live);
    // A power cut: the files as they are on disk while the host runs, the WAL's last frames torn off.
    const crashed = directories.make('taian-torn-');
    for (let index = 0; index < 3; index++) submit(live);
    for (const suffix of ['', '-wal']) copyFileSync(`${file}${suffix}`, join(crashed, `outbox.sqlite${suffix}`));
    truncateSync(join(crashed, 'outbox.sqlite-wal'), Math.floor(statSync(join(crashed, 'outbox.sqlite-wal')).size * 0.6));

    const reopened = openCheckedOutbox({
      file: join(crashed, 'outbox.sqlite'),
      key,
      terminalId: TERMINAL,
      acknowledgedLocalNumbers: () => acknowledged,
    });
    open.push(reopened.outbox);
    expect(reopened.damage?.problem).toMatch(/missing from the outbox/);
    const accounted = accountFor(reopened.outbox, acknowledged);
    expect(accounted.unaccounted).toEqual([]);
    expect(accounted.listed.length).toBeGreaterThan(0);
  });

  it('starts numbering above a reserved block after a restart, and survives a damaged reservation file', () => {
    const { numbersFile, openOutbox, closeAll, submit } = rig();
    const first = openOutbox();
    const before = submit(first.outbox);
    closeAll();
    const second = openOutbox();
    const after = submit(second.outbox);
    expect(Number(after.localNumber.slice(-4))).toBe(Number(before.localNumber.slice(-4)) + RESERVATION_BLOCK);
    closeAll();
    writeFileSync(numbersFile, '');
    const third = openOutbox();
    // The outbox still remembers its own numbers; the empty file is reported, not fatal.
    expect(new LocalNumberReservations(numbersFile).problem).toBe('empty');
    expect(Number(submit(third.outbox).localNumber.slice(-4))).toBeGreaterThan(Number(after.localNumber.slice(-4)));
    expect(after.localNumber).toContain(chinaDay(Date.now()));
  });

  it('keeps the rows of a file SQLite can no longer open at all (header destroyed) as lost, not as absent', () => {
    const { file, acknowledged, openOutbox, closeAll, submit } = rig();
    const first = openOutbox();
    submit(first.outbox);
    submit(first.outbox);
    closeAll();
    checkpoint(file);
    corruptPage(file, 1, 4096, () => 0.5);
    const { outbox, damage } = openOutbox();
    expect(damage?.problem).toMatch(/SQLITE_NOTADB|not a database|malformed/i);
    expect(accountFor(outbox, acknowledged)).toMatchObject({ kept: [], unaccounted: [] });
    expect(new Database(file).pragma('quick_check', { simple: true })).toBe('ok');
  });
});
