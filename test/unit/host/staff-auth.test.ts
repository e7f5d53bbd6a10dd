import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelNames, createDispatcher, type Handlers } from '../../../contract/derive.js';
import { ok } from '../../../contract/result.js';
import { hashPin, isPinHash, StaffAuth, verifyPin, type StaffAccount } from '../../../host/services/staff-auth.js';
import { SqliteLockoutStore } from '../../../host/services/staff-lockout-store.js';

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

  it('counts wrong PINs sent at the same time one by one (regression: eight guesses at once cost one failure)', async () => {
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => auth.signIn('0001', '000000')));
    expect(answers.map((answer) => (answer.ok ? 'ok' : answer.error.code)).sort()).toEqual([...Array<string>(4).fill('wrong-pin'), ...Array<string>(4).fill('locked')].sort());
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
      const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000, lockouts });
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
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000 });
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
