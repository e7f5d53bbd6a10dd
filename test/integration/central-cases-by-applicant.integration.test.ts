import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadCatalog } from '../../catalog/load.js';
import { CENTRAL_PATHS, CasesByApplicantResponse, SubmitApplicationResponse, type SubmitApplicationBody } from '../../contract/central/api.js';
import { startCentralServer, type CentralServer } from '../../central/server.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { CentralClient } from '../../host/services/central-client.js';

/** 办件查询 by ID card: central lists one applicant's cases over real signed HTTP and real SQLite. */
const idNumber = (first17: string) => first17 + gb11643CheckChar(first17);
const ZHANG = idNumber('37090219680315123');
const LI = idNumber('37091119900822402');

function application(applicantId: string, serviceId: string, localNumber: string): SubmitApplicationBody {
  return {
    localNumber,
    serviceId,
    draft: { serviceId, answers: {}, form: {}, materials: {} },
    applicant: { cardType: 'resident', idNumber: applicantId, name: '测试', sex: 'male', birthDate: '1968-03-15', validTo: null, expired: false },
    identitySource: 'id-card',
    submittedAt: new Date().toISOString(),
  };
}

describe('central POST /v1/cases/by-applicant', () => {
  let directory: string;
  let central: CentralServer;
  let client: CentralClient;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'central-by-applicant-'));
    const secret = 'a'.repeat(32);
    central = await startCentralServer({ dbFile: join(directory, 'central.sqlite'), catalog: loadCatalog(), terminals: [{ id: 'TA-TEST-0001', secret }] });
    client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-TEST-0001', secret, algorithm: 'hmac-sha256' }, timeoutMs: 5_000 });
    const submit = (body: SubmitApplicationBody) =>
      client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, body, { idempotencyKey: randomUUID() });
    expect((await submit(application(ZHANG, 'senior-preferential-card', 'TA-TEST-0001-20261128-0001'))).kind).toBe('ok');
    expect((await submit(application(LI, 'skill-upgrade-subsidy', 'TA-TEST-0001-20261128-0002'))).kind).toBe('ok');
    expect((await submit(application(ZHANG, 'skill-upgrade-subsidy', 'TA-TEST-0001-20261128-0003'))).kind).toBe('ok');
  });

  afterAll(async () => {
    await central?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("lists only the holder's cases, newest first, with their status and rating", async () => {
    const listed = await client.call('POST', CENTRAL_PATHS.casesByApplicant, CasesByApplicantResponse, { idNumber: ZHANG });
    expect(listed.kind).toBe('ok');
    const cases = listed.kind === 'ok' ? listed.value : [];
    expect(cases.map((record) => record.localNumber)).toEqual(['TA-TEST-0001-20261128-0003', 'TA-TEST-0001-20261128-0001']);
    expect(cases.every((record) => record.rated === false)).toBe(true);

    const first = cases[1]?.caseNumber ?? '';
    await client.call('POST', CENTRAL_PATHS.ratings, z.unknown(), { rating: { caseRef: first, level: 'satisfied' }, channel: 'self-service-terminal' });
    const again = await client.call('POST', CENTRAL_PATHS.casesByApplicant, CasesByApplicantResponse, { idNumber: ZHANG });
    expect(again.kind === 'ok' && again.value.find((record) => record.caseNumber === first)?.rated).toBe(true);
  });

  it('answers an empty list for someone with no cases', async () => {
    const listed = await client.call('POST', CENTRAL_PATHS.casesByApplicant, CasesByApplicantResponse, { idNumber: idNumber('37098319850107351') });
    expect(listed).toMatchObject({ kind: 'ok', value: [] });
  });

  it('refuses a body without a valid ID number field', async () => {
    const listed = await client.call('POST', CENTRAL_PATHS.casesByApplicant, CasesByApplicantResponse, { id: ZHANG });
    expect(listed).toMatchObject({ kind: 'permanent', status: 400 });
  });
});
