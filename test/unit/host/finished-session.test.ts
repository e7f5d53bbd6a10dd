import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import type { Service } from '../../../contract/catalog.js';
import type { IdentityCard, SessionEndReason } from '../../../contract/domain.js';
import { loadCatalog } from '../../../catalog/load.js';
import { createHandlers, type HostServices } from '../../../host/handlers.js';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox } from '../../../host/services/outbox.js';
import { CONCLUDE_GRACE_MS, SessionService } from '../../../host/services/session.js';
import { temporaryDirectories } from '../../support/central-fixture.js';
import { CARD, completeDraft, idNumber } from '../catalog/flow-walk.js';

const catalog = loadCatalog();
const senior = catalog.services.find((service) => service.id === 'senior-preferential-card') as Service;
const directories = temporaryDirectories();
const CITIZEN = { audiences: new Set(['citizen'] as const) };

/**
 * The citizen channels over a real session and a real outbox, with central scripted: what the host itself
 * refuses once a session has submitted, whatever the window does (issue 9 item 3: 返回 twice after the
 * rating brought the confirm page back, and 确认提交 made a second case).
 */
function rig(printReceipt: () => Promise<unknown> = () => Promise.resolve({ jobId: 'job-1', printed: true, pdfFile: '' })) {
  const log = createLogger({ dataDir: null, minLevel: 'error' });
  const ended: SessionEndReason[] = [];
  const session = new SessionService({ idleTimeoutMs: 120_000, idleWarningMs: 30_000, log, onIdleWarning: () => undefined, onEnded: (reason) => ended.push(reason) });
  const outbox = new Outbox({ file: join(directories.make(), 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001' });
  const calls: string[] = [];
  const storageFailures: unknown[] = [];
  const answer = (path: string): CallOutcome<unknown> => {
    if (path === CENTRAL_PATHS.profile) return { kind: 'ok', status: 200, value: { mobile: '13805381234' } };
    if (path === CENTRAL_PATHS.licences) return { kind: 'ok', status: 200, value: [{ licenceId: 'EL-1', licenceType: 'household-register', title: '居民户口簿', issuer: '泰安市电子证照库', issuedOn: '2020-06-01' }] };
    return { kind: 'retry', reason: 'network: TypeError', retryAfterMs: null };
  };
  const services = {
    info: () => ({ hallName: '泰安市政务服务中心', terminalId: 'TA-TEST-0001' }),
    catalog: { service: (id: string) => catalog.services.find((service) => service.id === id) ?? null },
    session,
    devices: {},
    outbox,
    drainer: { kick: () => undefined, waitFor: () => Promise.resolve(null) },
    network: { online: true },
    client: {
      call: (_method: string, path: string) => {
        calls.push(path);
        return Promise.resolve(answer(path));
      },
    },
    printing: { printReceipt },
    log,
    progressUrl: (caseRef: string) => `https://central.example/p/${caseRef}`,
    submitWaitMs: 0,
    onStorageFailure: (error: unknown) => void storageFailures.push(error),
  } as unknown as HostServices;
  const handlers = createHandlers(services);
  return { session, outbox, handlers, ended, calls, storageFailures };
}

let current: ReturnType<typeof rig>;
beforeEach(() => {
  current = rig();
});
afterEach(() => {
  current.session.dispose();
  current.outbox.close();
  directories.cleanup();
  vi.useRealTimers();
});

const submit = (draft = completeDraft(senior, {})) => current.handlers['application:submit'](draft, CITIZEN);
/** Applications waiting in the outbox (the drainer is a stand-in here: nothing leaves). */
const applications = () => current.outbox.depth().pending;

describe('A finished session (host)', () => {
  it('refuses a second submission in the same session, in plain Chinese, and keeps one case', async () => {
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    const first = await submit();
    expect(first.ok).toBe(true);
    const second = await submit();
    expect(second).toEqual({ ok: false, error: { code: 'session-finished', message: expect.stringContaining('不能重复提交') as string } });
    expect(applications()).toBe(1);
  });

  it('refuses the second of two submissions sent at once (a double tap on 确认提交)', async () => {
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    const results = await Promise.all([submit(), submit()]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
    expect(applications()).toBe(1);
  });

  it('may still rate and query, but not prefill a form, fetch a licence or start another application', async () => {
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    const outcome = await submit();
    if (!outcome.ok) throw new Error(outcome.error.message);
    const finished = { ok: false, error: { code: 'session-finished', message: expect.any(String) as string } };
    expect(await current.handlers['application:prefill']({ serviceId: senior.id }, CITIZEN)).toEqual(finished);
    expect(await current.handlers['licence:lookup']({ licenceType: 'household-register' }, CITIZEN)).toEqual(finished);
    expect(await current.handlers['session:start']({ serviceId: 'longevity-allowance' }, CITIZEN)).toEqual(finished);
    expect(current.calls).not.toContain(CENTRAL_PATHS.profile);
    expect(await current.handlers['case:list-mine']({}, CITIZEN)).toMatchObject({ ok: true });
    expect(await current.handlers['rating:submit']({ caseRef: outcome.value.localNumber, level: 'satisfied' }, CITIZEN)).toEqual({ ok: true, value: { accepted: true } });
  });

  it('ends a short grace after its case is rated, however often the screen is touched', async () => {
    vi.useFakeTimers();
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    const outcome = await submit();
    if (!outcome.ok) throw new Error(outcome.error.message);
    await current.handlers['rating:submit']({ caseRef: outcome.value.localNumber, level: 'very-satisfied' }, CITIZEN);
    for (let second = 0; second < CONCLUDE_GRACE_MS / 1000 - 1; second++) {
      current.session.touch();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(current.ended).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(current.ended).toEqual(['completed']);
    expect(current.session.current()).toBeNull();
  });

  it('keeps an open session open while it is used, before it submits', async () => {
    vi.useFakeTimers();
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    for (let minute = 0; minute < 5; minute++) {
      await vi.advanceTimersByTimeAsync(60_000);
      current.session.touch();
    }
    expect(current.ended).toEqual([]);
    expect(current.session.finished()).toBe(false);
  });

  it('refuses an applicant an eligibility rule excludes, whatever the window sends', async () => {
    const thirtyFive: IdentityCard = { ...CARD, birthDate: '1991-08-22', idNumber: idNumber('370911', '19910822', '402') };
    current.session.start(senior.id);
    current.session.setIdentity(thirtyFive, 'id-card', null);
    expect(await submit()).toEqual({ ok: false, error: { code: 'not-eligible', message: expect.stringContaining('需年满60周岁') as string } });
    expect(current.session.finished()).toBe(false);
  });
});

describe('A receipt that cannot be written (host)', () => {
  it('still tells the citizen the saved application was submitted, with its number, and stops the kiosk for the next one', async () => {
    // The chaos disk-full run: the outbox took the application, then the print journal hit the full disk and
    // the citizen read 系统暂时出现问题 for an application that was saved and later sent.
    current.session.dispose();
    current.outbox.close();
    current = rig(() => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })));
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    const outcome = await submit();
    expect(outcome).toMatchObject({ ok: true, value: { status: 'queued', receipt: { printed: false } } });
    const value = (outcome as { value: { localNumber: string; receipt: { notice: string } } }).value;
    expect(value.receipt.notice).toMatch(/受理编号/);
    expect(current.outbox.get(value.localNumber)?.state).toBe('pending');
    expect(current.storageFailures).toHaveLength(1);
  });

  it('keeps the kiosk in service when the receipt fails for another reason', async () => {
    current.session.dispose();
    current.outbox.close();
    current = rig(() => Promise.reject(new TypeError('font missing')));
    current.session.start(senior.id);
    current.session.setIdentity(CARD, 'id-card', null);
    current.session.recordStaffCheck('0001');
    expect((await submit()).ok).toBe(true);
    expect(current.storageFailures).toEqual([]);
  });
});
