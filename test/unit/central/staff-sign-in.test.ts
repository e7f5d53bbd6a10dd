import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import { signRequest } from '../../../contract/central/signing.js';
import type { StaffLimits } from '../../../central/routes/staff.js';
import { centralPerTest, type TestCentral } from '../../support/central-fixture.js';

/**
 * Central's staff sign-in (issue 11, kinds 2 and 3): scrypt off the event loop at the same cost for known
 * and unknown 工号, unknown 工号 answered and locked like known ones without writing to the store, and
 * limits per terminal, per network address and on a terminal's failures.
 */
const startCentral = centralPerTest('central-staff-');

const STAFF = [{ staffNumber: 'A0012', name: '王芳', role: 'staff' as const, pin: '482913' }];
const GENEROUS: StaffLimits = { perTerminal: { points: 1000, durationSeconds: 60 }, perSource: { points: 1000, durationSeconds: 60 }, terminalFailures: { points: 1000, durationSeconds: 900 } };

async function start(staffLimits: StaffLimits = GENEROUS): Promise<TestCentral> {
  return startCentral({ staff: STAFF, staffLimits });
}

async function signIn(central: TestCentral, staffNumber: string, pin: string): Promise<{ status: number; body: { code?: string; message?: string }; retryAfter: string | null }> {
  const body = JSON.stringify({ staffNumber, pin });
  const response = await fetch(`${central.central.url}${CENTRAL_PATHS.staffSignIn}`, {
    method: 'POST',
    headers: { ...signRequest(central.key, 'POST', CENTRAL_PATHS.staffSignIn, body), 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as { code?: string }, retryAfter: response.headers.get('retry-after') };
}

describe('central staff sign-in', { timeout: 20_000 }, () => {
  it('answers an unknown 工号 exactly like a known one with a wrong PIN, and locks it after five the same way', async () => {
    const central = await start();
    const known = await signIn(central, 'A0012', '000000');
    const unknown = await signIn(central, 'Z9999', '000000');
    expect(unknown).toEqual(known);
    expect(known).toMatchObject({ status: 401, body: { code: 'staff-credentials' } });
    for (let attempt = 0; attempt < 4; attempt++) {
      await signIn(central, 'A0012', '000000');
      await signIn(central, 'Z9999', '000000');
    }
    const lockedKnown = await signIn(central, 'A0012', '482913');
    const lockedUnknown = await signIn(central, 'Z9999', '000000');
    expect(lockedKnown).toMatchObject({ status: 423, body: { code: 'staff-locked' } });
    expect(lockedUnknown).toEqual(lockedKnown);
  });

  it('writes nothing to the store for unknown 工号, however many are tried', async () => {
    const central = await start();
    for (let guess = 0; guess < 40; guess++) expect((await signIn(central, `U${String(guess).padStart(4, '0')}`, '123456')).status).toBe(401);
    const db = new Database(central.dbFile, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS rows FROM staff').get()).toEqual({ rows: 1 });
    } finally {
      db.close();
    }
  });

  it('hashes off the event loop: other requests are answered while sign-ins are checked (regression: synchronous scrypt)', async () => {
    const central = await start();
    const order: string[] = [];
    const signIns = Array.from({ length: 4 }, () => signIn(central, 'A0012', '482913').then(() => order.push('sign-in')));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const health = fetch(`${central.central.url}/health`).then(() => order.push('health'));
    await Promise.all([...signIns, health]);
    expect(order[0]).toBe('health');
  });

  it('refuses attempts beyond the per-terminal limit with 429 and Retry-After (regression: 26 guesses a second accepted)', async () => {
    const central = await start({ ...GENEROUS, perTerminal: { points: 10, durationSeconds: 60 } });
    const answers = [];
    for (let guess = 0; guess < 26; guess++) answers.push(await signIn(central, `B${String(guess).padStart(4, '0')}`, '482913'));
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(10);
    const throttled = answers.filter((answer) => answer.status === 429);
    expect(throttled).toHaveLength(16);
    expect(Number(throttled[0]?.retryAfter)).toBeGreaterThan(0);
    expect(throttled[0]?.body.message).toMatch(/稍后再试/);
  });

  it('limits attempts per network address too, whatever terminal signs them', async () => {
    const central = await start({ ...GENEROUS, perSource: { points: 4, durationSeconds: 60 } });
    const statuses = [];
    for (let guess = 0; guess < 6; guess++) statuses.push((await signIn(central, 'A0012', '000001')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('locks a terminal spraying one PIN over many 工号 once its failure budget is spent (regression: never locked)', async () => {
    const central = await start({ ...GENEROUS, terminalFailures: { points: 8, durationSeconds: 900 } });
    const statuses = [];
    for (let guess = 0; guess < 10; guess++) statuses.push((await signIn(central, `C${String(guess).padStart(4, '0')}`, '482913')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 423, 423]);
    // The right PIN of a real account from that terminal waits too.
    expect((await signIn(central, 'A0012', '482913')).status).toBe(423);
  });
});
