import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';
import { CENTRAL_PATHS, SubmitApplicationResponse } from '../../../contract/central/api.js';
import { chinaDate } from '../../../contract/china-time.js';
import { AS_ISSUED_MARK } from '../../../central/proofs/licence-pdf.js';
import { DOCUMENT_KINDS, PROOF_PATHS, ProofIssueResponse, ProofListResponse, SealPublicKeyResponse, VerificationResult, verifySeal } from '../../../contract/proofs.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { centralDatabases } from '../../support/central-databases.js';
import { LI, SUN, sampleResultCases } from '../../support/result-cases.js';

/**
 * 秒批 results through central over real signed HTTP, on SQLite and on PostgreSQL (issue 15): every sample
 * application of the ten services is approved at once and answered with its result document of the kind's real
 * fields, sealed (the seal verifies under the key central serves); three of them are checked on the public
 * verification page (真实有效, the ID number masked) and with central's data behind them (公积金 account, tax rows).
 */
const TERMINAL = 'TA-RESULT-0001';

describe.each(centralDatabases())('秒批 result documents at central on $name', (database) => {
  let central: CentralServer;
  let client: CentralClient;

  beforeAll(async () => {
    await database.before();
    const secret = randomBytes(32).toString('hex');
    central = await startCentralServer({
      dbFile: await database.create(),
      catalog: loadCatalog(),
      terminals: [{ id: TERMINAL, secret }],
      // 李秀英 represents an enterprise here, for the 营业执照 e-licence central issues as a signed PDF.
      proofPopulation: [{ ...LI, enterprise: { name: '泰安市秀英商贸有限公司', address: '山东省泰安市岱岳区粥店街道龙潭路66号' } }, SUN],
      silentSweepMs: 0,
    });
    client = new CentralClient({ baseUrl: central.url, key: { keyId: TERMINAL, secret, algorithm: 'hmac-sha256' }, timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await central?.close();
    await database.after();
  });

  const submit = async (body: unknown) => {
    const answer = await client.call('POST', CENTRAL_PATHS.applications, SubmitApplicationResponse, body, { idempotencyKey: randomUUID() });
    if (answer.kind !== 'ok') throw new Error(`central answered ${answer.kind}: ${JSON.stringify(answer)}`);
    return answer.value;
  };
  const publicKey = async () => {
    const answer = await client.call('GET', PROOF_PATHS.sealPublicKey, SealPublicKeyResponse);
    if (answer.kind !== 'ok') throw new Error(`central answered ${answer.kind}`);
    return answer.value.publicKey;
  };

  it('answers each 秒批 application with its sealed result document, whose seal verifies', async () => {
    const key = await publicKey();
    const cases = sampleResultCases(chinaDate(new Date()), () => `R-${randomUUID()}`);
    for (const [serviceId, body] of Object.entries(cases)) {
      const answer = await submit(body);
      expect(answer.status, serviceId).toBe('approved');
      const result = answer.sealedResult;
      expect(result, serviceId).toBeDefined();
      expect(DOCUMENT_KINDS[result?.document.kind ?? 'tax-payment'].lifeCycle, serviceId).toBe('result');
      expect(result?.document.caseNumber).toBe(answer.caseNumber);
      expect(result && verifySeal(result, key), serviceId).toBe(true);
      // A changed character anywhere fails the seal: the check can fail.
      if (result) expect(verifySeal({ ...result, document: { ...result.document, fields: { ...result.document.fields, name: '王五' } } }, key)).toBe(false);
    }
  });

  it('shows three results as 真实有效 on the verification page, masked, filled from central’s data', async () => {
    const cases = sampleResultCases(chinaDate(new Date()), () => `P-${randomUUID()}`);
    const checks: Array<[string, string, (fields: Record<string, string>) => void]> = [
      ['childbearing-registration', '山东省生育登记服务单', (fields) => expect(fields.spouseName).toBe('王志强')],
      ['provident-fund-rent-withdrawal', '住房公积金提取凭证', (fields) => expect(fields.accountNumber).toBe(`3709${LI.idNumber.slice(-8)}01`)],
      ['senior-preferential-card', '山东省老年人优待证', (fields) => expect(fields.authority).toBe('泰安市宁阳县民政局')],
    ];
    for (const [serviceId, title, check] of checks) {
      const answer = await submit(cases[serviceId]);
      const result = answer.sealedResult;
      if (!result) throw new Error(`${serviceId}: no sealed result`);
      check(result.document.fields);
      const code = result.document.verificationCode;
      const json = VerificationResult.parse(await (await fetch(`${central.url}${PROOF_PATHS.verifyJson(code)}`)).json());
      expect(json.status).toBe('valid');
      expect(json.document?.title).toBe(title);
      const html = await (await fetch(`${central.url}${PROOF_PATHS.verifyPage(code)}`)).text();
      expect(html).toContain('真实有效');
      expect(html).toContain(title);
      const holder = serviceId === 'senior-preferential-card' ? SUN : LI;
      expect(html).not.toContain(holder.idNumber);
      expect(html).toContain(`${holder.idNumber.slice(0, 3)}***********${holder.idNumber.slice(-4)}`);
    }
  });

  it('redelivers a case with the same sealed result (same code, same derived numbers)', async () => {
    const body = sampleResultCases(chinaDate(new Date()), () => `A-${randomUUID()}`)['out-of-town-medical-filing'];
    const first = await submit(body);
    const again = await submit(body);
    expect(again.caseNumber).toBe(first.caseNumber);
    expect(again.sealedResult?.document.verificationCode).toBe(first.sealedResult?.document.verificationCode);
    expect(again.sealedResult?.document.fields.filingNumber).toBe(first.sealedResult?.document.fields.filingNumber);
  });

  it('issues the 营业执照 e-licence as a signed PDF: its SM3 is in the sealed content, its text is the licence’s', async () => {
    const key = await publicKey();
    const listed = await client.call('POST', PROOF_PATHS.available, ProofListResponse, { idNumber: LI.idNumber });
    if (listed.kind !== 'ok') throw new Error(`central answered ${listed.kind}`);
    const creditCode = listed.value.enterprises[0]?.creditCode ?? '';
    const request = { proofId: 'business-licence-copy', idNumber: LI.idNumber, creditCode, copies: 1 };
    const idempotencyKey = randomUUID();
    const answer = await client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, request, { idempotencyKey });
    if (answer.kind !== 'ok' || answer.value.outcome !== 'issued') throw new Error('not issued');
    const proof = answer.value.proof;
    const pdf = Buffer.from(proof.pdf ?? '', 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(proof.document.pdfSm3).toBe(createHash('sm3').update(pdf).digest('hex'));
    expect(verifySeal(proof, key)).toBe(true);
    // Other bytes under the same seal are refused: the kiosk would not print them.
    expect(verifySeal({ ...proof, pdf: Buffer.concat([pdf, Buffer.from('\n')]).toString('base64') }, key)).toBe(false);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('营业执照');
    expect(text).toContain(AS_ISSUED_MARK);
    expect(text).toContain(creditCode);
    expect(text).toContain('泰安市秀英商贸有限公司');
    expect(text).toContain(`核验码：${proof.document.verificationCode}`);
    // Asked again under the same key: the same bytes, not a second rendering.
    const again = await client.call('POST', PROOF_PATHS.issue, ProofIssueResponse, request, { idempotencyKey });
    expect(again.kind === 'ok' && again.value.outcome === 'issued' ? again.value.proof.pdf : null).toBe(proof.pdf);
  });
});
