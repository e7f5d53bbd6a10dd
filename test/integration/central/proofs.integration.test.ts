import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { NO_IDENTITY_CHECK_REASON } from '../../../central/approval.js';
import { CENTRAL_PATHS, CaseRecord, SubmitApplicationResponse, type SubmitApplicationBody } from '../../../contract/central/api.js';
import {
  PROOF_PATHS,
  ProofIssueResponse,
  ProofListResponse,
  SealPublicKeyResponse,
  VerificationResult,
  isValidVerificationCode,
  verificationCodeFrom,
  verifySeal,
  type IssuedProof,
  type ProofRequest,
} from '../../../contract/proofs.js';
import { isValidCreditCode } from '../../../contract/validators/gb32100.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import type { DemoPerson } from '../../../central/proofs/demo.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { centralDatabases } from '../../support/central-databases.js';

/**
 * Proofs at central over real signed HTTP, on SQLite and on PostgreSQL (issue 15): issue → the seal verifies
 * with the public key central serves → the JSON and the public page say 真实有效; an altered code → 无此证明;
 * past its validity → 已失效; enterprise proofs only for the 法定代表人; the 秒批 营业执照 carries its real
 * fields under a seal; the delivery choice is stored with the case.
 */
const idNumber = (first17: string) => first17 + gb11643CheckChar(first17);
const ZHANG = idNumber('37090219680315123');
const LI = idNumber('37091119900822402');
const POPULATION: DemoPerson[] = [
  {
    idNumber: ZHANG,
    name: '张建华',
    sex: 'male',
    birthDate: '1968-03-15',
    ethnicity: '汉族',
    address: '山东省泰安市泰山区东岳大街128号',
    enterprise: { name: '泰安市岱宗商贸有限公司', address: '山东省泰安市泰山区财源街道东岳大街128号' },
  },
  { idNumber: LI, name: '李秀英', sex: 'female', birthDate: '1990-08-22', ethnicity: '回族', address: '山东省泰安市岱岳区粥店街道龙潭路66号' },
];
const TERMINAL = 'TA-PROOF-0001';

describe.each(centralDatabases())('Proofs at central on $name', (database) => {
  let central: CentralServer;
  let client: CentralClient;
  /** Central's clock runs this far ahead of the real one (to reach a proof's expiry). */
  let aheadMs = 0;

  beforeAll(async () => {
    await database.before();
    const secret = randomBytes(32).toString('hex');
    central = await startCentralServer({
      dbFile: await database.create(),
      catalog: loadCatalog(),
      terminals: [{ id: TERMINAL, secret }],
      proofPopulation: POPULATION,
      now: () => new Date(Date.now() + aheadMs),
      silentSweepMs: 0,
    });
    client = new CentralClient({ baseUrl: central.url, key: { keyId: TERMINAL, secret, algorithm: 'hmac-sha256' }, timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await central?.close();
    await database.after();
  });

  async function ok<T>(outcome: Promise<{ kind: string; value?: T; reason?: string }>): Promise<T> {
    const settled = await outcome;
    if (settled.kind !== 'ok') throw new Error(`central answered ${settled.kind}: ${settled.reason ?? ''}`);
    return settled.value as T;
  }
  const issue = (request: ProofRequest) => ok(client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, request, { idempotencyKey: randomUUID() }));
  const verifyJson = async (code: string) => VerificationResult.parse(await (await fetch(`${central.url}${PROOF_PATHS.verifyJson(code)}`)).json());
  const publicKey = async () => (await ok(client.call('GET', PROOF_PATHS.sealPublicKey, SealPublicKeyResponse))).publicKey;
  const issued = (answer: ProofIssueResponse): IssuedProof => {
    if (answer.outcome !== 'issued') throw new Error(`refused: ${answer.refusal.message}`);
    return answer.proof;
  };

  it('lists the proofs a person has data for, and the enterprises they represent', async () => {
    const zhang = await ok(client.call('POST', PROOF_PATHS.available, ProofListResponse, { idNumber: ZHANG }));
    expect(zhang.proofs.length).toBeGreaterThanOrEqual(8);
    expect(zhang.proofs.filter((proof) => proof.lifeCycle === 'enterprise').every((proof) => proof.available)).toBe(true);
    expect(zhang.enterprises.map((enterprise) => enterprise.name)).toEqual(['泰安市岱宗商贸有限公司']);
    const li = await ok(client.call('POST', PROOF_PATHS.available, ProofListResponse, { idNumber: LI }));
    expect(li.enterprises).toEqual([]);
    const enterpriseProof = li.proofs.find((proof) => proof.proofId === 'business-licence-copy');
    expect(enterpriseProof?.available).toBe(false);
    expect(enterpriseProof?.reason).toContain('法定代表人');
  });

  it('issues a sealed proof whose seal verifies, and whose code the JSON and the page call 真实有效', async () => {
    const proof = issued(await issue({ proofId: 'social-insurance-payment', idNumber: ZHANG, copies: 2 }));
    expect(proof.copies).toBe(2);
    expect(proof.document.fields.name).toBe('张建华');
    expect(proof.document.rows?.length).toBeGreaterThan(0);
    expect(isValidVerificationCode(proof.document.verificationCode)).toBe(true);
    const key = await publicKey();
    expect(verifySeal(proof, key)).toBe(true);
    expect(verifySeal({ ...proof, document: { ...proof.document, fields: { ...proof.document.fields, totalMonths: '999' } } }, key)).toBe(false);

    const json = await verifyJson(proof.document.verificationCode);
    expect(json.status).toBe('valid');
    expect(json.statusText).toBe('真实有效');
    // Only the marked fields, masked: no full ID number, no full name, nothing of the table.
    expect(json.document?.keyFields).toContainEqual({ label: '姓名', value: '张*华' });
    expect(JSON.stringify(json)).not.toContain(ZHANG);
    expect(JSON.stringify(json)).not.toContain('张建华');

    const page = await fetch(`${central.url}${PROOF_PATHS.verifyPage(proof.document.verificationCode)}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('真实有效');
    expect(html).toContain('社会保险缴费证明');
    expect(html).not.toContain(ZHANG);
  });

  it('says 无此证明 for an altered code, for an unknown well-formed one, and for rubbish', async () => {
    const proof = issued(await issue({ proofId: 'household-registration', idNumber: LI, copies: 1 }));
    const code = proof.document.verificationCode;
    const altered = code.slice(0, 3) + (code[3] === 'A' ? 'B' : 'A') + code.slice(4);
    expect((await verifyJson(altered)).status).toBe('not-found');
    expect(await (await fetch(`${central.url}${PROOF_PATHS.verifyPage(altered)}`)).text()).toContain('无此证明');
    const unknown = verificationCodeFrom(Array.from({ length: 15 }, (_, index) => (index * 7 + 3) % 36));
    expect(isValidVerificationCode(unknown)).toBe(true);
    expect((await verifyJson(unknown)).statusText).toBe('无此证明');
    const rubbish = await fetch(`${central.url}/verify/%3Cscript%3E`);
    expect(rubbish.status).toBe(200);
    const html = await rubbish.text();
    expect(html).toContain('无此证明');
    expect(html).not.toContain('<script>');
    // The form's query (a typed code, lower case and spaced) reaches the same answer.
    const typed = await (await fetch(`${central.url}/verify?code=${encodeURIComponent(`${code.slice(0, 8).toLowerCase()} ${code.slice(8)}`)}`)).text();
    expect(typed).toContain('真实有效');
  });

  it('says 已失效 once the validity date has passed', async () => {
    const proof = issued(await issue({ proofId: 'housing-fund-deposit', idNumber: LI, copies: 1 }));
    expect((await verifyJson(proof.document.verificationCode)).status).toBe('valid');
    aheadMs = 40 * 86_400_000;
    try {
      const json = await verifyJson(proof.document.verificationCode);
      expect(json.status).toBe('expired');
      expect(json.statusText).toBe('已失效');
    } finally {
      aheadMs = 0;
    }
  });

  it('issues enterprise proofs to the 法定代表人 only, and refuses anyone else with the reason', async () => {
    const list = await ok(client.call('POST', PROOF_PATHS.available, ProofListResponse, { idNumber: ZHANG }));
    const creditCode = list.enterprises[0]?.creditCode ?? '';
    expect(isValidCreditCode(creditCode)).toBe(true);
    const licence = issued(await issue({ proofId: 'business-licence-copy', idNumber: ZHANG, creditCode, copies: 1 }));
    expect(licence.document.fields.creditCode).toBe(creditCode);
    expect(verifySeal(licence, await publicKey())).toBe(true);
    const refused = await issue({ proofId: 'enterprise-credit-report', idNumber: LI, creditCode, copies: 1 });
    expect(refused).toEqual({ outcome: 'refused', refusal: { code: 'not-legal-representative', message: expect.stringContaining('法定代表人') } });
  });

  it('refuses a personal proof central holds no data for, and copies out of bounds', async () => {
    const stranger = idNumber('37098319850107351');
    expect(await issue({ proofId: 'tax-payment', idNumber: stranger, copies: 1 })).toMatchObject({ outcome: 'refused', refusal: { code: 'no-record' } });
    const tooMany = await client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, { proofId: 'tax-payment', idNumber: ZHANG, copies: 6 }, { idempotencyKey: randomUUID() });
    expect(tooMany.kind).toBe('permanent');
  });

  it('seals the 秒批 个体工商户营业执照 with its real fields, and stores the delivery with the case', async () => {
    const body: SubmitApplicationBody = {
      localNumber: `${TERMINAL}-${Date.now()}`,
      serviceId: 'individual-business-registration',
      draft: {
        serviceId: 'individual-business-registration',
        answers: { organisation: 'personal', 'standard-scope': 'yes' },
        form: {
          businessName: '泰山区秀英百货店',
          applicantName: '李秀英',
          idNumber: LI,
          mobile: '13853801234',
          businessScopeItems: ['日用百货销售', '文具用品零售'],
          capital: '50000',
          division: '370902',
          address: '财源街道青年路9号',
          employees: '2',
        },
        materials: {},
      },
      applicant: { cardType: 'resident', idNumber: LI, name: '李秀英', sex: 'female', birthDate: '1990-08-22', validTo: '2038-03-01', expired: false },
      identitySource: 'id-card',
      submittedAt: new Date().toISOString(),
      delivery: { method: 'post', address: '山东省泰安市泰山区财源街道青年路9号', phone: '13853801234' },
    };
    body.identityCheck = { method: 'face', outcome: 'passed' };
    const answer = await ok(client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, body, { idempotencyKey: randomUUID() }));
    expect(answer.status).toBe('approved');
    const licence = answer.sealedResult;
    expect(licence?.document.kind).toBe('individual-business-licence');
    expect(licence?.document.caseNumber).toBe(answer.caseNumber);
    expect(licence?.document.fields).toMatchObject({
      enterpriseName: '泰山区秀英百货店',
      type: '个体工商户',
      operator: '李秀英',
      organisationForm: '个人经营',
      premises: '山东省泰安市泰山区财源街道青年路9号',
      businessScope: '日用百货销售；文具用品零售',
      registrationAuthority: '泰安市泰山区行政审批服务局',
    });
    expect(isValidCreditCode(licence?.document.fields.creditCode ?? '')).toBe(true);
    expect(licence?.document.fields.creditCode?.startsWith('92370902')).toBe(true);
    expect(licence && verifySeal(licence, await publicKey())).toBe(true);
    expect((await verifyJson(licence?.document.verificationCode ?? '')).status).toBe('valid');

    // Redelivered under a new key (the first key's record expired): the same case, the same sealed licence.
    const again = await ok(client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, body, { idempotencyKey: randomUUID() }));
    expect(again.caseNumber).toBe(answer.caseNumber);
    expect(again.sealedResult?.document.verificationCode).toBe(licence?.document.verificationCode);

    const record = await ok(client.call('GET', CENTRAL_PATHS.caseByRef(answer.caseNumber), CaseRecord));
    expect(record.delivery).toEqual({ method: 'post', address: '山东省泰安市泰山区财源街道青年路9号', phone: '13853801234' });

    // The same application without the 人证核验 (a kiosk from before issue 14, or a bypassed host): accepted
    // for staff to confirm who applied, nothing sealed.
    const { identityCheck: _passed, ...withoutCheck } = body;
    const unchecked = await ok(client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, { ...withoutCheck, localNumber: `${TERMINAL}-${Date.now()}-u` }, { idempotencyKey: randomUUID() }));
    expect(unchecked).toMatchObject({ status: 'accepted', reasons: [NO_IDENTITY_CHECK_REASON] });
    expect(unchecked.sealedResult).toBeUndefined();
  });

  it('gives one answer to a retried issue request with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const request = { proofId: 'real-estate-record', idNumber: ZHANG, copies: 1 };
    const first = await ok(client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, request, { idempotencyKey: key }));
    const second = await ok(client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, request, { idempotencyKey: key }));
    expect(second).toEqual(first);
  });
});
