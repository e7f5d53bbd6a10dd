import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { simpleDraft, startBridgedDemo, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';

/**
 * Issue 14 through the host's bridge and the reference central: a service asking for 人证核验 is refused
 * until staff confirm the citizen in person (工号 + PIN, lockouts apply), and the case then carries
 * 人工核验 with the 工号 on central's record; a 电子身份码 shown to the (simulated) scanner becomes the
 * session's identity with source e-code.
 */
describe('人证核验 and 电子身份码 (host + central)', () => {
  let demo: BridgedDemo;
  let bridge: BridgeClient;
  const draft = simpleDraft(loadCatalog().services);

  beforeAll(async () => {
    demo = await startBridgedDemo();
    bridge = demo.bridge;
  });
  afterAll(async () => demo?.close());

  const centralRecord = (localNumber: string) => {
    const db = new Database(demo.stack.centralDbFile, { readonly: true });
    try {
      return db
        .prepare<[string], Record<string, string | null>>('SELECT identity_source, identity_check_method, identity_check_staff, identity_check_outcome FROM cases WHERE local_number = ?')
        .get(localNumber);
    } finally {
      db.close();
    }
  };

  it('refuses the application until staff confirm the citizen, then records 人工核验 with the 工号 at central', async () => {
    expect(loadCatalog().services.find((service) => service.id === draft.serviceId)?.identityAssurance).not.toBe('card');
    bridge.events.splice(0);
    const read = bridge.waitForEvent('identity:read', 15_000);
    await bridge.call('simulator:place-card', { cardId: 'resident-li' });
    await read;
    await bridge.call('session:start', { serviceId: draft.serviceId });
    expect(await bridge.call('application:submit', draft)).toMatchObject({ ok: false, error: { code: 'identity-check-needed', message: expect.stringContaining('请工作人员核验') } });
    expect(await bridge.call('identity:staff-check', { number: '0001', pin: '000000' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(await bridge.call('identity:staff-check', { number: '9001', pin: '135790' })).toMatchObject({ ok: false, error: { code: 'not-staff' } });
    expect(await bridge.call('identity:staff-check', { number: '0001', pin: '246810' })).toEqual({ ok: true, value: { staffNumber: '0001' } });
    // Nobody was signed in to staff mode by it.
    expect(await bridge.call('staff:get', {})).toEqual({ ok: true, value: null });
    const submitted = await bridge.call('application:submit', draft);
    expect(submitted.ok).toBe(true);
    const localNumber = (submitted.value as { localNumber: string }).localNumber;
    await expect.poll(() => centralRecord(localNumber), { timeout: 15_000 }).toEqual({
      identity_source: 'id-card',
      identity_check_method: 'staff',
      identity_check_staff: '0001',
      identity_check_outcome: 'passed',
    });
    await bridge.call('session:end', { reason: 'completed' });
  });

  it('counts face attempts at the host: after three failures no face attempt counts, staff still can confirm', async () => {
    await bridge.call('simulator:remove-card', {});
    bridge.events.splice(0);
    const read = bridge.waitForEvent('identity:read', 15_000);
    await bridge.call('simulator:place-card', { cardId: 'resident-zhang' });
    await read;
    expect(await bridge.call('session:get', {})).toMatchObject({ ok: true, value: { identity: { name: '张建华' } } });
    // A match or no-match is central's answer (identity:verify-face); the page cannot report one of its own.
    expect(await bridge.call('identity:face-outcome', { outcome: 'match' })).toMatchObject({ ok: false, error: { code: 'not-verified' } });
    expect(await bridge.call('identity:face-outcome', { outcome: 'no-match' })).toMatchObject({ ok: false, error: { code: 'not-verified' } });
    for (const failures of [1, 2, 3]) {
      expect(await bridge.call('identity:face-outcome', { outcome: 'liveness-failed' })).toEqual({ ok: true, value: { passed: false, failures } });
    }
    expect(await bridge.call('identity:face-outcome', { outcome: 'match' })).toMatchObject({ ok: false, error: { code: 'not-verified' } });
    expect(await bridge.call('application:submit', draft)).toMatchObject({ ok: false, error: { code: 'identity-check-needed' } });
    expect((await bridge.call('identity:staff-check', { number: '0001', pin: '246810' })).ok).toBe(true);
    await bridge.call('session:end', { reason: 'completed' });
    expect(await bridge.call('identity:face-outcome', { outcome: 'liveness-failed' })).toMatchObject({ ok: false, error: { code: 'no-identity' } });
  });

  it('turns a 电子身份码 shown to the scanner into the session identity, source e-code', async () => {
    await bridge.call('simulator:remove-card', {});
    bridge.events.splice(0);
    const read = bridge.waitForEvent('identity:read', 15_000);
    expect(await bridge.call('simulator:show-identity-code', {})).toEqual({ ok: true, value: { shown: true } });
    expect(await read).toMatchObject({ source: 'e-code', identity: { name: '赵春华' } });
    expect(bridge.events.some((entry) => entry.event === 'scanner:scanned' && (entry.payload as { kind: string }).kind === 'identity-code')).toBe(true);
    expect(await bridge.call('session:get', {})).toMatchObject({ ok: true, value: { identitySource: 'e-code' } });
    // Shown before a service was chosen: 开始办理 then finds the identity again, as with a card on the reader.
    bridge.events.splice(0);
    const again = bridge.waitForEvent('identity:read', 15_000);
    expect((await bridge.call('session:start', { serviceId: draft.serviceId })).ok).toBe(true);
    expect(await again).toMatchObject({ source: 'e-code', identity: { name: '赵春华' } });
  });
});
