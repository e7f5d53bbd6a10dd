import type { SubmitApplicationBody } from '../../contract/central/api.js';
import { demoCreditCode, demoPersonalSources, type DemoPerson } from '../../central/proofs/demo.js';
import { RESULT_DOCUMENTS, type ResultDocument } from '../../central/proofs/results.js';
import type { CentralData } from '../../central/store/store.js';
import { DOCUMENT_KINDS, PROOF_WATERMARK, ProofDocument, verificationCodeFrom } from '../../contract/proofs.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { proofDocumentData } from '../../host/services/proofs.js';
import type { ProofDocumentData } from '../../print-templates/proof.js';

/**
 * Sample 秒批 applications for the services whose result central lays out (central/proofs/results.ts), each
 * filled as the kiosk would submit it and meeting its autoApproval checks, for the result-document tests
 * (unit: test/unit/central/result-documents.test.ts; through central: result-documents.integration.test.ts).
 * Invented people; dates relative to `today` so the date fields stay within their catalog ranges.
 */
const idNumber = (first17: string) => first17 + gb11643CheckChar(first17);

/** 李秀英, 36, 岱岳区: of working age (生育, 参保, 签注, 补贴, 公积金, 完税, 异地就医). */
export const LI: DemoPerson = { idNumber: idNumber('37091119900822402'), name: '李秀英', sex: 'female', birthDate: '1990-08-22', ethnicity: '回族', address: '山东省泰安市岱岳区粥店街道龙潭路66号' };
/** 孙桂兰, 82, 宁阳县: 高龄津贴 and 老年人优待证. */
export const SUN: DemoPerson = { idNumber: idNumber('37092119440610262'), name: '孙桂兰', sex: 'female', birthDate: '1944-06-10', ethnicity: '汉族', address: '山东省泰安市宁阳县文庙街道八仙桥路21号' };
/** A spouse and an employee (not card holders here: typed into forms). */
export const SPOUSE_ID = idNumber('37091119890315101');
export const EMPLOYEE_ID = idNumber('37098319980707301');
/** The employer's 统一社会信用代码 (GB 32100, check character right). */
export const SAMPLE_CREDIT_CODE = demoCreditCode('370902', 'sample-employer');

/** A Beijing date `days` from `today` (YYYY-MM-DD). */
function shifted(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function applicant(person: DemoPerson): SubmitApplicationBody['applicant'] {
  return { cardType: 'resident', idNumber: person.idNumber, name: person.name, sex: person.sex, birthDate: person.birthDate, validTo: '2038-03-01', expired: false };
}

/** One sample application per service id, as of `today`. `localNumber` makes each submission a new case. */
export function sampleResultCases(today: string, localNumber: (serviceId: string) => string): Record<string, SubmitApplicationBody> {
  const body = (serviceId: string, person: DemoPerson, answers: Record<string, string>, form: Record<string, string>): SubmitApplicationBody => ({
    localNumber: localNumber(serviceId),
    serviceId,
    draft: { serviceId, answers, form, materials: {} },
    applicant: applicant(person),
    identitySource: 'id-card',
    // As today's kiosks send it: the 人证核验 passed (central approves nothing at once without it).
    identityCheck: { method: 'face', outcome: 'passed' },
    submittedAt: `${today}T09:30:00+08:00`,
  });
  const li = { applicantName: LI.name, idNumber: LI.idNumber, mobile: '13853801234' };
  const sun = { applicantName: SUN.name, idNumber: SUN.idNumber, mobile: '13905381234' };
  return {
    'childbearing-registration': body('childbearing-registration', LI, { 'child-order': '2' }, {
      ...li,
      spouseName: '王志强',
      spouseIdNumber: SPOUSE_ID,
      division: '370911',
      expectedDate: shifted(today, 150),
      existingChildren: '王一诺',
    }),
    'employee-insurance-enrolment': body('employee-insurance-enrolment', LI, { 'first-job': 'no' }, {
      enterpriseName: '泰安市岱宗商贸有限公司',
      creditCode: SAMPLE_CREDIT_CODE,
      employeeName: '赵文博',
      employeeIdNumber: EMPLOYEE_ID,
      employeeMobile: '13705381234',
      startDate: shifted(today, 1),
      wageBase: '4500',
      employmentType: 'full-time',
      previousInsuredPlace: '山东省济南市',
    }),
    'hk-macao-endorsement': body('hk-macao-endorsement', LI, { 'endorsement-kind': 'group' }, { ...li, passNumber: 'ce1234567', destination: 'hk', times: '2' }),
    'longevity-allowance': body('longevity-allowance', SUN, { applicant: 'family' }, {
      ...sun,
      division: '370921',
      address: SUN.address,
      agentName: '孙建国',
      agentMobile: '13805381234',
    }),
    'out-of-town-medical-filing': body('out-of-town-medical-filing', LI, { 'filing-kind': 'temporary', 'cross-province': 'yes' }, {
      ...li,
      destination: '北京市海淀区',
      startDate: shifted(today, 3),
    }),
    'provident-fund-rent-withdrawal': body('provident-fund-rent-withdrawal', LI, { married: 'no', 'contract-filed': 'no' }, {
      ...li,
      amount: '1250.5',
      rentalAddress: '山东省泰安市泰山区财源街道青年路9号3单元502室',
      bankAccount: '6222021606001234567',
    }),
    'resident-pension-enrolment': body('resident-pension-enrolment', LI, { 'special-group': 'no' }, { ...li, division: '370911', address: LI.address, contributionLevel: '1000' }),
    'senior-preferential-card': body('senior-preferential-card', SUN, {}, { ...sun, division: '370921', address: SUN.address }),
    'skill-upgrade-subsidy': body('skill-upgrade-subsidy', LI, {}, {
      ...li,
      certificateNumber: 'S000037090004253000123',
      issueDate: shifted(today, -40),
      occupation: '电工',
      certificateLevel: '4',
    }),
    'tax-payment-certificate': body('tax-payment-certificate', LI, { 'taxpayer-kind': 'person' }, {
      applicantName: LI.name,
      idNumber: LI.idNumber,
      periodFrom: `${shifted(today, -200).slice(0, 7)}-01`,
      periodTo: today,
      taxKind: 'all',
    }),
  };
}

/** Central's data as a result builder sees it, as of `today`: only the demo shared-data sources of LI and SUN. */
export function sampleResultData(today: string): CentralData {
  return {
    proofs: {
      source: async (idNumber: string, kind: string) => {
        const person = [LI, SUN].find((candidate) => candidate.idNumber === idNumber);
        const content = person ? (demoPersonalSources(person, today) as Record<string, unknown>)[kind] : undefined;
        return content ? JSON.stringify(content) : null;
      },
    },
  } as unknown as CentralData;
}

/** A result document as central seals it (fixed code and times), for a built result. */
export function sampleResultDocument(result: ResultDocument, today: string, caseNumber: string): ProofDocument {
  const spec = DOCUMENT_KINDS[result.kind];
  return ProofDocument.parse({
    kind: result.kind,
    title: spec.title,
    issuer: spec.issuer,
    fields: result.content.fields,
    ...(result.content.rows ? { rows: result.content.rows } : {}),
    verificationCode: verificationCodeFrom(Array.from({ length: 15 }, (_, index) => (index * 7) % 36)),
    issuedAt: `${today}T10:00:00+08:00`,
    validUntil: '2027-03-01',
    watermark: PROOF_WATERMARK,
    caseNumber,
  });
}

/**
 * The print data of a service's sample result on 2026-12-01 (fixed seal values): what the kiosk renders. For the
 * visual references (test/unit/print/visual.test.ts) and the benchmark.
 */
export async function sampleResultPrint(serviceId: string): Promise<ProofDocumentData> {
  const today = '2026-12-01';
  const caseNumber = 'TA20261201000042';
  const body = sampleResultCases(today, (id) => `TA-SAMPLE-${id}`)[serviceId];
  const build = RESULT_DOCUMENTS[serviceId];
  if (!body || !build) throw new Error(`no sample result for ${serviceId}`);
  const document = sampleResultDocument(await build(body, { caseNumber, today, data: sampleResultData(today) }), today, caseNumber);
  return proofDocumentData(
    {
      document,
      digest: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
      seal: { algorithm: 'sm2-sm3', sealName: '泰安市政务服务中心电子印章', keyId: '9f2c4b1e7a3d5c60', signature: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b313f1e8dbcb0ad3c3d5de1c1e3a5b0d0bf2f7fb4cb4f8a0c0c0b5d64d8c9a4a31' },
      copies: 1,
    },
    `https://zwfw.taian.gov.cn/verify/${document.verificationCode}`,
  );
}
