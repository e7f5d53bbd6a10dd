import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TodayCases } from '../../../contract/staff-today.js';
import { Outbox, type OutboxItem } from '../../../host/services/outbox.js';
import { chinaDayStart, listTodayCases, type MaskedNameCache, type TodayServices } from '../../../host/staff-today.js';
import type { PrintJournalEntry } from '../../../print-templates/journal.js';
import { submissionBody, temporaryDirectories, testIdNumber } from '../../support/central-fixture.js';

const directories = temporaryDirectories();
const opened: Outbox[] = [];
afterEach(() => {
  for (const outbox of opened.splice(0)) outbox.close();
  directories.cleanup();
});

/** 2026-12-01 10:00 Beijing time. */
const NOW = Date.parse('2026-12-01T02:00:00Z');

/**
 * 今日办件 over a real outbox (SQLite, sealed payloads) whose clock the test moves, a print journal
 * holding what `pending` lists, and an audit that records what it is given.
 */
function rig() {
  let clock = NOW;
  const outbox = new Outbox({ file: join(directories.make(), 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001', now: () => clock });
  opened.push(outbox);
  const pending: PrintJournalEntry[] = [];
  const audit: { actor: string; event: string; subject?: string; outcome: string }[] = [];
  const services: TodayServices = {
    outbox,
    printing: { pending: () => pending },
    catalog: { service: (id: string) => (id === 'svc' ? ({ name: '城乡居民基本养老保险参保登记' } as never) : null) },
    audit: { append: (entry) => audit.push(entry) },
  };
  const enqueue = (at: number, name = '欧阳娜娜', serviceId = 'svc'): OutboxItem => {
    clock = at;
    const item = outbox.enqueue({
      kind: 'application',
      serviceId,
      applicantPseudonym: 'p-test',
      payload: (localNumber) => {
        const body = submissionBody(localNumber, testIdNumber(7), serviceId);
        return { ...body, applicant: { ...body.applicant, name } };
      },
    });
    clock = NOW;
    return item;
  };
  const list = (filter: 'all' | 'needs-review' | 'unsent' = 'all') => TodayCases.parse(listTodayCases(services, filter, 'staff:0001', clock));
  return { outbox, services, pending, audit, enqueue, list, setClock: (at: number) => (clock = at) };
}

describe('今日办件 (staff:list-today)', () => {
  it('lists only applications of today by the China date, newest first', () => {
    const { enqueue, list } = rig();
    enqueue(Date.parse('2026-11-30T15:59:59Z')); // 23:59:59 on 30 November, Beijing time
    const early = enqueue(Date.parse('2026-11-30T16:00:00Z')); // 00:00 on 1 December, Beijing time
    const later = enqueue(Date.parse('2026-12-01T01:00:00Z'));
    expect(chinaDayStart(NOW)).toBe(Date.parse('2026-11-30T16:00:00Z'));
    const today = list();
    expect(today.date).toBe('2026-12-01');
    expect(today.cases.map((item) => item.localNumber)).toEqual([later.localNumber, early.localNumber]);
    expect(today.counts.all).toBe(2);
  });

  it('puts each state in words with central reasons, and filters 转工作人员审核 and 未提交', () => {
    const { outbox, enqueue, list } = rig();
    const waiting = enqueue(NOW - 60_000);
    const stuck = enqueue(NOW - 50_000);
    outbox.markNeedsStaff(stuck, 'needs-staff: invalid-applicant');
    const review = enqueue(NOW - 40_000);
    outbox.markDelivered(review, 'TA20261201000001', { caseNumber: 'TA20261201000001', localNumber: review.localNumber, status: 'accepted', reasons: ['所选情形需人工审核'] });
    const accepted = enqueue(NOW - 30_000);
    outbox.markDelivered(accepted, 'TA20261201000002', { caseNumber: 'TA20261201000002', localNumber: accepted.localNumber, status: 'accepted', reasons: [] });
    const done = enqueue(NOW - 20_000);
    outbox.markDelivered(done, 'TA20261201000003', { caseNumber: 'TA20261201000003', localNumber: done.localNumber, status: 'approved', reasons: [] });

    const all = list();
    const byNumber = new Map(all.cases.map((item) => [item.localNumber, item]));
    expect(byNumber.get(waiting.localNumber)).toMatchObject({ state: 'unsent', stateText: '未提交（等待自动提交）', caseNumber: null });
    expect(byNumber.get(stuck.localNumber)).toMatchObject({ state: 'unsent', stateText: '未提交（需工作人员处理）' });
    expect(byNumber.get(stuck.localNumber)?.reasons[0]).toContain('申请人的证件信息不合理');
    expect(byNumber.get(review.localNumber)).toMatchObject({ state: 'needs-review', stateText: '转工作人员审核', caseNumber: 'TA20261201000001', reasons: ['所选情形需人工审核'] });
    expect(byNumber.get(accepted.localNumber)).toMatchObject({ state: 'accepted', stateText: '已受理', reasons: [] });
    expect(byNumber.get(done.localNumber)).toMatchObject({ state: 'completed', stateText: '已办结' });
    expect(all.cases.every((item) => item.serviceName === '城乡居民基本养老保险参保登记')).toBe(true);
    expect(all.counts).toEqual({ all: 5, needsReview: 1, unsent: 2 });

    expect(list('needs-review').cases.map((item) => item.localNumber)).toEqual([review.localNumber]);
    expect(list('unsent').cases.map((item) => item.localNumber)).toEqual([stuck.localNumber, waiting.localNumber]);
    expect(list('unsent').counts).toEqual(all.counts);
    // No code and no English reaches the desk's state words.
    for (const item of all.cases) expect(item.stateText).not.toMatch(/[A-Za-z]/);
  });

  it('masks the applicant name, never carries the ID number, and has no name once retention purged the record', () => {
    const { outbox, enqueue, list, setClock } = rig();
    const kept = enqueue(NOW - 60_000, '欧阳娜娜');
    const purged = enqueue(NOW - 50_000, '张三');
    outbox.markDelivered(purged, 'TA20261201000009', { caseNumber: 'TA20261201000009', localNumber: purged.localNumber, status: 'accepted', reasons: [] });
    setClock(NOW + 1_000);
    expect(outbox.purgeDelivered(0).map((item) => item.localNumber)).toEqual([purged.localNumber]);

    const today = list();
    const byNumber = new Map(today.cases.map((item) => [item.localNumber, item]));
    expect(byNumber.get(kept.localNumber)?.applicantMasked).toBe('欧**娜');
    expect(byNumber.get(purged.localNumber)?.applicantMasked).toBeNull();
    const text = JSON.stringify(today);
    expect(text).not.toContain('欧阳娜娜');
    expect(text).not.toContain(testIdNumber(7));
  });

  it('opens each sealed payload once with a cache, and forgets names no longer listed', () => {
    const { outbox, services, enqueue, setClock } = rig();
    const first = enqueue(NOW - 60_000, '欧阳娜娜');
    let opened = 0;
    const counting: TodayServices = { ...services, outbox: { applicationsCreatedBetween: (from, to) => outbox.applicationsCreatedBetween(from, to), payload: (item) => (opened++, outbox.payload(item)) } };
    const cache: MaskedNameCache = new Map();
    listTodayCases(counting, 'all', 'staff:0001', NOW, cache);
    expect(listTodayCases(counting, 'all', 'staff:0001', NOW, cache).cases[0]?.applicantMasked).toBe('欧**娜');
    expect(opened).toBe(1);
    // The next day: yesterday's case is not listed and its name leaves the cache.
    setClock(NOW + 86_400_000);
    expect(listTodayCases(counting, 'all', 'staff:0001', NOW + 86_400_000, cache).cases).toEqual([]);
    expect(cache.has(first.localNumber)).toBe(false);
  });

  it('says which document waits for 补打', () => {
    const { pending, enqueue, list } = rig();
    const item = enqueue(NOW - 60_000);
    const other = enqueue(NOW - 30_000);
    pending.push({ jobId: '6f1c4c3e-5b1a-4d3f-9a57-3f0f1d5e7a10', document: 'receipt', caseReference: item.localNumber, createdAt: new Date(NOW).toISOString(), state: 'pending', attempts: [] });
    const byNumber = new Map(list().cases.map((entry) => [entry.localNumber, entry]));
    expect(byNumber.get(item.localNumber)?.reprintWaiting).toBe('受理回执');
    expect(byNumber.get(other.localNumber)?.reprintWaiting).toBeNull();
  });

  it('audits every opening and filter under the 工号, without personal data', () => {
    const { enqueue, list, audit } = rig();
    enqueue(NOW - 60_000, '欧阳娜娜');
    list();
    list('unsent');
    expect(audit).toEqual([
      { actor: 'staff:0001', event: 'staff.list-today', outcome: 'filter all: 1 of 1' },
      { actor: 'staff:0001', event: 'staff.list-today', outcome: 'filter unsent: 1 of 1' },
    ]);
    expect(JSON.stringify(audit)).not.toContain('欧阳');
  });
});
