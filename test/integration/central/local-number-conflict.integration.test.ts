import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CENTRAL_PATHS, type SubmitApplicationBody } from '../../../contract/central/api.js';
import { startCentralServer } from '../../../central/server.js';
import { signRequest, type SigningKey } from '../../../contract/central/signing.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { startTestCentral, submissionBody, temporaryDirectories, testCatalog, testIdNumber, type TestCentral } from '../../support/central-fixture.js';

/**
 * Issue 10, kind 1 at central: a local number is one application of one terminal. A submission under a
 * known local number is answered with the filed case only when it is that application again (same
 * applicant, same content: a redelivery whose idempotency record expired); another applicant or other
 * content under the number is refused 409 local-number-conflict, and nothing of the filed case is given
 * out. Kinds 4 and 5 at central: the applicant is normalised and checked for sense before anything is filed.
 */
const directories = temporaryDirectories();
let test: TestCentral;

beforeEach(async () => {
  test = await startTestCentral(directories.make('taian-central-conflict-'));
});
afterEach(async () => {
  await test.central.close();
  directories.cleanup();
});

/** Signed as the test terminal (or `via` another central and terminal), with a fresh Idempotency-Key unless one is given; `text` overrides the JSON. */
async function submit(body: unknown, options: { key?: string; text?: string; via?: { url: string; key: SigningKey } } = {}) {
  const text = options.text ?? JSON.stringify(body);
  const via = options.via ?? { url: test.central.url, key: test.key };
  const response = await fetch(`${via.url}${CENTRAL_PATHS.applications}`, {
    method: 'POST',
    headers: { ...signRequest(via.key, 'POST', CENTRAL_PATHS.applications, text), 'content-type': 'application/json', 'idempotency-key': options.key ?? randomUUID() },
    body: text,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function casesOf(applicantId: string): Array<{ case_number: string; applicant_id: string; local_number: string }> {
  const db = new Database(test.dbFile, { readonly: true });
  try {
    return db.prepare<[string], { case_number: string; applicant_id: string; local_number: string }>('SELECT case_number, applicant_id, local_number FROM cases WHERE applicant_id = ?').all(applicantId);
  } finally {
    db.close();
  }
}

const idNumber = (first17: string) => first17 + gb11643CheckChar(first17);

function applicationOf(localNumber: string, applicantId: string, birthDate: string, name: string): SubmitApplicationBody {
  const body = submissionBody(localNumber, applicantId);
  return { ...body, applicant: { ...body.applicant, idNumber: applicantId, birthDate, name } };
}

describe('central POST /v1/applications under a known local number', () => {
  it("refuses a new applicant's application under a repeated local number as a conflict, never answering with the older case (was: the other citizen's case number)", async () => {
    // The example: the kiosk's outbox was recreated, its numbers restarted, and the next citizen's application
    // arrived under the number of an application central had already filed for someone else.
    const first = await submit(applicationOf('TA-TEST-0001-20261201-0001', testIdNumber(1), '1988-03-01', '张三'));
    expect(first.status).toBe(201);
    const second = await submit(applicationOf('TA-TEST-0001-20261201-0001', testIdNumber(2), '1988-03-01', '李四'));
    expect(second).toEqual({ status: 409, json: { code: 'local-number-conflict', message: expect.stringContaining('另一件申请') as unknown } });
    expect(JSON.stringify(second.json)).not.toContain(String(first.json.caseNumber));
    expect(casesOf(testIdNumber(2))).toEqual([]);
    expect(casesOf(testIdNumber(1))).toEqual([{ case_number: first.json.caseNumber, applicant_id: testIdNumber(1), local_number: 'TA-TEST-0001-20261201-0001' }]);
    expect(test.central.stats()).toMatchObject({ casesCreated: 1, localNumberReplays: 0, localNumberConflicts: 1 });
  });

  it('refuses the same applicant with other content under a known local number, and refuses it again on retry with the same key', async () => {
    const body = submissionBody('TA-TEST-0001-20261201-0002');
    expect((await submit(body)).status).toBe(201);
    const changed = { ...body, draft: { ...body.draft, form: { ...body.draft.form, mobile: '13905381234' } } };
    const key = randomUUID();
    expect((await submit(changed, { key })).json.code).toBe('local-number-conflict');
    // The refusal is not stored as the key's answer: the same request is judged again, and refused again.
    expect(await submit(changed, { key })).toMatchObject({ status: 409, json: { code: 'local-number-conflict' } });
    expect(test.central.stats().localNumberConflicts).toBe(2);
  });

  it('answers a redelivery of the same application under a new key with its own case, however its JSON is laid out', async () => {
    const body = submissionBody('TA-TEST-0001-20261201-0003');
    const first = await submit(body);
    // The same application, its keys in another order (RFC 8785 canonical form makes the digest agree).
    const reordered = JSON.stringify({
      submittedAt: body.submittedAt,
      identitySource: body.identitySource,
      applicant: Object.fromEntries(Object.entries(body.applicant).reverse()),
      draft: { materials: {}, form: body.draft.form, answers: {}, serviceId: body.serviceId },
      serviceId: body.serviceId,
      localNumber: body.localNumber,
    });
    const again = await submit(null, { text: reordered });
    expect(again).toEqual({ status: 201, json: first.json });
    expect(test.central.stats()).toMatchObject({ casesCreated: 1, localNumberReplays: 1, localNumberConflicts: 0 });
  });

  it('compares only the applicant for a case filed before digests were kept', async () => {
    const body = submissionBody('TA-TEST-0001-20261201-0004');
    const first = await submit(body);
    const db = new Database(test.dbFile);
    db.prepare('UPDATE cases SET payload_digest = NULL WHERE case_number = ?').run(first.json.caseNumber as string);
    db.close();
    const changed = { ...body, draft: { ...body.draft, form: { mobile: '13905381234' } } };
    expect(await submit(changed)).toEqual({ status: 201, json: first.json });
    expect((await submit(applicationOf(body.localNumber, testIdNumber(3), '1988-03-01', '王五'))).json.code).toBe('local-number-conflict');
  });

  it("keeps local numbers per terminal: another terminal's application under the same number is its own case", async () => {
    const secret = randomBytes(32).toString('hex');
    const shared = await startCentralServer({
      dbFile: join(directories.make('taian-central-conflict-'), 'central.sqlite'),
      catalog: testCatalog(),
      terminals: [
        { id: 'TA-TEST-000A', secret },
        { id: 'TA-TEST-000B', secret },
      ],
    });
    try {
      const a = await submit(submissionBody('SHARED-LOCAL-0001'), { via: { url: shared.url, key: { keyId: 'TA-TEST-000A', secret, algorithm: 'hmac-sha256' } } });
      const b = await submit(applicationOf('SHARED-LOCAL-0001', testIdNumber(4), '1988-03-01', '赵六'), { via: { url: shared.url, key: { keyId: 'TA-TEST-000B', secret, algorithm: 'hmac-sha256' } } });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.json.caseNumber).not.toBe(a.json.caseNumber);
    } finally {
      await shared.close();
    }
  });
});

describe('central POST /v1/applications: the applicant is normalised and checked once (kinds 4, 5)', () => {
  it('files 11010519491231002x as 11010519491231002X, the form the kiosk validated', async () => {
    const answer = await submit(applicationOf('TA-TEST-0001-20261201-0010', '11010519491231002x', '1949-12-31', ' 孙七 '));
    expect(answer.status).toBe(201);
    expect(casesOf('11010519491231002X')).toHaveLength(1);
    expect(casesOf('11010519491231002x')).toHaveLength(0);
    const db = new Database(test.dbFile, { readonly: true });
    expect(db.prepare('SELECT applicant_name FROM cases WHERE case_number = ?').pluck().get(answer.json.caseNumber as string)).toBe('孙七');
    db.close();
    // Full-width digits and the lowercase check character are the same applicant: a redelivery, not a conflict.
    const fullWidth = applicationOf('TA-TEST-0001-20261201-0010', '１１０１０５１９４９１２３１００２ｘ', '1949-12-31', '孙七');
    expect(await submit(fullWidth)).toEqual({ status: 201, json: answer.json });
  });

  it("files a form's ID number, mobile and text in the one form the kiosk validates, whatever an older kiosk sent", async () => {
    const body = submissionBody('TA-TEST-0001-20261201-0016', testIdNumber(6), 'longevity-allowance');
    body.draft = { ...body.draft, serviceId: 'longevity-allowance', form: { idNumber: '11010519491231002x', mobile: '138 0538 1234', address: ' 泰山区 ', unknownToThisCatalog: ' kept ' } };
    const answer = await submit(body);
    expect(answer.status).toBe(201);
    const db = new Database(test.dbFile, { readonly: true });
    const payload = db.prepare<[string], string>('SELECT payload FROM cases WHERE case_number = ?').pluck().get(answer.json.caseNumber as string);
    db.close();
    expect(JSON.parse(payload ?? '{}')).toMatchObject({ form: { idNumber: '11010519491231002X', mobile: '13805381234', address: '泰山区', unknownToThisCatalog: ' kept ' } });
  });

  it('refuses a form text with a control or bidi-override character, naming the field', async () => {
    const body = submissionBody('TA-TEST-0001-20261201-0017', testIdNumber(7), 'longevity-allowance');
    body.draft = { ...body.draft, serviceId: 'longevity-allowance', form: { address: '泰山区\u202e路1号' } };
    expect(await submit(body)).toEqual({ status: 422, json: { code: 'invalid-draft', message: expect.stringMatching(/无法识别的字符/) as unknown } });
  });

  it('refuses 110105209912310010 (a valid check digit, born 2099-12-31) with a plain message', async () => {
    expect(idNumber('11010520991231001')).toBe('110105209912310010');
    const answer = await submit(applicationOf('TA-TEST-0001-20261201-0011', '110105209912310010', '2099-12-31', '周八'));
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ code: 'invalid-applicant', message: expect.stringMatching(/出生日期不合理/) as unknown });
    expect(casesOf('110105209912310010')).toEqual([]);
  });

  it('refuses an empty name, a name of control characters, a birth date the number contradicts, and a validity that ends before birth', async () => {
    const cases: Array<[SubmitApplicationBody, RegExp]> = [
      [applicationOf('TA-TEST-0001-20261201-0012', testIdNumber(5), '1988-03-01', '  '), /姓名/],
      [applicationOf('TA-TEST-0001-20261201-0013', testIdNumber(5), '1988-03-01', '吴\u202e九'), /姓名/],
      [applicationOf('TA-TEST-0001-20261201-0014', testIdNumber(5), '1988-03-02', '吴九'), /出生日期与证件号码不一致/],
      [{ ...applicationOf('TA-TEST-0001-20261201-0015', testIdNumber(5), '1988-03-01', '吴九'), applicant: { ...applicationOf('x', testIdNumber(5), '1988-03-01', '吴九').applicant, validTo: '1980-01-01' } }, /有效期/],
    ];
    for (const [body, message] of cases) {
      const answer = await submit(body);
      expect(answer.status).toBe(422);
      expect(answer.json.message).toMatch(message);
    }
    expect(casesOf(testIdNumber(5))).toEqual([]);
  });
});
