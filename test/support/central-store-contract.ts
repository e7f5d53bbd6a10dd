import { afterEach, describe, expect, it } from 'vitest';
import type { CentralStore, HeartbeatWrite, NewCase } from '../../central/store/store.js';

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

    it('takes over a claim whose lease ran out (its process died), never one still leased, and purges keys past their window', async () => {
      const first = await open();
      const second = await open(true);
      expect(await first.idempotency.claim('TA-1', 'abandoned', 'hash', 5_000, 6_000)).toBeNull();
      expect((await second.idempotency.claim('TA-1', 'abandoned', 'hash', 5_500, 6_500))?.state).toBe('in-flight');
      expect((await second.idempotency.claim('TA-1', 'abandoned', 'other-body', 7_000, 8_000))?.requestHash).toBe('hash');
      const takeovers = await Promise.all([first, second, first, second].map((store) => store.idempotency.claim('TA-1', 'abandoned', 'hash', 7_000, 8_000)));
      expect(takeovers.filter((claim) => claim === null)).toHaveLength(1);
      await first.idempotency.claim('TA-1', 'old', 'hash', 1_000);
      await first.idempotency.complete('TA-1', 'old', { status: 201, body: '{}' });
      await first.idempotency.claim('TA-1', 'recent', 'hash', 5_000);
      await first.idempotency.complete('TA-1', 'recent', { status: 201, body: '{}' });
      await first.idempotency.purgeBefore(2_000);
      expect(await first.idempotency.claim('TA-1', 'old', 'hash', 6_000)).toBeNull();
      expect((await first.idempotency.claim('TA-1', 'recent', 'hash', 99_000_000))?.state).toBe('done');
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
      expect(await store.cases.byLocalNumber('TA-1', 'TA-1-L1')).toEqual({
        caseNumber: 'TA202603020000001',
        status: 'accepted',
        reasons: ['所选情形需人工审核'],
        applicantId: '370902198803011237',
        payloadDigest: 'd'.repeat(64),
      });
      expect((await store.cases.byLocalNumber('TA-2', 'TA-1-L1'))?.caseNumber).toBe('TA202603020000003');
      expect(await store.cases.byLocalNumber('TA-1', 'TA-1-L9')).toBeNull();
      const record = { caseNumber: 'TA202603020000001', localNumber: 'TA-1-L1', serviceId: 'svc', serviceName: '事项', status: 'accepted', submittedAt: '2026-03-02T01:00:00.000Z', rated: false };
      expect(await store.cases.find('TA202603020000001')).toEqual(record);
      expect(await store.cases.find('TA-1-L1')).toEqual(record);
      expect(await store.cases.find('TA-9-L9')).toBeNull();
    });

    it('files a 代办 case with the agent, relationship and authorisation, and shows the agent masked on the record', async () => {
      const store = await open();
      const authorisation = JSON.stringify({ kind: '委托书', mimeType: 'image/jpeg', base64: '/9j/4AAQSkZJRgABAQ==' });
      const agency = { agentId: '370902196803151234', agentName: '张建华', relationship: '子女', principalSource: 'population-check', authorisationKind: '委托书', authorisation };
      await store.cases.insert(newCase('TA202603020000001', 'L1', { agency }));
      await store.cases.insert(newCase('TA202603020000002', 'L2'));
      expect(await store.cases.agencyOf('TA202603020000001')).toEqual(agency);
      expect(await store.cases.agencyOf('TA202603020000002')).toBeNull();
      expect((await store.cases.find('TA202603020000001'))?.agency).toEqual({ agentNameMasked: '张*华', agentIdMasked: '370***********1234', relationship: '子女', authorisation: '委托书' });
      expect((await store.cases.find('TA202603020000002'))?.agency).toBeUndefined();
      // Staff reviewing cases see that it is 代办, and how it was authorised (no identities).
      const review = await store.helpCalls.reviewCases(null, 10);
      expect(review.find((item) => item.caseNumber === 'TA202603020000001')?.agency).toEqual({ relationship: '子女', authorisation: '委托书' });
      expect(review.find((item) => item.caseNumber === 'TA202603020000002')?.agency).toBeNull();
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

    it('stores heartbeats, keeps one open alert per kind across two connections, and clears what a heartbeat no longer reports', async () => {
      const first = await open();
      const second = await open(true);
      await first.terminals.register({ id: 'TA-1', secret: 's', algorithm: 'hmac-sha256', hall: '泰山区政务服务中心', district: '370902' });
      await first.terminals.register({ id: 'TA-2', secret: 's', algorithm: 'hmac-sha256', hall: '岱岳区便民服务中心', district: '370911' });
      const paperOut = heartbeatWrite('TA-1', 10_000, { state: 'degraded', alerts: [{ kind: 'paper-out', message: '凭条打印机缺纸' }] });
      await Promise.all([first.fleet.store([paperOut]), second.fleet.store([{ ...paperOut, receivedAtMs: 10_001 }])]);
      expect((await first.fleet.openAlerts(['TA-1'], 10)).map((alert) => alert.kind)).toEqual(['paper-out']);
      await second.transaction((tx) => tx.fleet.store([heartbeatWrite('TA-1', 20_000, { alerts: [{ kind: 'clock-skew', message: '时钟偏差' }] }), heartbeatWrite('TA-2', 20_000)]));
      const alerts = await first.fleet.alerts('TA-1', 10);
      expect(alerts.map((alert) => [alert.kind, alert.clearedAtMs])).toEqual([
        ['clock-skew', null],
        ['paper-out', 20_000],
      ]);
      expect(await first.fleet.terminal('TA-1')).toMatchObject({ district: '370902', state: 'serving', lastSeenMs: 20_000, intervalMs: 60_000, pending: 0, configVersion: null });
      expect((await first.fleet.history('TA-1', 10)).map((row) => row.receivedAtMs)).toEqual([20_000, 10_001, 10_000]);
      expect((await first.fleet.latest('TA-1')).body).toBe('{"sentAt":"20000"}');
    });

    it('raises silent once for terminals three intervals quiet, and never for those never heard from', async () => {
      const first = await open();
      const second = await open(true);
      for (const id of ['TA-1', 'TA-2', 'TA-3']) await first.terminals.register({ id, secret: 's', algorithm: 'hmac-sha256', hall: '泰山区政务服务中心', district: '370902' });
      await first.transaction((tx) => tx.fleet.store([heartbeatWrite('TA-1', 0), heartbeatWrite('TA-2', 100_000)]));
      const raised = await Promise.all([first.fleet.sweepSilent(180_001, '终端失联'), second.fleet.sweepSilent(180_001, '终端失联')]);
      expect(raised[0] + raised[1]).toBe(1);
      expect((await first.fleet.openAlerts(null, 10)).map((alert) => [alert.terminalId, alert.kind])).toEqual([['TA-1', 'silent']]);
      expect((await first.fleet.overview(180_001)).counts).toEqual({ serving: 1, silent: 2 });
      await first.transaction((tx) => tx.fleet.store([heartbeatWrite('TA-1', 190_000)]));
      expect(await first.fleet.openAlerts(null, 10)).toEqual([]);
    });

    it("stores a batch of hundreds of terminals at once, each terminal's latest heartbeat in force and every heartbeat in its history", async () => {
      const store = await open();
      const ids = Array.from({ length: 450 }, (_, index) => `TA-${index}`);
      await store.transaction(async (tx) => {
        for (const id of ids) await tx.terminals.register({ id, secret: 's', algorithm: 'hmac-sha256', hall: '泰山区政务服务中心', district: '370902' });
      });
      await store.transaction((tx) => tx.fleet.store([heartbeatWrite('TA-7', 500, { anchor: { sequence: 3, mac: 'c'.repeat(64) } })]));
      // TA-7's newer heartbeat comes first in the batch; the older one after it must not win.
      const batch = [
        heartbeatWrite('TA-7', 2_000, { pending: 7, configVersion: 4 }),
        ...ids.map((id, index) => heartbeatWrite(id, 1_000, { pending: index % 5, state: index === 449 ? 'degraded' : 'serving' })),
      ];
      await store.transaction((tx) => tx.fleet.store(batch));
      expect(await store.fleet.terminal('TA-7')).toMatchObject({ lastSeenMs: 2_000, pending: 7, configVersion: 4 });
      expect(await store.fleet.terminal('TA-449')).toMatchObject({ lastSeenMs: 1_000, pending: 4, state: 'degraded' });
      expect(await store.fleet.terminal('TA-0')).toMatchObject({ lastSeenMs: 1_000, pending: 0, state: 'serving' });
      expect((await store.fleet.history('TA-7', 10)).map((row) => row.receivedAtMs)).toEqual([2_000, 1_000, 500]);
      // A heartbeat without an anchor keeps the one central holds.
      expect((await store.fleet.contexts(['TA-7'])).get('TA-7')?.anchor).toEqual({ sequence: 3, mac: 'c'.repeat(64) });
      expect((await store.fleet.list({ offset: 0, limit: 1 }, 2_000)).total).toBe(450);
    });

    it('pages and filters terminals by district, hall and state, silent decided at the time asked', async () => {
      const store = await open();
      const place = (index: number) => (index < 4 ? { hall: '泰山区政务服务中心', district: '370902' } : { hall: '肥城市政务服务中心', district: '370983' });
      for (let index = 0; index < 7; index++) await store.terminals.register({ id: `TA-${index}`, secret: 's', algorithm: 'hmac-sha256', ...place(index) });
      await store.transaction((tx) => tx.fleet.store([0, 1, 2, 4].map((index) => heartbeatWrite(`TA-${index}`, 1_000, { ...place(index), ...(index === 2 ? { state: 'out-of-service' as const } : {}) }))));
      const page = await store.fleet.list({ district: '370902', offset: 0, limit: 2 }, 2_000);
      expect(page.total).toBe(4);
      expect(page.rows.map((row) => [row.terminalId, row.state])).toEqual([
        ['TA-0', 'serving'],
        ['TA-1', 'serving'],
      ]);
      expect((await store.fleet.list({ district: '370902', offset: 2, limit: 2 }, 2_000)).rows.map((row) => [row.terminalId, row.state])).toEqual([
        ['TA-2', 'out-of-service'],
        ['TA-3', 'silent'],
      ]);
      expect((await store.fleet.list({ state: 'silent', offset: 0, limit: 10 }, 2_000)).rows.map((row) => row.terminalId)).toEqual(['TA-3', 'TA-5', 'TA-6']);
      expect((await store.fleet.list({ state: 'silent', offset: 0, limit: 10 }, 1_000 + 180_001)).total).toBe(7);
      expect((await store.fleet.list({ hall: '肥城市政务服务中心', state: 'serving', offset: 0, limit: 10 }, 2_000)).rows.map((row) => row.terminalId)).toEqual(['TA-4']);
      expect(await store.fleet.overview(2_000)).toEqual({ counts: { serving: 3, 'out-of-service': 1, silent: 3 }, districts: ['370902', '370983'], halls: ['泰山区政务服务中心', '肥城市政务服务中心'] });
    });

    it('hands commands and the out-of-service wish to the heartbeat, records results once, and keeps uploaded logs', async () => {
      const store = await open();
      await store.terminals.register({ id: 'TA-1', secret: 's', algorithm: 'hmac-sha256', hall: '泰山区政务服务中心', district: '370902' });
      expect(await store.fleet.issueCommand({ id: 'cmd-1', terminalId: 'TA-1', kind: 'fetch-logs', issuedBy: '9001', issuedAtMs: 1 })).toBe(true);
      expect(await store.fleet.issueCommand({ id: 'cmd-2', terminalId: 'TA-9', kind: 'fetch-logs', issuedBy: '9001', issuedAtMs: 1 })).toBe(false);
      expect(await store.fleet.setOutOfService('TA-1', { message: '设备检修，暂停服务', by: '9001', atMs: 2 })).toBe(true);
      const context = (await store.fleet.contexts(['TA-1', 'TA-9'])).get('TA-1');
      expect(context).toEqual({
        terminalId: 'TA-1',
        district: '370902',
        hall: '泰山区政务服务中心',
        outOfService: { message: '设备检修，暂停服务', by: '9001', atMs: 2 },
        anchor: null,
        pendingCommands: [{ id: 'cmd-1', kind: 'fetch-logs', issuedBy: '9001', issuedAtMs: 1 }],
      });
      expect(await store.fleet.putLogs('TA-1', 'cmd-1', '[{"event":"host.started"}]', 3)).toBe(true);
      expect(await store.fleet.putLogs('TA-2', 'cmd-1', '[]', 3)).toBe(false);
      expect(await store.fleet.logs('cmd-1')).toEqual({ terminalId: 'TA-1', lines: '[{"event":"host.started"}]', receivedAtMs: 3 });
      const done = { id: 'cmd-1', outcome: 'done' as const, note: 'uploaded 1 line', atMs: 4 };
      await store.transaction((tx) => tx.fleet.store([heartbeatWrite('TA-1', 5, { commandResults: [done], anchor: { sequence: 7, mac: 'a'.repeat(64) } })]));
      await store.transaction((tx) => tx.fleet.store([heartbeatWrite('TA-1', 6, { commandResults: [{ ...done, outcome: 'failed', atMs: 6 }] })]));
      expect(await store.fleet.commands('TA-1', 5)).toEqual([{ id: 'cmd-1', kind: 'fetch-logs', issuedBy: '9001', issuedAtMs: 1, outcome: 'done', note: 'uploaded 1 line', completedAtMs: 4 }]);
      await store.fleet.setOutOfService('TA-1', null);
      expect((await store.fleet.contexts(['TA-1'])).get('TA-1')).toMatchObject({ outOfService: null, anchor: { sequence: 7, mac: 'a'.repeat(64) }, pendingCommands: [] });
    });

    it('versions configuration layers from one counter, across two connections, and finds the layers of a terminal', async () => {
      const first = await open();
      const second = await open(true);
      await first.terminals.register({ id: 'TA-1', secret: 's', algorithm: 'hmac-sha256', hall: '泰山区政务服务中心', district: '370902' });
      const put = (store: CentralStore, scope: 'master' | 'district' | 'hall' | 'terminal', scopeId: string, settings: object) =>
        store.config.put({ scope, scopeId, settings: JSON.stringify(settings), updatedBy: '9001', updatedAtMs: 1 });
      const versions = await Promise.all([put(first, 'master', '', { voice: { volume: 0.5 } }), put(second, 'district', '370902', { session: { idleTimeoutSeconds: 90 } }), put(first, 'terminal', 'TA-9', {})]);
      expect([...versions].sort()).toEqual([1, 2, 3]);
      expect(await put(second, 'master', '', { voice: { volume: 0.6 } })).toBe(4);
      const layers = await first.config.forTerminal('TA-1', '370902', '泰山区政务服务中心');
      expect(layers.map((layer) => [layer.scope, layer.settings])).toEqual([
        ['master', '{"voice":{"volume":0.6}}'],
        ['district', '{"session":{"idleTimeoutSeconds":90}}'],
      ]);
      expect((await first.config.forTerminals([{ terminalId: 'TA-9', district: '370983', hall: '肥城' }])).map((layer) => layer.scope)).toEqual(['master', 'terminal']);
      expect(await first.config.reach('district', '370902')).toEqual([{ terminalId: 'TA-1', district: '370902', hall: '泰山区政务服务中心' }]);
      expect(await first.config.reach('district', '370983')).toEqual([]);
      expect((await first.config.list()).length).toBe(3);
    });

    it('keeps a console sign-in until it is idle, expired or revoked', async () => {
      const store = await open();
      await store.sessions.create({ tokenHash: 'h1', staffNumber: '9001', role: 'technician', createdAtMs: 0, idleUntilMs: 100, expiresAtMs: 1_000 });
      expect(await store.sessions.use('h1', 50, null)).toMatchObject({ staffNumber: '9001', role: 'technician', idleUntilMs: 100 });
      expect(await store.sessions.use('h1', 90, 190)).toMatchObject({ idleUntilMs: 190 });
      expect(await store.sessions.use('h1', 150, null)).toMatchObject({ idleUntilMs: 190 });
      expect(await store.sessions.use('h1', 200, 300)).toBeNull();
      await store.sessions.create({ tokenHash: 'h2', staffNumber: '9001', role: 'technician', createdAtMs: 0, idleUntilMs: 5_000, expiresAtMs: 1_000 });
      expect(await store.sessions.use('h2', 1_000, 6_000)).toBeNull();
      await store.sessions.create({ tokenHash: 'h3', staffNumber: '9001', role: 'technician', createdAtMs: 0, idleUntilMs: 5_000, expiresAtMs: 9_000 });
      await store.sessions.revoke('h3');
      expect(await store.sessions.use('h3', 1, null)).toBeNull();
    });

    it('keeps proof data, enterprises by 法定代表人, and each sealed document under one verification code (issue 15)', async () => {
      const first = await open();
      const second = await open(true);
      await first.proofs.putSource('370902198803011237', 'tax-payment', '{"fields":{"name":"甲"}}');
      await first.proofs.putSource('370902198803011237', 'tax-payment', '{"fields":{"name":"乙"}}');
      await first.proofs.putSource('370902198803011237', 'household-registration', '{"fields":{}}');
      expect(await second.proofs.source('370902198803011237', 'tax-payment')).toBe('{"fields":{"name":"乙"}}');
      expect(await second.proofs.source('370902198803011237', 'marriage-record')).toBeNull();
      expect(await second.proofs.kindsOf('370902198803011237')).toEqual(['household-registration', 'tax-payment']);

      const enterprise = { creditCode: '91370902MA3C00001X', name: '甲公司', legalRepresentativeId: '370902198803011237', content: '{}' };
      await first.proofs.putEnterprise(enterprise);
      expect(await second.proofs.enterprise('91370902MA3C00001X')).toEqual(enterprise);
      expect(await second.proofs.enterprisesOf('370902198803011237')).toEqual([enterprise]);
      expect(await second.proofs.enterprisesOf('370911199008224021')).toEqual([]);

      const proof = {
        verificationCode: 'ABCDEFGHIJKLMNOP',
        kind: 'individual-business-licence',
        subjectId: '370902198803011237',
        creditCode: null,
        caseNumber: 'TA202603020000001',
        terminalId: 'TA-1',
        document: '{"kind":"individual-business-licence"}',
        digest: 'a'.repeat(64),
        sealKeyId: 'b'.repeat(16),
        signature: 'c'.repeat(128),
        copies: 2,
        issuedAt: '2026-03-02T09:00:00+08:00',
        validUntil: '2026-04-01',
      };
      const claims = await Promise.all([first.proofs.record(proof), second.proofs.record({ ...proof, subjectId: 'other' })]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const stored = await second.proofs.byCode('ABCDEFGHIJKLMNOP');
      expect(stored?.copies).toBe(2);
      expect(stored?.signature).toBe('c'.repeat(128));
      expect(await first.proofs.byCase('TA202603020000001')).toEqual(stored);
      expect(await first.proofs.byCode('ABCDEFGHIJKLMNOQ')).toBeNull();

      // PDF as issued (issue 15): the bytes are kept with the record and come back with the case's result.
      const pdf = Buffer.from('%PDF-1.3 as issued').toString('base64');
      expect(await first.proofs.record({ ...proof, verificationCode: 'ABCDEFGHIJKLMNOR', caseNumber: 'TA202603020000002', pdf })).toBe(true);
      expect((await second.proofs.byCase('TA202603020000002'))?.pdf).toBe(pdf);
    });

    it('stores the delivery chosen for a case and shows it in the case record (issue 15)', async () => {
      const store = await open();
      const delivery = { method: 'post', address: '山东省泰安市泰山区东岳大街128号', phone: '13853801234' };
      await store.cases.insert(newCase('TA202603020000001', 'L1', { delivery: JSON.stringify(delivery) }));
      await store.cases.insert(newCase('TA202603020000002', 'L2'));
      expect((await store.cases.find('TA202603020000001'))?.delivery).toEqual(delivery);
      expect(await store.cases.find('TA202603020000002')).not.toHaveProperty('delivery');
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
    payloadDigest: 'd'.repeat(64),
    reasons: ['所选情形需人工审核'],
    submittedAt: '2026-03-02T01:00:00.000Z',
    receivedAt: '2026-03-02T01:00:05.000Z',
    ...overrides,
  };
}

function heartbeatWrite(terminalId: string, receivedAtMs: number, overrides: Partial<HeartbeatWrite> = {}): HeartbeatWrite {
  return {
    terminalId,
    receivedAtMs,
    intervalMs: 60_000,
    state: 'serving',
    district: terminalId === 'TA-2' ? '370911' : '370902',
    hall: terminalId === 'TA-2' ? '岱岳区便民服务中心' : '泰山区政务服务中心',
    softwareVersion: '0.1.0',
    pending: 0,
    needsStaff: 0,
    configVersion: null,
    body: JSON.stringify({ sentAt: String(receivedAtMs) }),
    screenshot: null,
    alerts: [],
    commandResults: [],
    anchor: null,
    note: '',
    ...overrides,
  };
}
