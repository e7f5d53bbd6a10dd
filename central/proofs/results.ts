import { createHash } from 'node:crypto';
import type { SubmitApplicationBody } from '../../contract/central/api.js';
import type { DocumentKindId } from '../../contract/proofs.js';
import { TAIAN_DIVISIONS } from '../../contract/validators/common.js';
import { gb32100CheckChar } from '../../contract/validators/gb32100.js';
import type { ProofContent } from './demo.js';

/**
 * 秒批 results laid out from the real document's fields (issue 15): what a service's approval issues, filled
 * from the case (the checked application) and central's answer. A service without an entry here still gets
 * its receipt; one with an entry gets a sealed document with a verification code.
 */

/** `2026-12-01` → `2026年12月01日`, as licences print dates. */
const chineseDate = (iso: string) => `${iso.slice(0, 4)}年${iso.slice(5, 7)}月${iso.slice(8, 10)}日`;

const text = (value: unknown): string => (Array.isArray(value) ? value.map(String).join('；') : value === undefined || value === null ? '' : String(value).trim());

/**
 * The 统一社会信用代码 of a new 个体工商户 (GB 32100-2015): registration authority 9 (工商/市场监管), type 2
 * (个体工商户), the 6-digit division, a 9-character body (stands in for the 组织机构代码 the registration
 * system assigns; here derived from the case number so that a redelivered case gets the same code), and the
 * check character.
 */
export function individualBusinessCreditCode(divisionCode: string, caseNumber: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const digest = createHash('sha256').update(`individual-business|${caseNumber}`).digest();
  const body = Array.from({ length: 9 }, (_, index) => alphabet[(digest[index] ?? 0) % alphabet.length]).join('');
  const first17 = `92${divisionCode}${body}`;
  return first17 + (gb32100CheckChar(first17) ?? '0');
}

type ResultBuilder = (body: SubmitApplicationBody, context: { caseNumber: string; today: string }) => { kind: DocumentKindId; content: ProofContent };

/** Result documents by service id. */
export const RESULT_DOCUMENTS: Readonly<Record<string, ResultBuilder>> = {
  /** 个体工商户营业执照: the fields of the licence (《市场主体登记管理条例》, 营业执照 template of SAMR). */
  'individual-business-registration': (body, { caseNumber, today }) => {
    const form = body.draft.form;
    const division = text(form.division) || body.applicant.idNumber.slice(0, 6);
    const county = (TAIAN_DIVISIONS as Record<string, string>)[division] ?? '泰安市';
    const scope = text(form.businessScopeItems) || text(form.businessScope);
    // 肥城市 and 新泰市 are county-level cities with their own 行政审批服务局; districts and counties are 泰安市's.
    const authority = county === '泰安市' ? '泰安市' : county.endsWith('市') ? county : `泰安市${county}`;
    return {
      kind: 'individual-business-licence',
      content: {
        fields: {
          // A 个体工商户 may register without a 字号; its licence then says so in the 名称 field.
          enterpriseName: text(form.businessName) || `${body.applicant.name}（无字号）`,
          creditCode: individualBusinessCreditCode(division, caseNumber),
          type: '个体工商户',
          operator: body.applicant.name,
          organisationForm: body.draft.answers.organisation === 'family' ? '家庭经营' : '个人经营',
          premises: `山东省泰安市${county === '泰安市' ? '' : county}${text(form.address)}`,
          businessScope: scope,
          registeredOn: chineseDate(today),
          registrationAuthority: `${authority}行政审批服务局`,
        },
      },
    };
  },
};
