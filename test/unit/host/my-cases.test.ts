import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../contract/central/api.js';
import { CASE_QUERY_SERVICE_ID } from '../../../contract/personal-query.js';
import { createHandlers, type HostServices } from '../../../host/handlers.js';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox, type OutboxItem } from '../../../host/services/outbox.js';
import { submissionBody, temporaryDirectories, testIdNumber } from '../../support/central-fixture.js';

const directories = temporaryDirectories();
const opened: Outbox[] = [];
afterEach(() => {
  for (const outbox of opened.splice(0)) outbox.close();
  directories.cleanup();
});

const ID_NUMBER = testIdNumber(4242);

/**
 * `case:list-mine` over a real outbox and a scripted central. `answer` runs while the question is on the
 * wire: it returns what central knew when it answered, and may change the outbox as the drainer would.
 */
function rig(answer: (outbox: Outbox) => CallOutcome<CaseRecord[]>, check: { passed: boolean; assurance?: string } = { passed: true }) {
  const outbox = new Outbox({ file: join(directories.make(), 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001' });
  opened.push(outbox);
  const log = createLogger({ dataDir: null, minLevel: 'error' });
  const services = {
    info: () => ({ hallName: '泰安市政务服务中心', terminalId: 'TA-TEST-0001' }),
    catalog: { service: (id: string) => (id === CASE_QUERY_SERVICE_ID && check.assurance ? { name: '办件进度查询', identityAssurance: check.assurance } : id === CASE_QUERY_SERVICE_ID ? undefined : { name: '测试事项' }) },
    session: { current: () => ({ identity: { idNumber: ID_NUMBER } }), identityCheck: () => (check.passed ? { method: 'staff', staffNumber: '0001', outcome: 'passed' } : null) },
    devices: {},
    outbox,
    client: { call: () => Promise.resolve(answer(outbox)) },
    log,
  } as unknown as HostServices;
  const handlers = createHandlers(services);
  const enqueue = (): OutboxItem =>
    outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: log.pseudonym(ID_NUMBER), payload: (localNumber) => submissionBody(localNumber, ID_NUMBER) });
  return { outbox, enqueue, listMine: () => handlers['case:list-mine']({}, { audiences: new Set(['citizen']) }) };
}

const record = (localNumber: string, caseNumber: string): CaseRecord => ({
  caseNumber,
  localNumber,
  serviceId: 'svc',
  serviceName: '测试事项',
  status: 'accepted',
  submittedAt: '2026-11-28T01:00:00.000Z',
  rated: false,
});

describe('case:list-mine', () => {
  it('refuses a card holder whose identity has not been confirmed (人证核验), at the catalog’s level or, without one, by default', async () => {
    let asked = 0;
    const answer = (): CallOutcome<CaseRecord[]> => ((asked += 1), { kind: 'ok', status: 200, value: [] });
    const refused = { ok: false, error: { code: 'identity-check-needed', message: expect.stringMatching(/确认是您本人/) as string } };
    expect(await rig(answer, { passed: false, assurance: 'card+face' }).listMine()).toEqual(refused);
    expect(await rig(answer, { passed: false }).listMine()).toEqual(refused);
    // Central was never asked for the list.
    expect(asked).toBe(0);
    expect(await rig(answer, { passed: true, assurance: 'card+face-or-staff' }).listMine()).toMatchObject({ ok: true });
    // A catalog that says the card alone is enough is obeyed.
    expect(await rig(answer, { passed: false, assurance: 'card' }).listMine()).toMatchObject({ ok: true });
    expect(asked).toBe(2);
  });

  it('lists an application the drainer delivered after central answered without it (regression: it was in neither list)', async () => {
    let waiting: OutboxItem | null = null;
    const { enqueue, listMine } = rig((outbox) => {
      // Central answers before the application reaches it; then the drainer's acknowledgement lands.
      if (waiting) outbox.markDelivered(waiting, 'TA20261128000007', { caseNumber: 'TA20261128000007' });
      return { kind: 'ok', status: 200, value: [] };
    });
    waiting = enqueue();
    expect(await listMine()).toEqual({ ok: true, value: { cases: [expect.objectContaining({ caseRef: waiting.localNumber, caseNumber: null, status: 'queued' })], notice: null } });
  });

  it('lists an application once when central has it but its acknowledgement has not reached the kiosk yet', async () => {
    let waiting: OutboxItem | null = null;
    const { outbox, enqueue, listMine } = rig(() => ({ kind: 'ok', status: 200, value: waiting ? [record(waiting.localNumber, 'TA20261128000008')] : [] }));
    waiting = enqueue();
    const result = await listMine();
    expect(outbox.get(waiting.localNumber)?.state).toBe('pending');
    expect(result).toEqual({ ok: true, value: { cases: [expect.objectContaining({ caseRef: 'TA20261128000008', caseNumber: 'TA20261128000008' })], notice: null } });
  });

  it('lists what waits on the kiosk with a plain notice when central is unreachable, and fails plainly when nothing does', async () => {
    const { enqueue, listMine } = rig(() => ({ kind: 'retry', reason: 'network: TypeError', retryAfterMs: null }));
    expect(await listMine()).toMatchObject({ ok: false, error: { code: 'central-unavailable' } });
    const waiting = enqueue();
    expect(await listMine()).toEqual({
      ok: true,
      value: { cases: [expect.objectContaining({ caseRef: waiting.localNumber, status: 'queued' })], notice: expect.stringMatching(/网络暂时中断/) },
    });
  });
});
