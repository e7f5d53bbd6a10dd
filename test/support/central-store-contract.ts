import { afterEach, describe, expect, it } from 'vitest';
import type { CentralStore, NewCase } from '../../central/store/store.js';

/**
 * What every implementation of central's store must do, as one suite: SQLite runs it today
 * (test/integration/central/sqlite-store.integration.test.ts), PostgreSQL will run the same. `open`
 * gives a fresh, migrated store; `openSecond` a second store on the same database, as a second central
 * process would have, so that what must hold across processes is tested across two connections.
 */
export function describeCentralStore(name: string, stores: { open(): Promise<CentralStore>; openSecond(): Promise<CentralStore> }): void {
  describe(`CentralStore on ${name}`, () => {
    const opened: CentralStore[] = [];
    const open = async (second = false) => {
      const store = await (second ? stores.openSecond() : stores.open());
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0).reverse()) await store.close();
    });

    it('gives one Idempotency-Key to exactly one of many concurrent claims, across two connections', async () => {
      const first = await open();
      const second = await open(true);
      const claims = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 ? first : second).idempotency.claim('TA-1', 'key-00000001', 'hash', 1_000)));
      expect(claims.filter((claim) => claim === null)).toHaveLength(1);
      expect(claims.filter((claim) => claim !== null).every((claim) => claim?.state === 'in-flight' && claim.requestHash === 'hash')).toBe(true);
    });

    it('replays a completed key, and frees a released one', async () => {
      const store = await open();
      await store.idempotency.claim('TA-1', 'key-done', 'hash', 1_000);
      await store.idempotency.complete('TA-1', 'key-done', { status: 201, body: '{"caseNumber":"TA1"}' });
      expect(await store.idempotency.claim('TA-1', 'key-done', 'other', 2_000)).toEqual({ requestHash: 'hash', state: 'done', status: 201, body: '{"caseNumber":"TA1"}' });
      await store.idempotency.claim('TA-1', 'key-failed', 'hash', 1_000);
      await store.idempotency.release('TA-1', 'key-failed');
      expect(await store.idempotency.claim('TA-1', 'key-failed', 'hash', 2_000)).toBeNull();
    });

    it('releases keys left in flight and purges keys past their window, keeping the rest', async () => {
      const store = await open();
      await store.idempotency.claim('TA-1', 'in-flight', 'hash', 5_000);
      await store.idempotency.claim('TA-1', 'old', 'hash', 1_000);
      await store.idempotency.complete('TA-1', 'old', { status: 201, body: '{}' });
      await store.idempotency.claim('TA-1', 'recent', 'hash', 5_000);
      await store.idempotency.complete('TA-1', 'recent', { status: 201, body: '{}' });
      await store.idempotency.releaseInFlight();
      await store.idempotency.purgeBefore(2_000);
      expect(await store.idempotency.claim('TA-1', 'in-flight', 'hash', 6_000)).toBeNull();
      expect(await store.idempotency.claim('TA-1', 'old', 'hash', 6_000)).toBeNull();
      expect((await store.idempotency.claim('TA-1', 'recent', 'hash', 6_000))?.state).toBe('done');
    });

    it('accepts a nonce once, across two connections, and forgets nonces past the window', async () => {
      const first = await open();
      const second = await open(true);
      const claims = await Promise.all([first.nonces.claim('TA-1', 'n1', 1_000), second.nonces.claim('TA-1', 'n1', 1_000), first.nonces.claim('TA-2', 'n1', 1_000)]);
      expect(claims.filter(Boolean)).toHaveLength(2);
      expect(claims[2]).toBe(true);
      await first.nonces.purgeBefore(2_000);
      expect(await second.nonces.claim('TA-1', 'n1', 1_000)).toBe(true);
    });

    it('numbers from a counter without gaps or repeats, across two connections', async () => {
      const first = await open();
      const second = await open(true);
      const values = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? first : second).counters.next('case-20260302')));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect(await first.counters.next('case-20260303')).toBe(1);
    });

    it('files one case per terminal and local number, and finds it by either number', async () => {
      const store = await open();
      await store.cases.insert(newCase('TA202603020000001', 'TA-1-L1'));
      await expect(store.cases.insert(newCase('TA202603020000002', 'TA-1-L1'))).rejects.toThrow();
      await store.cases.insert(newCase('TA202603020000003', 'TA-1-L1', { terminalId: 'TA-2' }));
      expect(await store.cases.byLocalNumber('TA-1', 'TA-1-L1')).toEqual({ caseNumber: 'TA202603020000001', status: 'accepted', reasons: ['所选情形需人工审核'] });
      expect(await store.cases.byLocalNumber('TA-1', 'TA-1-L9')).toBeNull();
      const record = { caseNumber: 'TA202603020000001', localNumber: 'TA-1-L1', serviceId: 'svc', serviceName: '事项', status: 'accepted', submittedAt: '2026-03-02T01:00:00.000Z', rated: false };
      expect(await store.cases.find('TA202603020000001')).toEqual(record);
      expect(await store.cases.find('TA-1-L1')).toEqual(record);
      expect(await store.cases.find('TA-9-L9')).toBeNull();
    });

    it("lists an applicant's cases newest first, and knows which are still open", async () => {
      const store = await open();
      await store.cases.insert(newCase('TA202603020000001', 'L1', { receivedAt: '2026-03-02T01:00:00.000Z', status: 'approved' }));
      await store.cases.insert(newCase('TA202603020000002', 'L2', { receivedAt: '2026-03-02T02:00:00.000Z' }));
      await store.cases.insert(newCase('TA202603020000003', 'L3', { applicantId: '370902199001011234' }));
      expect((await store.cases.byApplicant('370902198803011237')).map((record) => record.caseNumber)).toEqual(['TA202603020000002', 'TA202603020000001']);
      expect(await store.cases.hasOpenCase('370902198803011237', 'svc')).toBe(true);
      expect(await store.cases.hasOpenCase('370902198803011237', 'other')).toBe(false);
    });

    it('takes one rating per case (一事一评) and shows the case as rated', async () => {
      const store = await open();
      await store.cases.insert(newCase('TA202603020000001', 'L1'));
      const rating = { caseNumber: 'TA202603020000001', level: 'satisfied', reason: null, contact: null, channel: 'self-service-terminal', staffNumber: null, ratedAt: '2026-03-02T03:00:00.000Z' };
      expect(await store.ratings.add(rating)).toBe(true);
      expect(await store.ratings.add({ ...rating, level: 'very-dissatisfied' })).toBe(false);
      expect((await store.cases.find('L1'))?.rated).toBe(true);
    });

    it('commits a transaction whole, or nothing of it when its work throws', async () => {
      const store = await open();
      await store.idempotency.claim('TA-1', 'key-tx-1', 'hash', 1_000);
      await expect(
        store.transaction(async (tx) => {
          await tx.cases.insert(newCase(`TA20260302${String(await tx.counters.next('case-x')).padStart(6, '0')}`, 'L1'));
          await tx.idempotency.complete('TA-1', 'key-tx-1', { status: 201, body: '{}' });
          throw new Error('disk gave up');
        }),
      ).rejects.toThrow('disk gave up');
      expect(await store.cases.find('L1')).toBeNull();
      expect((await store.idempotency.claim('TA-1', 'key-tx-1', 'hash', 1_000))?.state).toBe('in-flight');
      expect(await store.counters.next('case-x')).toBe(1);
      const caseNumber = await store.transaction(async (tx) => {
        await tx.cases.insert(newCase('TA202603020000001', 'L1'));
        await tx.idempotency.complete('TA-1', 'key-tx-1', { status: 201, body: '{}' });
        return 'TA202603020000001';
      });
      expect((await store.cases.find('L1'))?.caseNumber).toBe(caseNumber);
      expect((await store.idempotency.claim('TA-1', 'key-tx-1', 'hash', 1_000))?.state).toBe('done');
    });

    it("keeps other requests' writes out of a transaction that fails while they wait", async () => {
      const store = await open();
      let inside!: () => void;
      const entered = new Promise<void>((resolve) => (inside = resolve));
      const failing = store.transaction(async (tx) => {
        await tx.cases.insert(newCase('TA202603020000001', 'L1'));
        inside();
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('rolled back');
      });
      await entered;
      const outside = store.cases.insert(newCase('TA202603020000002', 'L2'));
      await expect(failing).rejects.toThrow('rolled back');
      await outside;
      expect(await store.cases.find('L1')).toBeNull();
      expect(await store.cases.find('L2')).not.toBeNull();
    });

    it('counts every one of concurrent wrong PINs, locks on the fifth, and clears on a right one', async () => {
      const first = await open();
      const second = await open(true);
      await first.staff.put({ staffNumber: '0001', name: '王芳', role: 'staff', pinSalt: 'salt', pinHash: 'hash' });
      await Promise.all(Array.from({ length: 4 }, (_, index) => (index % 2 ? first : second).staff.recordFailure('0001', 5, 9_000)));
      expect(await first.staff.find('0001')).toMatchObject({ failures: 4, lockedUntilMs: 0 });
      await second.staff.recordFailure('0001', 5, 9_000);
      expect(await first.staff.find('0001')).toMatchObject({ failures: 0, lockedUntilMs: 9_000 });
      await first.staff.put({ staffNumber: '0001', name: '王芳', role: 'technician', pinSalt: 'salt2', pinHash: 'hash2' });
      expect(await first.staff.find('0001')).toEqual({ staffNumber: '0001', name: '王芳', role: 'technician', pinSalt: 'salt2', pinHash: 'hash2', failures: 0, lockedUntilMs: 9_000 });
      await first.staff.clearFailures('0001');
      expect(await first.staff.find('0001')).toMatchObject({ failures: 0, lockedUntilMs: 0 });
      expect(await first.staff.find('0009')).toBeNull();
    });

    it('keeps terminals and profiles', async () => {
      const store = await open();
      await store.terminals.register({ id: 'TA-1', secret: 's1', algorithm: 'hmac-sm3', hall: '泰山区政务服务中心' });
      await store.terminals.register({ id: 'TA-1', secret: 's2', algorithm: 'hmac-sha256', hall: '泰山区政务服务中心' });
      expect(await store.terminals.credentials('TA-1')).toEqual({ secret: 's2', algorithm: 'hmac-sha256' });
      expect(await store.terminals.credentials('TA-9')).toBeNull();
      expect(await store.terminals.hall('TA-1')).toBe('泰山区政务服务中心');
      expect(await store.terminals.hall('TA-9')).toBeNull();
      await store.profiles.put({ idNumber: '370902198803011237', mobile: '13805381234', address: null });
      await store.profiles.put({ idNumber: '370902198803011237', mobile: '13805389999', address: '泰安市泰山区' });
      expect(await store.profiles.find('370902198803011237')).toEqual({ idNumber: '370902198803011237', mobile: '13805389999', address: '泰安市泰山区' });
      expect(await store.profiles.find('370902199001011234')).toBeNull();
      expect(await store.licences.find('370902198803011237', 'business-licence')).toEqual([]);
    });
  });
}

function newCase(caseNumber: string, localNumber: string, overrides: Partial<NewCase> = {}): NewCase {
  return {
    caseNumber,
    localNumber,
    terminalId: 'TA-1',
    serviceId: 'svc',
    serviceName: '事项',
    status: 'accepted',
    applicantId: '370902198803011237',
    applicantName: '测试申请人',
    identitySource: 'id-card',
    assistedBy: null,
    payload: '{}',
    reasons: ['所选情形需人工审核'],
    submittedAt: '2026-03-02T01:00:00.000Z',
    receivedAt: '2026-03-02T01:00:05.000Z',
    ...overrides,
  };
}
