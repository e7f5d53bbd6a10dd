import { describe, expect, it } from 'vitest';
import { hashPin, StaffAuth, type StaffAccount } from '../../../host/services/staff-auth.js';

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

describe('StaffAuth.vouch (人工核验, issue 14)', () => {
  it('confirms a staff member by 工号 + PIN without signing anyone in', async () => {
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000 });
    expect(await auth.vouch('0001', STAFF_PIN)).toEqual({ ok: true, value: { number: '0001', name: '王工作' } });
    expect(auth.view()).toBeNull();
    expect([...auth.audiences(['citizen'])]).toEqual(['citizen']);
    expect(JSON.stringify(audit.entries)).not.toContain(STAFF_PIN);
  });

  it('refuses a wrong PIN, counts it under staff.vouch, and locks the 工号 like a sign-in after five', async () => {
    const audit = recordingAudit();
    const now = { value: Date.parse('2026-12-01T10:00:00Z') };
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000, now: () => now.value, refillMs: 1 });
    for (let attempt = 1; attempt <= 4; attempt++) {
      now.value += 10;
      expect(await auth.vouch('0001', '000000')).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    }
    now.value += 10;
    expect(await auth.vouch('0001', '000000')).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Locked for vouching and for signing in alike: a vouch is no side door around the lockout.
    now.value += 10;
    expect(await auth.vouch('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await auth.signIn('0001', STAFF_PIN)).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(audit.entries.filter((entry) => entry.event === 'staff.vouch' && entry.outcome === 'wrong-pin')).toHaveLength(5);
    expect(audit.entries.some((entry) => entry.event === 'staff.locked')).toBe(true);
  });

  it('counts failures of sign-in and vouch together', async () => {
    const now = { value: Date.parse('2026-12-01T10:00:00Z') };
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000, now: () => now.value, refillMs: 1 });
    for (let attempt = 1; attempt <= 4; attempt++) {
      now.value += 10;
      await (attempt % 2 ? auth.signIn('0001', '000000') : auth.vouch('0001', '000000'));
    }
    now.value += 10;
    expect(await auth.vouch('0001', '000000')).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('refuses a technician account: identities are confirmed by hall staff', async () => {
    const audit = recordingAudit();
    const auth = new StaffAuth({ accounts: await accounts(), audit, idleMs: 180_000 });
    expect(await auth.vouch('9001', TECH_PIN)).toMatchObject({ ok: false, error: { code: 'not-staff', message: expect.stringContaining('大厅工作人员') } });
    expect(audit.entries.at(-1)).toEqual({ actor: 'staff:9001', event: 'staff.vouch', outcome: 'refused-not-staff' });
  });

  it('answers an unknown 工号 exactly like a wrong PIN', async () => {
    const auth = new StaffAuth({ accounts: await accounts(), audit: recordingAudit(), idleMs: 180_000 });
    const unknown = await auth.vouch('4242', STAFF_PIN);
    const wrong = await auth.vouch('0001', '999999');
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && !wrong.ok && unknown.error.message.replace(/\d+ 次/, '') === wrong.error.message.replace(/\d+ 次/, '')).toBe(true);
  });
});
