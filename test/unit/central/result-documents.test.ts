import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { demoPersonalSources } from '../../../central/proofs/demo.js';
import { RESULT_DOCUMENTS, resultDocumentOf, type ResultDocument } from '../../../central/proofs/results.js';
import { caseSerial, maskAccount, rmbInWords } from '../../../central/proofs/result-fields.js';
import { DOCUMENT_KINDS, documentKind, type ProofDocument, verificationKeyFields, type IssuedProof } from '../../../contract/proofs.js';
import { proofDocumentData } from '../../../host/services/proofs.js';
import { ProofDocumentData } from '../../../print-templates/proof.js';
import { EMPLOYEE_ID, LI, SAMPLE_CREDIT_CODE, SPOUSE_ID, SUN, sampleResultCases, sampleResultData, sampleResultDocument } from '../../support/result-cases.js';

/**
 * The 秒批 result documents (issue 15): each auto-approved service's result laid out from its real document's
 * fields, filled from a sample case and central's shared data (the demo sources), ID numbers masked on paper
 * and on the verification page, derived numbers the same for the same case number.
 */
const TODAY = '2026-12-01';
const cases = sampleResultCases(TODAY, (serviceId) => `TA-UNIT-${serviceId}`);

const data = sampleResultData(TODAY);

async function build(serviceId: string, caseNumber = 'TA20261201000042'): Promise<ResultDocument> {
  const builder = RESULT_DOCUMENTS[serviceId];
  const body = cases[serviceId];
  if (!builder || !body) throw new Error(`no builder or sample for ${serviceId}`);
  return builder(body, { caseNumber, today: TODAY, data });
}

/** The document as central would seal it (ProofDocument.parse checks every field the kind needs is there). */
const documentOf = (result: ResultDocument, caseNumber = 'TA20261201000042'): ProofDocument => sampleResultDocument(result, TODAY, caseNumber);

/** What the kiosk prints from it (the template's data, parsed: the schema refuses a full ID number anywhere). */
function printed(document: ProofDocument) {
  const proof: IssuedProof = { document, digest: 'a'.repeat(64), seal: { algorithm: 'sm2-sm3', sealName: '泰安市政务服务中心电子印章', keyId: '0123456789abcdef', signature: 'b'.repeat(128) }, copies: 1 };
  return ProofDocumentData.parse(proofDocumentData(proof, `http://central.test/verify/${document.verificationCode}`));
}

const autoApproved = loadCatalog().services.filter((service) => service.flow?.autoApproval);

describe('秒批 result documents', () => {
  it('has a result document for every service the catalog approves at once', () => {
    expect(autoApproved.length).toBeGreaterThanOrEqual(11);
    expect(autoApproved.map((service) => service.id).filter((id) => !RESULT_DOCUMENTS[id])).toEqual([]);
  });

  for (const serviceId of Object.keys(cases)) {
    it(`${serviceId}: a complete document of a result kind, ID numbers masked on paper and on the verification page`, async () => {
      const document = documentOf(await build(serviceId));
      expect(DOCUMENT_KINDS[document.kind].lifeCycle).toBe('result');
      const paper = printed(document);
      const text = JSON.stringify(paper);
      for (const id of [LI.idNumber, SUN.idNumber, SPOUSE_ID, EMPLOYEE_ID]) expect(text).not.toContain(id);
      // A result opens with its own 经审核 … sentence, not the proofs' 经查询 one.
      expect(paper.paragraphs[0]).toBe(documentKind(document.kind).statement);
      // The 受理编号 of the case it results from is printed with it.
      expect(paper.fields.at(-1)).toEqual({ label: '受理编号', value: 'TA20261201000042' });
      const shown = JSON.stringify(verificationKeyFields(document));
      for (const id of [LI.idNumber, SUN.idNumber, SPOUSE_ID, EMPLOYEE_ID]) expect(shown).not.toContain(id);
      expect(shown).not.toContain(LI.name);
      expect(shown).not.toContain(SUN.name);
    });
  }

  it('derives numbers from the case number: the same case gets the same document, another case another number', async () => {
    for (const serviceId of ['childbearing-registration', 'out-of-town-medical-filing', 'provident-fund-rent-withdrawal', 'senior-preferential-card', 'tax-payment-certificate']) {
      const first = await build(serviceId, 'TA20261201000042');
      expect(await build(serviceId, 'TA20261201000042')).toEqual(first);
      expect(await build(serviceId, 'TA20261201000043')).not.toEqual(first);
    }
  });

  it('fills the 生育登记服务单 from the form and the card', async () => {
    const { fields } = (await build('childbearing-registration')).content;
    expect(fields).toMatchObject({
      name: '李秀英',
      idNumber: LI.idNumber,
      spouseName: '王志强',
      spouseIdNumber: SPOUSE_ID,
      childOrder: '第二个子女',
      existingChildren: '王一诺',
      residence: '山东省泰安市岱岳区',
      registeredOn: '2026年12月01日',
      registrationAuthority: '泰安市岱岳区卫生健康局',
    });
    expect(fields.registrationNumber).toBe(`3709112026${caseSerial('childbearing', 'TA20261201000042', 6)}`);
    expect(fields.expectedDate).toMatch(/^2027年04月30日$/);
  });

  it('fills the 职工参保登记回执 for the enterprise, the employee masked on paper', async () => {
    const result = await build('employee-insurance-enrolment');
    expect(result.content.fields).toMatchObject({
      enterpriseName: '泰安市岱宗商贸有限公司',
      creditCode: SAMPLE_CREDIT_CODE,
      employeeName: '赵文博',
      enrolmentKind: '续保（转入）',
      previousInsuredPlace: '山东省济南市',
      insurances: '企业职工基本养老保险、失业保险、工伤保险、职工基本医疗保险',
      wageBase: '4500.00',
      employmentType: '全日制',
    });
    const paper = printed(documentOf(result));
    expect(paper.holderLine).toBe(`泰安市岱宗商贸有限公司（统一社会信用代码 ${SAMPLE_CREDIT_CODE}）`);
    expect(paper.fields.find((field) => field.label === '公民身份号码（社会保障号码）')?.value).toBe(`${EMPLOYEE_ID.slice(0, 3)}***********${EMPLOYEE_ID.slice(-4)}`);
    const partTime = await RESULT_DOCUMENTS['employee-insurance-enrolment']?.(
      { ...cases['employee-insurance-enrolment']!, draft: { ...cases['employee-insurance-enrolment']!.draft, form: { ...cases['employee-insurance-enrolment']!.draft.form, employmentType: 'part-time' } } },
      { caseNumber: 'TA1', today: TODAY, data },
    );
    expect(partTime?.content.fields.insurances).toBe('工伤保险');
  });

  it('fills the 签注凭条 with 签注种类, 次数, 有效期 and 停留期限', async () => {
    const { fields } = (await build('hk-macao-endorsement')).content;
    expect(fields).toMatchObject({
      passNumber: 'CE1234567',
      destination: '香港',
      endorsementKind: '团队旅游（L）',
      times: '二次有效',
      validity: '2026年12月01日至2027年02月28日',
      stay: '每次不超过7天',
      fee: '30元',
    });
  });

  it('fills the 高龄津贴 notice with age band, start month and the 代办人', async () => {
    const { fields } = (await build('longevity-allowance')).content;
    expect(fields).toMatchObject({ age: '82周岁', household: '山东省泰安市宁阳县', standard: '50元/月（80至89周岁）', startMonth: '2027年01月', agentName: '孙建国', authority: '泰安市宁阳县民政局' });
  });

  it('fills the 异地就医备案回执: type, scope, 6-month validity of a temporary filing, 险种 from central’s record', async () => {
    const { fields } = (await build('out-of-town-medical-filing')).content;
    expect(fields).toMatchObject({
      filingType: '临时外出就医人员',
      scope: '跨省异地就医',
      destination: '北京市海淀区',
      validFrom: '2026年12月04日',
      validTo: '2027年06月03日',
      // 李秀英 has a 职工 enrolment in the demo 社保 data.
      insuranceType: '职工基本医疗保险',
    });
  });

  it('fills the 公积金提取凭证: account from central, amount in figures and words, bank account masked', async () => {
    const { fields } = (await build('provident-fund-rent-withdrawal')).content;
    expect(fields).toMatchObject({
      accountNumber: `3709${LI.idNumber.slice(-8)}01`,
      amount: '1250.50',
      amountInWords: '壹仟贰佰伍拾元伍角',
      bankAccount: '6222***********4567',
      reason: '租赁住房（租赁合同未备案，按定额提取）',
    });
    expect(JSON.stringify(fields)).not.toContain('6222021606001234567');
  });

  it('fills the 城乡居民养老保险 receipt, the 优待证 and the 技能提升补贴 notice', async () => {
    expect((await build('resident-pension-enrolment')).content.fields).toMatchObject({ contributionLevel: '1000元/年', insuredGroup: '普通参保人员', agency: '泰安市岱岳区社会保险事业中心' });
    const card = (await build('senior-preferential-card')).content.fields;
    expect(card).toMatchObject({ sex: '女', birthDate: '1944年06月10日', validity: '长期', authority: '泰安市宁阳县民政局' });
    expect(card.cardNumber).toMatch(/^3709212026\d{6}$/);
    expect((await build('skill-upgrade-subsidy')).content.fields).toMatchObject({ certificateLevel: '中级工（四级）', subsidy: '1500元', occupation: '电工', certificateNumber: 'S000037090004253000123' });
  });

  it('fills the 税收完税证明 from central’s tax record within the asked period, with its total', async () => {
    const result = await build('tax-payment-certificate');
    // The record holds 2026-09 … 2026-11; November's tax is paid in by 12-15, after today (12-01): not proved yet.
    const record = demoPersonalSources(LI, TODAY)['tax-payment']?.rows ?? [];
    const paid = record.filter((row) => row.period !== '2026年11月');
    expect(paid).toHaveLength(2);
    expect(result.content.rows?.map((row) => row.amount)).toEqual(paid.map((row) => row.amount));
    expect(result.content.rows?.[0]).toMatchObject({ taxType: '个人所得税', item: '工资薪金所得', period: '2026-10-01至2026-10-31', paidOn: '2026-11-15' });
    expect(result.content.fields.total).toBe(paid.reduce((sum, row) => sum + Number(row.amount), 0).toFixed(2));
    // A period that holds none of the records: no rows, total 0.00.
    const body = cases['tax-payment-certificate']!;
    const empty = await RESULT_DOCUMENTS['tax-payment-certificate']?.({ ...body, draft: { ...body.draft, form: { ...body.draft.form, periodFrom: '2020-01-01', periodTo: '2020-12-31' } } }, { caseNumber: 'TA1', today: TODAY, data });
    expect(empty?.content.rows).toEqual([]);
    expect(empty?.content.fields.total).toBe('0.00');
  });

  it('fills an enterprise’s 税收完税证明 from the 税务 records of the asked tax kind, with its name and code', async () => {
    const body = cases['tax-payment-certificate']!;
    const enterprise = {
      ...body,
      draft: { ...body.draft, answers: { 'taxpayer-kind': 'enterprise' }, form: { ...body.draft.form, enterpriseName: '泰安市岱宗商贸有限公司', creditCode: SAMPLE_CREDIT_CODE, periodFrom: '2026-07-01', periodTo: '2026-11-30', taxKind: 'vat' } },
    };
    const result = await resultDocumentOf('tax-payment-certificate', enterprise, { caseNumber: 'TA1', today: TODAY, data });
    expect(result?.content.fields).toMatchObject({ enterpriseName: '泰安市岱宗商贸有限公司', creditCode: SAMPLE_CREDIT_CODE, period: '2026年07月01日至2026年11月30日' });
    expect(result?.content.fields.idNumber).toBeUndefined();
    // 增值税 only; July to October are paid in by today, November's is due 12-15.
    expect(result?.content.rows?.map((row) => `${row.taxType} ${(row.period ?? '').slice(0, 7)}`)).toEqual(['增值税 2026-07', '增值税 2026-08', '增值税 2026-09', '增值税 2026-10']);
    const sum = (result?.content.rows ?? []).reduce((total, row) => total + Number(row.amount), 0);
    expect(Number(result?.content.fields.total)).toBeCloseTo(sum, 2);
  });
});

describe('resultDocumentOf', () => {
  it('answers a complete document, or null (never a throw) when the draft lacks a field the document needs', async () => {
    const body = cases['childbearing-registration']!;
    const context = { caseNumber: 'TA1', today: TODAY, data };
    expect((await resultDocumentOf('childbearing-registration', body, context))?.kind).toBe('childbearing-registration-form');
    const { spouseName: _dropped, ...form } = body.draft.form;
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      expect(await resultDocumentOf('childbearing-registration', { ...body, draft: { ...body.draft, form } }, context)).toBeNull();
    } finally {
      console.error = original;
    }
    expect(String(errors[0])).toContain('缺少配偶姓名');
    expect(String(errors[0])).not.toContain(LI.name);
    expect(await resultDocumentOf('birth-one-thing', body, context)).toBeNull();
  });
});

describe('result field formatters', () => {
  it('writes amounts in 人民币大写', () => {
    expect(rmbInWords('1200')).toBe('壹仟贰佰元整');
    expect(rmbInWords('10005')).toBe('壹万零伍元整');
    expect(rmbInWords('1000500.00')).toBe('壹佰万零伍佰元整');
    expect(rmbInWords('100000')).toBe('壹拾万元整');
    expect(rmbInWords('0.05')).toBe('伍分');
    expect(rmbInWords('3.05')).toBe('叁元零伍分');
    expect(rmbInWords('0')).toBe('零元整');
    expect(() => rmbInWords('-1')).toThrow(/not an amount/);
  });

  it('masks a bank account but its first and last four digits', () => {
    expect(maskAccount('6222 0216 0600 1234 567')).toBe('6222***********4567');
    expect(maskAccount('12345678')).toBe('12345678');
  });
});
