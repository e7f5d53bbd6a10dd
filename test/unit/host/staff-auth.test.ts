import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelNames, createDispatcher, type Handlers } from '../../../contract/derive.js';
import { ok } from '../../../contract/result.js';
import { costOf, hashPin, isPinHash, StaffAuth, verifyPin, type StaffAccount } from '../../../host/services/staff-auth.js';
import { MemoryLockoutStore, SqliteLockoutStore } from '../../../host/services/staff-lockout-store.js';

const STAFF_PIN = '246810';
const TECH_PIN = '135790';

async function accounts(): Promise<StaffAccount[]> {
  return [
    { number: '0001', name: '王工作', role: 'staff', pinHash: await hashPin(STAFF_PIN) },
    { number: '9001', name: '李运维', role: 'technician', pinHash: await hashPin(TECH_PIN) },
  ];
}

function recordingAudit() {
  const entries: Array<{ actor: string; event: string; subject?: string; outcome: string }> = [];
  return { entries, append: (entry: (typeof entries)[number]) => entries.push(entry) };
}

describe('PIN hashing', () => {
  it('salts every hash and verifies only the right PIN', async () => {
    const first = await hashPin('246810');
    const second = await hashPin('246810');
    expect(first).not.toBe(second);
    expect(isPinHash(first)).toBe(true);
    expect(first).not.toContain('246810');
    expect(await verifyPin('246810', first)).toBe(true);
    expect(await verifyPin('246811', first)).toBe(false);
    expect(await verifyPin('246810', 'not-a-hash')).toBe(false);
  });
});

describe('StaffAuth', () => {
  afterEach(() => vi.useRealTimers());

  it('signs in with the right PIN, adds the role audiences and audits it without the PIN', async () => {
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000 });
    expect([...auth.audiences(['citizen'])]).toEqual(['citizen']);
    const result = await auth.signIn('9001', TECH_PIN);
    expect(result).toMatchObject({ ok: true, value: { number: '9001', role: 'technician' } });
    expect([...auth.audiences(['citizen'])].sort()).toEqual(['citizen', 'staff', 'technician']);
    expect(auth.signOut()).toBe(true);
    expect([...auth.audiences(['citizen'])]).toEqual(['citizen']);
    expect(audit.entries).toEqual([
      { actor: 'staff:9001', event: 'staff.sign-in', outcome: 'ok technician' },
      { actor: 'staff:9001', event: 'staff.sign-out', outcome: 'signed-out' },
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain(TECH_PIN);
    auth.dispose();
  });

  it('gives staff the staff audience only', async () => {
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000 });
    await auth.signIn('0001', STAFF_PIN);
    expect([...auth.audiences(['citizen'])].sort()).toEqual(['citizen', 'staff']);
    auth.dispose();
  });

  it('locks a 工号 for 5 minutes after 5 wrong PINs, even against the right PIN, then opens again', async () => {
    let now = Date.parse('2025-03-14T09:00:00Z');
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000, now: () => now });
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await auth.signIn('0001', '000000');
      expect(result).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
      if (!result.ok) expect(result.error.message).toContain(`再错 ${5 - attempt} 次`);
    }
    const fifth = await auth.signIn('0001', '000000');
    expect(fifth).toMatchObject({ ok: false, error: { code: 'locked' } });
    if (!fifth.ok) expect(fifth.error.message).toContain('5 分钟');

    now += 60_000;
    const whileLocked = await auth.signIn('0001', STAFF_PIN);
    expect(whileLocked).toMatchObject({ ok: false, error: { code: 'locked' } });
    if (!whileLocked.ok) expect(whileLocked.error.message).toContain('4 分钟');
    // Another 工号 is not affected.
    expect((await auth.signIn('9001', TECH_PIN)).ok).toBe(true);

    now += 4 * 60_000 + 1;
    expect((await auth.signIn('0001', STAFF_PIN)).ok).toBe(true);
    expect(audit.entries.map((entry) => `${entry.event} ${entry.outcome}`)).toContain(`staff.locked until ${new Date(Date.parse('2025-03-14T09:05:00Z')).toISOString()}`);
    expect(audit.entries.filter((entry) => entry.outcome === 'refused-locked')).toHaveLength(1);
    auth.dispose();
  });

  it('ends a lock 5 minutes after the clock stepped back, not after the step (was: locked for the 30 days of the step)', async () => {
    let now = Date.parse('2025-03-14T09:00:00Z');
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000, now: () => now });
    for (let attempt = 1; attempt <= 5; attempt++) await auth.signIn('0001', '000000');
    now -= 30 * 24 * 3_600_000;
    expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
    now += 5 * 60_000 + 1;
    expect((await auth.signIn('0001', STAFF_PIN)).ok).toBe(true);
    auth.dispose();
  });

  it('counts wrong PINs sent at the same time one by one, and refuses those beyond the burst untried (regression: eight guesses at once cost one failure)', async () => {
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => auth.signIn('0001', '000000')));
    expect(answers.map((answer) => (answer.ok ? 'ok' : answer.error.code)).sort()).toEqual(['locked', 'throttled', 'throttled', 'throttled', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin']);
    expect(audit.entries.filter((entry) => entry.event === 'staff.locked')).toHaveLength(1);
    expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
    auth.dispose();
  });

  it('keeps counts and locks across a restart of the host (a new StaffAuth over the same file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    try {
      let now = Date.parse('2025-03-14T09:00:00Z');
      const list = await accounts();
      const open = () => {
        const lockouts = new SqliteLockoutStore(join(dir, 'staff-lockout.sqlite'));
        return { lockouts, auth: new StaffAuth({ accounts: list, audit: recordingAudit(), idleMs: 180_000, lockouts, now: () => now }) };
      };
      let host = open();
      for (let attempt = 0; attempt < 3; attempt++) await host.auth.signIn('0001', '000000');
      host.auth.dispose();
      host.lockouts.close();

      // Restarted: the count went on (two left, not five), and the fifth wrong PIN locks.
      host = open();
      expect(await host.auth.signIn('0001', '000000')).toMatchObject({ ok: false, error: { code: 'wrong-pin', message: expect.stringContaining('再错 1 次') } });
      expect(await host.auth.signIn('0001', '000000')).toMatchObject({ ok: false, error: { code: 'locked' } });
      host.auth.dispose();
      host.lockouts.close();

      // Restarted while locked: still locked, even for the right PIN; open after the lock runs out.
      host = open();
      now += 60_000;
      expect(await host.auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
      now += 4 * 60_000 + 1;
      expect((await host.auth.signIn('0001', STAFF_PIN)).ok).toBe(true);
      expect(host.lockouts.get('0001')).toBeUndefined();
      host.auth.dispose();
      host.lockouts.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes on counting and locking when the disk refuses writes (full), so guesses never become free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    try {
      const lockouts = new SqliteLockoutStore(join(dir, 'staff-lockout.sqlite'));
      const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000, lockouts, burst: 20 });
      lockouts.close(); // every read and write of the file now throws, as on a full or failing disk
      for (let attempt = 0; attempt < 4; attempt++) expect(await auth.signIn('0001', '000000')).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
      expect(await auth.signIn('0001', '000000')).toMatchObject({ ok: false, error: { code: 'locked' } });
      expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
      // The technician who must deal with the disk can still sign in.
      expect((await auth.signIn('9001', TECH_PIN)).ok).toBe(true);
      auth.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers an unknown 工号 like a wrong PIN, and locks it too', async () => {
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000, burst: 20 });
    const unknown = await auth.signIn('4242', '123456');
    const wrong = await auth.signIn('0001', '123456');
    expect(unknown).toEqual(wrong);
    for (let attempt = 0; attempt < 4; attempt++) await auth.signIn('4242', '123456');
    expect(await auth.signIn('4242', '123456')).toMatchObject({ ok: false, error: { code: 'locked' } });
    auth.dispose();
  });

  it('signs out after the idle time, tells the UI, and each staff action moves the deadline', async () => {
    const list = await accounts();
    vi.useFakeTimers({ now: Date.parse('2025-03-14T09:00:00Z') });
    const signedOut: string[] = [];
    const auth = new StaffAuth({ accounts: list, audit: recordingAudit(), idleMs: 180_000, onSignedOut: (reason) => signedOut.push(reason) });
    const signingIn = auth.signIn('0001', STAFF_PIN);
    await vi.runOnlyPendingTimersAsync();
    expect((await signingIn).ok).toBe(true);
    await vi.advanceTimersByTimeAsync(170_000);
    auth.touch();
    await vi.advanceTimersByTimeAsync(170_000);
    expect(auth.view()).not.toBeNull();
    await vi.advanceTimersByTimeAsync(10_001);
    expect(signedOut).toEqual(['idle']);
    expect(auth.view()).toBeNull();
    expect([...auth.audiences(['citizen'])]).toEqual(['citizen']);
  });

  it('refuses guesses beyond a burst of five, one more every two seconds, without trying them (regression: 26 guesses a second were accepted)', async () => {
    let now = Date.parse('2025-03-14T09:00:00Z');
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000, now: () => now, maxFailures: 100, terminalMaxFailures: 100 });
    const codes: string[] = [];
    for (let guess = 0; guess < 26; guess++) {
      const answer = await auth.signIn(String(1000 + guess), '135790');
      codes.push(answer.ok ? 'ok' : answer.error.code);
    }
    expect(codes.filter((code) => code === 'wrong-pin')).toHaveLength(5);
    expect(codes.filter((code) => code === 'throttled')).toHaveLength(21);
    // The throttle is audited once, not 21 times.
    expect(audit.entries.filter((entry) => entry.outcome === 'refused-throttled')).toHaveLength(1);
    now += 2_000;
    // One attempt came back: a right PIN uses it and gives it back, a wrong one spends it.
    expect(await auth.signIn('9001', TECH_PIN)).toMatchObject({ ok: true });
    expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: true });
    expect(await auth.signIn('1100', '135790')).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'throttled', message: expect.stringContaining('稍等') } });
    auth.dispose();
  });

  it('never throttles right PINs: staff sign in and out more often than the burst allows guesses', async () => {
    const now = Date.parse('2025-03-14T09:00:00Z');
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000, now: () => now });
    for (let visit = 0; visit < 8; visit++) {
      expect((await auth.signIn('0001', STAFF_PIN)).ok).toBe(true);
      auth.signOut();
    }
    // Guesses are still counted against the burst, at the same instant.
    const guesses = [];
    for (let attempt = 0; attempt < 6; attempt++) guesses.push(await auth.signIn(`77${attempt}`, '000000'));
    expect(guesses.map((answer) => (answer.ok ? 'ok' : answer.error.code))).toEqual(['wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'throttled']);
    auth.dispose();
  });

  it('locks the pad for every 工号 after ten failures across 工号 (regression: one PIN tried over many 工号 never locked)', async () => {
    let now = Date.parse('2025-03-14T09:00:00Z');
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000, now: () => now });
    const codes: string[] = [];
    for (let guess = 0; guess < 12; guess++) {
      now += 2_000;
      const answer = await auth.signIn(String(2000 + guess), '246810');
      codes.push(answer.ok ? 'ok' : answer.error.code);
    }
    expect(codes).toEqual([...Array<string>(9).fill('wrong-pin'), 'locked', 'locked', 'locked']);
    // Even the right PIN of a real account waits for the lock.
    now += 2_000;
    const right = await auth.signIn('0001', STAFF_PIN);
    expect(right).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('本机') } });
    expect(audit.entries.filter((entry) => entry.event === 'staff.terminal-locked')).toHaveLength(1);
    expect(audit.entries.filter((entry) => entry.outcome === 'refused-terminal-locked')).toHaveLength(1);
    now += 5 * 60_000;
    expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: true });
    auth.dispose();
  });

  it('bounds what unknown 工号 write: rows expire with their window, refusals while locked add one audit entry', async () => {
    let now = Date.parse('2025-03-14T09:00:00Z');
    const audit = recordingAudit();
    const lockouts = new MemoryLockoutStore();
    // A cheap hash cost: this test makes over a hundred attempts; the cost is not its subject.
    const cheap = [{ number: '0001', name: '王工作', role: 'staff' as const, pinHash: await hashPin(STAFF_PIN, undefined, { N: 1024, r: 8, p: 1, keyLength: 32 }) }];
    const auth = new StaffAuth({ accounts: cheap, audit, idleMs: 180_000, now: () => now, lockouts });
    for (let round = 0; round < 5; round++) {
      for (let guess = 0; guess < 9; guess++) {
        now += 2_000;
        await auth.signIn(String(3000 + round * 100 + guess), '000000');
      }
      // Whatever one window's failures wrote is gone after it: rows do not pile up round after round.
      expect(lockouts.size()).toBeLessThanOrEqual(10);
      now += 16 * 60_000;
    }
    expect(audit.entries).toHaveLength(45);
    // The terminal locked after ten failures: a hundred more attempts add a single audit entry.
    for (let guess = 0; guess < 10; guess++) {
      now += 2_000;
      await auth.signIn(String(4000 + guess), '000000');
    }
    const before = audit.entries.length;
    for (let guess = 0; guess < 100; guess++) {
      now += 2_000;
      await auth.signIn(String(5000 + guess), '000000');
    }
    expect(audit.entries.length - before).toBe(1);
    expect(lockouts.size()).toBeLessThanOrEqual(11);
    auth.dispose();
  });

  it('checks an unknown 工号 against a decoy hash of the accounts\' own cost, made before the first attempt (regression: the first unknown 工号 after start cost two scrypts)', async () => {
    const cheap = { N: 1024, r: 8, p: 1, keyLength: 32 };
    const list = [{ number: '0001', name: '王工作', role: 'staff' as const, pinHash: await hashPin(STAFF_PIN, undefined, cheap) }];
    const auth = new StaffAuth({ accounts: list, audit: recordingAudit(), idleMs: 180_000 });
    expect(await auth.decoyCost()).toEqual(cheap);
    expect(costOf(list[0]!.pinHash)).toEqual(cheap);
    const defaultCost = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000 });
    expect(await defaultCost.decoyCost()).toEqual({ N: 16384, r: 8, p: 1, keyLength: 32 });
    auth.dispose();
    defaultCost.dispose();
  });

  it('reads a lockout file written before failures expired (no last_failure_at), and prunes expired rows on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    try {
      const file = join(dir, 'staff-lockout.sqlite');
      const old = new Database(file);
      old.exec('CREATE TABLE sign_in_failures (staff_number TEXT PRIMARY KEY, count INTEGER NOT NULL, locked_until INTEGER NOT NULL) WITHOUT ROWID');
      old.prepare('INSERT INTO sign_in_failures VALUES (?, ?, ?)').run('0001', 3, 0);
      old.close();
      const store = new SqliteLockoutStore(file);
      const row = store.get('0001');
      expect(row).toMatchObject({ count: 3, lockedUntil: 0 });
      expect(row?.lastFailureAt).toBeGreaterThan(Date.now() - 60_000);
      store.set('9999', { count: 1, lockedUntil: 0, lastFailureAt: 1 });
      store.set('8888', { count: 0, lockedUntil: Date.now() + 60_000, lastFailureAt: 1 });
      expect(store.prune(Date.now(), Date.now() - 60_000)).toBe(1);
      expect(store.get('9999')).toBeUndefined();
      expect(store.get('8888')).toBeDefined();
      expect(store.size()).toBe(2);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses duplicate 工号 in the account list', async () => {
    const [first] = await accounts();
    expect(() => new StaffAuth({ accounts: [first!, { ...first! }], audit: recordingAudit(), idleMs: 1000 })).toThrow(/unique/);
  });
});

describe('audience enforcement through the real dispatcher', () => {
  // Every handler answers; only the dispatcher's audience check decides who gets through.
  const handlers = Object.fromEntries(channelNames.map((name) => [name, () => ok({ reached: name })])) as unknown as Handlers;
  const dispatch = createDispatcher(handlers);

  it('refuses staff and technician channels until the matching role signs in', async () => {
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000 });
    const context = () => ({ audiences: auth.audiences(['citizen']) });
    // The stub answers do not match the response schemas, so a call that got through ends `internal`.
    const outcome = async (name: string) => {
      const result = await dispatch(name, {}, context());
      return result.ok ? 'ok' : result.error.code;
    };

    expect(await outcome('device:probe')).toBe('forbidden');
    expect(await outcome('print:list-pending')).toBe('forbidden');
    expect(await outcome('kiosk:get-info')).toBe('internal');

    await auth.signIn('0001', STAFF_PIN);
    expect(await outcome('device:probe')).toBe('forbidden');
    expect(await outcome('print:list-pending')).toBe('internal');

    await auth.signIn('9001', TECH_PIN);
    expect(await outcome('device:probe')).toBe('internal');
    expect(await outcome('print:reprint')).toBe('bad-request');

    auth.signOut();
    expect(await outcome('device:probe')).toBe('forbidden');
    auth.dispose();
  });
});
