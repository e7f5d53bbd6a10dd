import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { checkDraft } from '../../../contract/flow.js';
import { formatChoices } from '../../../contract/format.js';
import { receiptDataFor } from '../../../host/services/receipt-data.js';
import { approvalCertificate } from '../../../host/services/result-certificate.js';
import { ReceiptData, receiptLayout } from '../../../print-templates/receipt.js';
import { CARD, completeDraft } from '../catalog/flow-walk.js';

const catalog = loadCatalog();
const service = (id: string) => {
  const found = catalog.services.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
};

function checked(serviceId: string, answers: Record<string, string>, form: Record<string, string | boolean | string[]>) {
  const draft = completeDraft(service(serviceId), answers);
  const result = checkDraft(service(serviceId), { ...draft, form: { ...draft.form, ...form } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

/** The receipt of a checked draft, as the host renders it at submit. */
function receiptOf(serviceId: string, value: ReturnType<typeof checked>, localNumber = 'TA-DEMO-0001-20261201-0001') {
  return receiptDataFor({
    hallName: '泰安市政务服务中心',
    terminalId: 'TA-DEMO-0001',
    service: service(serviceId),
    checked: value,
    applicant: { name: CARD.name, idNumber: CARD.idNumber, cardType: 'resident' },
    localNumber,
    createdAt: Date.parse('2026-12-01T02:00:00Z'),
    ack: null,
    progressUrl: (caseRef) => `http://127.0.0.1/progress/${caseRef}`,
  });
}

describe('printed documents state the applicant’s choices in words', () => {
  it('prints 新生儿性别, 落户 and the district on the receipt as labels, never codes', () => {
    const value = checked('birth-one-thing', { married: 'yes', 'same-county': 'no', 'social-security-card': 'no' }, { babySex: 'female', registerWith: 'mother', division: '370911' });
    const receipt = receiptOf('birth-one-thing', value);
    expect(ReceiptData.parse(receipt).particulars).toEqual([
      { label: '新生儿性别', value: '女' },
      { label: '新生儿随哪一方落户', value: '随母亲' },
      { label: '落户区县', value: '岱岳区' },
    ]);
    const printed = JSON.stringify(receiptLayout(receipt));
    expect(printed).toContain('申请内容');
    for (const raw of ['"female"', '"mother"', '"370911"']) expect(printed).not.toContain(raw);
  });

  it('prints a yes/no as 是 and several catalog choices joined with 、', () => {
    const value = checked('individual-business-registration', { organisation: 'personal', 'standard-scope': 'yes' }, { businessScopeItems: ['日用百货销售', '文具用品零售'] });
    const receipt = receiptOf('individual-business-registration', value);
    expect(receipt.particulars).toContainEqual({ label: '经营范围', value: '日用百货销售、文具用品零售' });
    const food = checked('food-business-licence', { 'business-kind': 'catering', 'cold-food': 'yes' }, {});
    const particulars = receiptOf('food-business-licence', food).particulars;
    expect(particulars?.find((row) => row.label.includes('专间'))?.value).toBe('是');
  });

  it('puts the 秒批 result’s chosen level on the certificate in words', () => {
    const value = checked('skill-upgrade-subsidy', {}, { certificateLevel: '4' });
    const certificate = approvalCertificate({
      service: service('skill-upgrade-subsidy'),
      resultTitle: '技能提升补贴审批结果通知书',
      caseNumber: 'TA20261201000007',
      identity: CARD,
      issuedAt: new Date('2026-12-01T02:00:00Z'),
      verificationUrl: 'http://127.0.0.1/progress/TA20261201000007',
      particulars: formatChoices(service('skill-upgrade-subsidy'), value.draft.form),
    });
    expect(certificate.particulars).toContainEqual({ label: '证书等级', value: '中级工（四级），补贴1500元' });
  });
});

describe('a 代办 receipt (issue 12)', () => {
  it('prints the agent as 办理人（代办） and the applicant as 委托人, both masked, with the relationship', () => {
    const value = checked('birth-one-thing', { married: 'yes', 'same-county': 'no', 'social-security-card': 'no' }, { babySex: 'female', registerWith: 'mother', division: '370911' });
    const receipt = receiptDataFor({
      hallName: '泰安市政务服务中心',
      terminalId: 'TA-DEMO-0001',
      service: service('birth-one-thing'),
      checked: value,
      applicant: { name: CARD.name, idNumber: CARD.idNumber, cardType: 'resident' },
      localNumber: 'TA-DEMO-0001-20261201-0002',
      createdAt: Date.parse('2026-12-01T02:00:00Z'),
      ack: null,
      progressUrl: (caseRef) => `http://127.0.0.1/progress/${caseRef}`,
      agency: { agent: { name: '张建华', idNumber: '370902196803151236' }, relationship: '配偶' },
    });
    const masked = (id: string) => `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`;
    expect(receipt.particulars).toContainEqual({ label: '办理人（代办）', value: `张*华 ${masked('370902196803151236')}` });
    expect(receipt.particulars).toContainEqual({ label: '委托人', value: expect.stringMatching(new RegExp(`^${Array.from(CARD.name)[0]}\\*+.* ${masked(CARD.idNumber).replace(/\*/g, '\\*')}$`)) });
    expect(receipt.particulars).toContainEqual({ label: '与委托人关系', value: '配偶' });
    const printed = JSON.stringify(receiptLayout(ReceiptData.parse(receipt)));
    for (const whole of ['370902196803151236', '张建华', CARD.idNumber, CARD.name]) expect(printed).not.toContain(whole);
    expect(printed).toContain('办理人（代办）');
  });
});
