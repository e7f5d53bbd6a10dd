import { createHash } from 'node:crypto';
import type { SubmitApplicationBody } from '../../contract/central/api.js';
import { ageOn } from '../../contract/china-time.js';
import { DOCUMENT_KINDS, PROOF_WATERMARK, ProofDocument, type DocumentKindId } from '../../contract/proofs.js';
import { TAIAN_DIVISIONS } from '../../contract/validators/common.js';
import { gb32100CheckChar } from '../../contract/validators/gb32100.js';
import type { CentralData } from '../store/store.js';
import { demoEnterpriseTaxes, demoHousingFundAccount, type ProofContent } from './demo.js';
import { addMonths, caseSerial, chineseDate, countyOf, departmentPlace, maskAccount, nextYearMonth, rmbInWords, yuan } from './result-fields.js';

/**
 * 秒批 results laid out from the real document's fields (issue 15): what a service's approval issues, filled
 * from the case (the checked application) and central's answer. A service without an entry here still gets
 * its receipt; one with an entry gets a sealed document with a verification code.
 */


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

/** What a builder is given besides the checked application: the case number, the Beijing date, central's data (in the case's transaction). */
export interface ResultContext {
  caseNumber: string;
  /** Beijing date YYYY-MM-DD of the approval. */
  today: string;
  /** Central's shared data (tax records, 公积金 accounts …) as the case's transaction sees it. */
  data: CentralData;
}

/** A result document: its kind and the fields (and rows) it prints, before sealing. */
export interface ResultDocument {
  kind: DocumentKindId;
  content: ProofContent;
}

type ResultBuilder = (body: SubmitApplicationBody, context: ResultContext) => ResultDocument | Promise<ResultDocument>;

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

  /**
   * 山东省生育登记服务单 (《山东省人口与计划生育条例》 生育登记服务; 国家卫生健康委 《关于做好生育登记服务工作的
   * 指导意见》 lists the 服务单's content: 夫妻双方姓名、身份证号、户籍地、现居住地, 登记孩次, 现有子女, 登记日期/机关).
   */
  'childbearing-registration': (body, { caseNumber, today }) => {
    const form = body.draft.form;
    const division = text(form.division) || body.applicant.idNumber.slice(0, 6);
    const order = body.draft.answers['child-order'];
    return {
      kind: 'childbearing-registration-form',
      content: {
        fields: {
          registrationNumber: `${division}${today.slice(0, 4)}${caseSerial('childbearing', caseNumber, 6)}`,
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          spouseName: text(form.spouseName),
          spouseIdNumber: text(form.spouseIdNumber),
          childOrder: order === '1' ? '第一个子女' : order === '2' ? '第二个子女' : '第三个及以上子女',
          ...(text(form.existingChildren) && order !== '1' ? { existingChildren: text(form.existingChildren) } : {}),
          ...(text(form.expectedDate) ? { expectedDate: chineseDate(text(form.expectedDate)) } : {}),
          residence: `山东省泰安市${countyOf(division) === '泰安市' ? '' : countyOf(division)}`,
          registeredOn: chineseDate(today),
          // 生育登记 is done by the county's 卫生健康 department (or its 乡镇卫生院 / 社区卫生服务中心).
          registrationAuthority: departmentPlace(division) === '泰安市' ? '泰安市卫生健康委员会' : `${departmentPlace(division)}卫生健康局`,
        },
      },
    };
  },

  /**
   * 社会保险参保登记回执 (职工增员): 《社会保险法》 第五十八条 (用人单位自用工之日起三十日内为职工申请参保登记) and
   * Shandong's 社会保险 unit service 回执: 单位, 职工, 参保险种, 参保日期, 缴费工资. A 非全日制 employee is insured
   * for 工伤 by the employer (劳社部发〔2003〕12号 第十二条); the other insurances they join as individuals.
   */
  'employee-insurance-enrolment': (body, { today }) => {
    const form = body.draft.form;
    const partTime = text(form.employmentType) === 'part-time';
    const previous = text(form.previousInsuredPlace);
    return {
      kind: 'employee-insurance-receipt',
      content: {
        fields: {
          enterpriseName: text(form.enterpriseName),
          creditCode: text(form.creditCode),
          employeeName: text(form.employeeName),
          employeeIdNumber: text(form.employeeIdNumber),
          enrolmentKind: body.draft.answers['first-job'] === 'no' ? '续保（转入）' : '新参保',
          ...(previous && body.draft.answers['first-job'] === 'no' ? { previousInsuredPlace: previous } : {}),
          insurances: partTime ? '工伤保险' : '企业职工基本养老保险、失业保险、工伤保险、职工基本医疗保险',
          startDate: chineseDate(text(form.startDate)),
          employmentType: partTime ? '非全日制' : '全日制',
          wageBase: yuan(text(form.wageBase)),
          handledOn: chineseDate(today),
          agency: '泰安市社会保险事业中心',
        },
      },
    };
  },

  /**
   * 往来港澳通行证签注凭条: the endorsement itself is written to the permit's chip; the slip carries 签注种类
   * (团队旅游 L, 个人旅游 G, 探亲 T), 次数, 有效期 and 每次停留期限 (《中国公民因私事往来香港地区或者澳门地区的
   * 暂行管理办法》; 旅游签注 每次不超过7天, 探亲签注 每次不超过14天), and the fee (15 元一次, 30 元二次: the catalog's fees).
   * The validity printed is the three-month one, the shortest the 出入境 rules offer for each kind.
   */
  'hk-macao-endorsement': (body, { today }) => {
    const form = body.draft.form;
    const kind = body.draft.answers['endorsement-kind'];
    const twice = text(form.times) === '2';
    return {
      kind: 'hk-macao-endorsement-notice',
      content: {
        fields: {
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          passNumber: text(form.passNumber).toUpperCase(),
          destination: text(form.destination) === 'macao' ? '澳门' : '香港',
          endorsementKind: kind === 'individual' ? '个人旅游（G）' : kind === 'family' ? '探亲（T）' : '团队旅游（L）',
          times: twice ? '二次有效' : '一次有效',
          validity: `${chineseDate(today)}至${chineseDate(addMonths(today, 3, 1))}`,
          stay: kind === 'family' ? '每次不超过14天' : '每次不超过7天',
          ...(kind === 'family' && text(form.relativeName) ? { relativeName: text(form.relativeName) } : {}),
          fee: twice ? '30元' : '15元',
          issuedOn: chineseDate(today),
          authority: '泰安市公安局出入境管理支队',
        },
      },
    };
  },

  /**
   * 高龄津贴审批结果通知书 (《山东省老年人权益保障条例》; 山东省 百岁老人长寿补贴 每人每月不低于300元). The 80–89 and
   * 90–99 amounts are set by each 县（市、区）; the ones here are the reference central's demo configuration.
   */
  'longevity-allowance': (body, { today }) => {
    const form = body.draft.form;
    const division = text(form.division) || body.applicant.idNumber.slice(0, 6);
    const age = ageOn(body.applicant.birthDate, today);
    const agent = body.draft.answers.applicant === 'family' ? text(form.agentName) : '';
    return {
      kind: 'longevity-allowance-notice',
      content: {
        fields: {
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          age: `${age}周岁`,
          household: `山东省泰安市${countyOf(division) === '泰安市' ? '' : countyOf(division)}`,
          result: '同意发放',
          standard: `${age >= 100 ? 300 : age >= 90 ? 100 : 50}元/月（${age >= 100 ? '百岁老人长寿补贴' : age >= 90 ? '90至99周岁' : '80至89周岁'}）`,
          startMonth: nextYearMonth(today),
          payment: '按月发放到本人社会保障卡',
          ...(agent ? { agentName: agent } : {}),
          decidedOn: chineseDate(today),
          authority: `${departmentPlace(division)}民政局`,
        },
      },
    };
  },

  /**
   * 异地就医备案回执 (医保发〔2022〕22号 《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》: 异地长期居住
   * 人员备案长期有效; 临时外出就医人员备案有效期原则上不少于6个月). 险种 from central's record: a person with a
   * 职工 enrolment is in 职工医保, anyone else in 城乡居民医保.
   */
  'out-of-town-medical-filing': async (body, { caseNumber, today, data }) => {
    const form = body.draft.form;
    const kind = body.draft.answers['filing-kind'];
    const start = text(form.startDate) || today;
    const employed = (await data.proofs.source(body.applicant.idNumber, 'social-insurance-enrolment')) !== null;
    return {
      kind: 'medical-filing-receipt',
      content: {
        fields: {
          filingNumber: `YD3709${start.replaceAll('-', '')}${caseSerial('medical-filing', caseNumber, 6)}`,
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          insuredPlace: '山东省泰安市',
          insuranceType: employed ? '职工基本医疗保险' : '城乡居民基本医疗保险',
          filingType: kind === 'long-term' ? '异地长期居住人员' : kind === 'referral' ? '转诊转院人员' : '临时外出就医人员',
          scope: body.draft.answers['cross-province'] === 'yes' ? '跨省异地就医' : '省内异地就医',
          destination: text(form.destination),
          ...(kind === 'referral' && text(form.hospital) ? { hospital: text(form.hospital) } : {}),
          ...(kind === 'long-term' && text(form.residenceAddress) ? { residenceAddress: text(form.residenceAddress) } : {}),
          validFrom: chineseDate(start),
          validTo: kind === 'long-term' ? '长期有效（就医地变更时重新备案）' : chineseDate(addMonths(start, 6, 1)),
          agency: '泰安市医疗保障局',
        },
      },
    };
  },

  /**
   * 住房公积金提取凭证 (《住房公积金管理条例》 第二十四条; 租房提取 per the 泰安市住房公积金管理中心 rules: 未备案
   * 按定额, 已备案 按实际租金): 账号, 提取原因, 金额 in figures and in words, 收款账号 (masked), 到账方式.
   */
  'provident-fund-rent-withdrawal': async (body, { caseNumber, today, data }) => {
    const form = body.draft.form;
    const deposit = await data.proofs.source(body.applicant.idNumber, 'housing-fund-deposit');
    const account = deposit ? ((JSON.parse(deposit) as ProofContent).fields.accountNumber ?? '') : '';
    const amount = yuan(text(form.amount));
    return {
      kind: 'housing-fund-withdrawal-voucher',
      content: {
        fields: {
          voucherNumber: `TQ${today.replaceAll('-', '')}${caseSerial('housing-fund', caseNumber, 8)}`,
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          accountNumber: account || demoHousingFundAccount(body.applicant.idNumber),
          reason: body.draft.answers['contract-filed'] === 'yes' ? '租赁住房（租赁合同已网签备案，按实际租金提取）' : '租赁住房（租赁合同未备案，按定额提取）',
          rentalAddress: text(form.rentalAddress),
          amount,
          // The kiosk checks the amount (two decimals at most); anything else is left as typed rather than refused here.
          amountInWords: /^\d{1,12}(\.\d{1,2})?$/.test(amount) ? rmbInWords(amount) : amount,
          bankAccount: maskAccount(text(form.bankAccount)),
          payment: '转入本人银行一类账户，实时到账',
          handledOn: chineseDate(today),
        },
      },
    };
  },

  /**
   * 城乡居民基本养老保险参保登记回执 (国发〔2014〕8号 《关于建立统一的城乡居民基本养老保险制度的意见》: 缴费档次,
   * 困难群体由地方政府代缴部分或全部最低标准的养老保险费).
   */
  'resident-pension-enrolment': (body, { today }) => {
    const form = body.draft.form;
    const division = text(form.division) || body.applicant.idNumber.slice(0, 6);
    const special = body.draft.answers['special-group'] === 'yes';
    return {
      kind: 'resident-pension-enrolment-receipt',
      content: {
        fields: {
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          household: `山东省泰安市${countyOf(division) === '泰安市' ? '' : countyOf(division)}`,
          address: text(form.address),
          insuredGroup: special ? '困难群体（政府代缴）' : '普通参保人员',
          contributionLevel: special ? '最低档次（由政府代缴）' : `${text(form.contributionLevel)}元/年`,
          payment: '按年缴费，通过税务部门缴费渠道缴纳',
          enrolledOn: chineseDate(today),
          status: '正常参保',
          agency: `${departmentPlace(division)}社会保险事业中心`,
        },
      },
    };
  },

  /**
   * 山东省老年人优待证 (《山东省老年人权益保障条例》; the card carries 证号, 姓名, 性别, 出生日期, 身份证号, 发证机关,
   * 发证日期, and is valid for life). The 证号 here is the county code, the year and six digits from the case.
   */
  'senior-preferential-card': (body, { caseNumber, today }) => {
    const form = body.draft.form;
    const division = text(form.division) || body.applicant.idNumber.slice(0, 6);
    return {
      kind: 'senior-preferential-card',
      content: {
        fields: {
          cardNumber: `${division}${today.slice(0, 4)}${caseSerial('senior-card', caseNumber, 6)}`,
          name: body.applicant.name,
          sex: body.applicant.sex === 'female' ? '女' : '男',
          birthDate: chineseDate(body.applicant.birthDate),
          idNumber: body.applicant.idNumber,
          address: text(form.address),
          issuedOn: chineseDate(today),
          validity: '长期',
          authority: `${departmentPlace(division)}民政局`,
        },
      },
    };
  },

  /**
   * 技能提升补贴审批结果通知书 (人社部发〔2017〕40号: 初级 1000 元, 中级 1500 元, 高级 2000 元; 技师 and 高级技师 as
   * 高级 in Shandong): the certificate, the 补贴标准 of its level, and how it is paid.
   */
  'skill-upgrade-subsidy': (body, { today }) => {
    const form = body.draft.form;
    const level = text(form.certificateLevel);
    const levels: Record<string, [string, number]> = { '5': ['初级工（五级）', 1000], '4': ['中级工（四级）', 1500], '3': ['高级工（三级）', 2000], '2': ['技师或高级技师（二级、一级）', 2000] };
    const [levelName, subsidy] = levels[level] ?? ['初级工（五级）', 1000];
    return {
      kind: 'skill-subsidy-notice',
      content: {
        fields: {
          name: body.applicant.name,
          idNumber: body.applicant.idNumber,
          certificateName: '职业资格证书或职业技能等级证书',
          occupation: text(form.occupation),
          certificateLevel: levelName,
          certificateNumber: text(form.certificateNumber),
          issueDate: chineseDate(text(form.issueDate)),
          subsidy: `${subsidy}元`,
          payment: '发放到本人社会保障卡银行账户',
          decidedOn: chineseDate(today),
          authority: '泰安市人力资源和社会保障局',
        },
      },
    };
  },

  /**
   * 中华人民共和国税收完税证明（表格式） (《税收票证管理办法》 国家税务总局令第28号 第十二条; the 表格式 columns:
   * 原凭证号, 税种, 品目名称, 税款所属时期, 入（退）库日期, 实缴（退）金额): a person's 个人所得税 from central's tax
   * record, an enterprise's from the demo 税务 system, within the asked period and tax kind.
   */
  'tax-payment-certificate': async (body, { caseNumber, today, data }) => {
    const form = body.draft.form;
    const from = text(form.periodFrom).slice(0, 7);
    const to = text(form.periodTo).slice(0, 7);
    const taxKind = text(form.taxKind);
    const enterprise = body.draft.answers['taxpayer-kind'] === 'enterprise';
    const wanted = (taxType: string) => taxKind === 'vat' ? taxType === '增值税' : taxKind === 'income' ? taxType.endsWith('所得税') : true;
    let paid: Array<{ taxType: string; item: string; month: string; amount: string }>;
    if (enterprise) paid = demoEnterpriseTaxes(text(form.creditCode), from, to);
    else {
      const source = await data.proofs.source(body.applicant.idNumber, 'tax-payment');
      const rows = source ? ((JSON.parse(source) as ProofContent).rows ?? []) : [];
      // The tax record's 所属期 reads 2026年10月.
      paid = rows.map((row) => ({ taxType: row.taxType ?? '', item: row.item ?? '', month: (row.period ?? '').replace(/^(\d{4})年(\d{2})月$/, '$1-$2'), amount: row.amount ?? '0' }));
    }
    // A month's tax is paid into the treasury (入库) by the 15th of the next month; one not yet paid is not proved.
    const paidOn = (month: string) => `${addMonths(`${month}-01`, 1).slice(0, 8)}15`;
    const rows = paid
      .filter((row) => row.month >= from && row.month <= to && wanted(row.taxType) && paidOn(row.month) <= today)
      .map((row, index) => ({
        voucher: `3370900${row.month.replace('-', '').slice(2)}${caseSerial(`tax-voucher-${index}`, caseNumber, 7)}`,
        taxType: row.taxType,
        item: row.item,
        period: `${row.month}-01至${addMonths(`${row.month}-01`, 1, 1)}`,
        paidOn: paidOn(row.month),
        amount: yuan(row.amount),
      }));
    const total = rows.reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0) / 100;
    return {
      kind: 'tax-payment-certificate',
      content: {
        fields: {
          certificateNumber: `(${today.slice(2, 4)})鲁税证${caseSerial('tax-certificate', caseNumber, 8)}`,
          ...(enterprise ? { enterpriseName: text(form.enterpriseName), creditCode: text(form.creditCode) } : { name: body.applicant.name, idNumber: body.applicant.idNumber }),
          period: `${chineseDate(text(form.periodFrom))}至${chineseDate(text(form.periodTo))}`,
          total: total.toFixed(2),
        },
        rows,
      },
    };
  },
};

/**
 * The result document of a service's approved case, checked to be complete (every field its kind needs, within
 * the document's limits), or null: for a service without one, and for an application whose fields do not make a
 * complete document (a draft central accepted without a field the kiosk asks for). Null never stops the case
 * from being filed: the kiosk then prints its plain 秒批 certificate. Throws nothing; what went wrong goes to
 * central's log (field labels, never values).
 */
export async function resultDocumentOf(serviceId: string, body: SubmitApplicationBody, context: ResultContext): Promise<ResultDocument | null> {
  const build = RESULT_DOCUMENTS[serviceId];
  if (!build) return null;
  try {
    const result = await build(body, context);
    const spec = DOCUMENT_KINDS[result.kind];
    const check = ProofDocument.safeParse({
      kind: result.kind,
      title: spec.title,
      issuer: spec.issuer,
      fields: result.content.fields,
      ...(result.content.rows ? { rows: result.content.rows } : {}),
      verificationCode: '0'.repeat(16),
      issuedAt: `${context.today}T00:00:00+08:00`,
      validUntil: context.today,
      watermark: PROOF_WATERMARK,
      caseNumber: context.caseNumber,
    });
    if (check.success) return result;
    console.error(`central: the result of ${serviceId} is incomplete (${check.error.issues.map((issue) => issue.message).join('，')}); the case is filed without it`);
  } catch (error) {
    console.error(`central: the result of ${serviceId} could not be laid out (${error instanceof Error ? error.message : 'error'}); the case is filed without it`);
  }
  return null;
}
