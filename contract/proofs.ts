import canonicalize from 'canonicalize';
import smCrypto from 'sm-crypto';
import { z } from 'zod';
import { IsoDate } from './domain.js';
import { isValidMobile } from './validators/common.js';
import { isValidCreditCode } from './validators/gb32100.js';
import { maskIdNumber, maskName } from './validators/gb11643.js';

/**
 * 证明开具 and 证照打印 (issue 15): the proofs central issues from shared data, the 秒批 results it seals, the
 * electronic seal over both (SM2 over the SM3 digest of the document's canonical content), the public
 * verification of a printed code, and the delivery choice of a paper result. Shared by central (issues and
 * seals), the kiosk's host (asks, checks the seal before printing) and the renderer (lays out the fields):
 * pure, no Node built-ins, so it runs in Electron's renderer and in the browser too.
 *
 * Standards: SM2 digital signature GB/T 32918.2-2016 (GM/T 0003.2-2012) on the recommended curve of
 * GM/T 0003.5 / GB/T 32918.5-2017, with the default signer id `1234567812345678` (GM/T 0009-2012 §10);
 * SM3 GB/T 32905-2016; canonical JSON RFC 8785 (JCS); verification-code check character ISO/IEC 7064 MOD 37,36.
 * The SM algorithms run in pure JS (sm-crypto, MIT) because Electron's BoringSSL has none.
 */
const { sm3 } = smCrypto;
/** sm-crypto's SM2, with `getPublicKeyFromPrivateKey` (exported at runtime since 0.3, missing from its @types). */
const sm2 = smCrypto.sm2 as typeof smCrypto.sm2 & { getPublicKeyFromPrivateKey(privateKeyHex: string): string };

// ───────────── Kinds of document ─────────────

/** How the verification page shows a field's value: masked as a name, an ID number, or as printed. */
export type FieldMask = 'name' | 'id-number' | 'none';

/** One field a document of a kind carries: its key in `ProofDocument.fields`, the label printed beside it. */
export interface DocumentFieldSpec {
  key: string;
  /** The label as the real document prints it (plain Chinese). */
  label: string;
  /** Shown on the public verification page (`/verify/<code>`), masked as `mask` says; the paper shows it whole. */
  onVerifyPage?: FieldMask;
  /** May be absent or empty on a real document (e.g. 组成形式 of a 个体工商户 run alone). */
  optional?: boolean;
}

/** A table a document of a kind carries below its fields (险种 rows, one row per property …). */
export interface DocumentTableSpec {
  /** The table's heading as printed. */
  title: string;
  columns: Array<{ key: string; label: string }>;
}

/**
 * What a kind of document is: its title, who issues it, which life cycle offers it (or that it is a 秒批
 * result, not offered in the list), how long a printed copy is valid for, and the fields it carries.
 */
export interface DocumentKindSpec {
  title: string;
  /** 出具单位 printed on the document and on the verification page. */
  issuer: string;
  /** `personal` / `enterprise`: offered under 查询打印 of that life cycle; `result`: a 秒批 result, sealed on approval. */
  lifeCycle: 'personal' | 'enterprise' | 'result';
  /** Days a printed copy is valid for from its issue date (the 有效期至 printed beside the watermark). */
  validDays: number;
  fields: readonly DocumentFieldSpec[];
  table?: DocumentTableSpec;
  /**
   * The sentence the document opens with under its holder line (a 秒批 result's 经审核 … wording). Absent: the
   * proofs' 经查询 … 证明如下 sentence. Fixed per kind, so the signed `kind` fixes it too.
   */
  statement?: string;
}

const NAME: DocumentFieldSpec = { key: 'name', label: '姓名', onVerifyPage: 'name' };
const ID_NUMBER: DocumentFieldSpec = { key: 'idNumber', label: '公民身份号码', onVerifyPage: 'id-number' };
const ENTERPRISE_NAME: DocumentFieldSpec = { key: 'enterpriseName', label: '名称', onVerifyPage: 'none' };
const CREDIT_CODE: DocumentFieldSpec = { key: 'creditCode', label: '统一社会信用代码', onVerifyPage: 'none' };

/**
 * Every kind of document central seals, by id. The proofs (`personal`, `enterprise`) are the ones a
 * citizen prints most in a hall; the fields are those the real documents carry (Shandong's 社保, 公积金,
 * 税务, 不动产登记, 民政, 公安 and 市场监管 print-outs). Ids are stable: add kinds, never rename one.
 */
export const DOCUMENT_KINDS = {
  'social-insurance-payment': {
    title: '社会保险缴费证明',
    issuer: '泰安市社会保险事业中心',
    lifeCycle: 'personal',
    validDays: 90,
    fields: [NAME, ID_NUMBER, { key: 'employer', label: '参保单位', onVerifyPage: 'none' }, { key: 'totalMonths', label: '累计缴费月数' }],
    table: {
      title: '缴费明细',
      columns: [
        { key: 'insurance', label: '险种' },
        { key: 'from', label: '缴费起始年月' },
        { key: 'to', label: '缴费截止年月' },
        { key: 'months', label: '月数' },
      ],
    },
  },
  'social-insurance-enrolment': {
    title: '个人参保证明',
    issuer: '泰安市社会保险事业中心',
    lifeCycle: 'personal',
    validDays: 90,
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'employer', label: '参保单位', onVerifyPage: 'none' },
      { key: 'firstEnrolled', label: '首次参保年月' },
      { key: 'insurances', label: '参保险种', onVerifyPage: 'none' },
      { key: 'status', label: '参保状态', onVerifyPage: 'none' },
    ],
  },
  'housing-fund-deposit': {
    title: '住房公积金缴存证明',
    issuer: '泰安市住房公积金管理中心',
    lifeCycle: 'personal',
    validDays: 30,
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'accountNumber', label: '个人公积金账号' },
      { key: 'employer', label: '缴存单位', onVerifyPage: 'none' },
      { key: 'status', label: '缴存状态', onVerifyPage: 'none' },
      { key: 'from', label: '缴存起始年月' },
      { key: 'to', label: '缴存截止年月' },
      { key: 'monthlyDeposit', label: '月缴存额（元）' },
      { key: 'balance', label: '账户余额（元）' },
    ],
  },
  'tax-payment': {
    title: '个人所得税纳税记录（完税证明）',
    issuer: '国家税务总局泰安市税务局',
    lifeCycle: 'personal',
    validDays: 90,
    fields: [NAME, ID_NUMBER, { key: 'period', label: '所属期间', onVerifyPage: 'none' }, { key: 'total', label: '实缴（退）金额合计（元）', onVerifyPage: 'none' }],
    table: {
      title: '纳税明细',
      columns: [
        { key: 'taxType', label: '税种' },
        { key: 'item', label: '所得项目' },
        { key: 'period', label: '所属期' },
        { key: 'withholder', label: '扣缴义务人' },
        { key: 'amount', label: '实缴（退）金额（元）' },
      ],
    },
  },
  'real-estate-record': {
    title: '不动产登记信息查询结果',
    issuer: '泰安市不动产登记中心',
    lifeCycle: 'personal',
    validDays: 30,
    fields: [
      { key: 'name', label: '权利人', onVerifyPage: 'name' },
      ID_NUMBER,
      { key: 'propertyCount', label: '查询结果', onVerifyPage: 'none' },
    ],
    table: {
      title: '不动产登记信息',
      columns: [
        { key: 'location', label: '坐落' },
        { key: 'certificateNumber', label: '不动产权证号' },
        { key: 'area', label: '面积（㎡）' },
        { key: 'use', label: '用途' },
        { key: 'share', label: '共有情况' },
        { key: 'mortgage', label: '抵押状态' },
        { key: 'seizure', label: '查封状态' },
      ],
    },
  },
  'marriage-record': {
    title: '婚姻登记记录证明',
    issuer: '泰安市民政局婚姻登记处',
    lifeCycle: 'personal',
    validDays: 90,
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'status', label: '婚姻登记状态', onVerifyPage: 'none' },
      { key: 'spouseName', label: '配偶姓名', onVerifyPage: 'name', optional: true },
      { key: 'spouseIdNumber', label: '配偶公民身份号码', onVerifyPage: 'id-number', optional: true },
      { key: 'registeredOn', label: '登记日期', optional: true },
      { key: 'certificateNumber', label: '结婚证字号', optional: true },
      { key: 'registrationAuthority', label: '登记机关', optional: true },
    ],
  },
  'household-registration': {
    title: '户籍证明',
    issuer: '泰安市公安局',
    lifeCycle: 'personal',
    validDays: 90,
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'sex', label: '性别' },
      { key: 'ethnicity', label: '民族' },
      { key: 'birthDate', label: '出生日期' },
      { key: 'address', label: '户籍地址' },
      { key: 'relation', label: '与户主关系' },
      { key: 'policeStation', label: '户籍登记机关', onVerifyPage: 'none' },
    ],
  },
  'business-licence-copy': {
    title: '营业执照（电子证照打印件）',
    issuer: '泰安市行政审批服务局',
    lifeCycle: 'enterprise',
    validDays: 30,
    fields: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      { key: 'type', label: '类型', onVerifyPage: 'none' },
      { key: 'legalRepresentative', label: '法定代表人', onVerifyPage: 'name' },
      { key: 'registeredCapital', label: '注册资本' },
      { key: 'establishedOn', label: '成立日期' },
      { key: 'address', label: '住所' },
      { key: 'businessScope', label: '经营范围' },
      { key: 'registrationAuthority', label: '登记机关', onVerifyPage: 'none' },
    ],
  },
  'enterprise-credit-report': {
    title: '企业公共信用信息报告（无违法违规记录证明）',
    issuer: '泰安市社会信用体系建设领导小组办公室',
    lifeCycle: 'enterprise',
    validDays: 30,
    fields: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      { key: 'legalRepresentative', label: '法定代表人', onVerifyPage: 'name' },
      { key: 'period', label: '查询期间', onVerifyPage: 'none' },
      { key: 'conclusion', label: '查询结论', onVerifyPage: 'none' },
    ],
    table: {
      title: '查询领域',
      columns: [
        { key: 'area', label: '领域' },
        { key: 'department', label: '数据来源部门' },
        { key: 'result', label: '查询结果' },
      ],
    },
  },
  'individual-business-licence': {
    title: '营业执照',
    issuer: '泰安市行政审批服务局',
    lifeCycle: 'result',
    validDays: 30,
    fields: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      { key: 'type', label: '类型', onVerifyPage: 'none' },
      { key: 'operator', label: '经营者', onVerifyPage: 'name' },
      { key: 'organisationForm', label: '组成形式' },
      { key: 'premises', label: '经营场所' },
      { key: 'businessScope', label: '经营范围' },
      { key: 'registeredOn', label: '注册日期', onVerifyPage: 'none' },
      { key: 'registrationAuthority', label: '登记机关', onVerifyPage: 'none' },
    ],
  },
  // ── 秒批 results of the other ten auto-approved services (central/proofs/results.ts fills them; sources cited there) ──
  'childbearing-registration-form': {
    title: '山东省生育登记服务单',
    issuer: '泰安市卫生健康委员会',
    lifeCycle: 'result',
    validDays: 365,
    statement: '经核验，您的生育登记信息符合规定，予以登记。请妥善保管本服务单，孕产期保健、住院分娩和生育保险待遇办理时可出示。',
    fields: [
      { key: 'registrationNumber', label: '登记编号', onVerifyPage: 'none' },
      { key: 'name', label: '登记人姓名', onVerifyPage: 'name' },
      ID_NUMBER,
      { key: 'spouseName', label: '配偶姓名', onVerifyPage: 'name' },
      { key: 'spouseIdNumber', label: '配偶公民身份号码' },
      { key: 'childOrder', label: '登记孩次', onVerifyPage: 'none' },
      { key: 'existingChildren', label: '现有子女', optional: true },
      { key: 'expectedDate', label: '预产期', optional: true },
      { key: 'residence', label: '现居住地' },
      { key: 'registeredOn', label: '登记日期', onVerifyPage: 'none' },
      { key: 'registrationAuthority', label: '登记机关', onVerifyPage: 'none' },
    ],
  },
  'employee-insurance-receipt': {
    title: '社会保险参保登记回执',
    issuer: '泰安市社会保险事业中心',
    lifeCycle: 'result',
    validDays: 90,
    statement: '经核验，贵单位为下列职工申报的社会保险参保登记（增员）已办理完成，自参保日期起按月申报缴纳社会保险费。',
    fields: [
      ENTERPRISE_NAME,
      CREDIT_CODE,
      { key: 'employeeName', label: '职工姓名', onVerifyPage: 'name' },
      { key: 'employeeIdNumber', label: '公民身份号码（社会保障号码）', onVerifyPage: 'id-number' },
      { key: 'enrolmentKind', label: '参保类型' },
      { key: 'previousInsuredPlace', label: '原参保地', optional: true },
      { key: 'insurances', label: '参保险种', onVerifyPage: 'none' },
      { key: 'startDate', label: '参保日期', onVerifyPage: 'none' },
      { key: 'employmentType', label: '用工形式' },
      { key: 'wageBase', label: '月缴费工资（元）' },
      { key: 'handledOn', label: '办理日期' },
      { key: 'agency', label: '经办机构', onVerifyPage: 'none' },
    ],
  },
  'hk-macao-endorsement-notice': {
    title: '往来港澳通行证签注凭条',
    issuer: '泰安市公安局出入境管理支队',
    lifeCycle: 'result',
    validDays: 365,
    statement: '您申请的往来港澳通行证签注已签发。请持电子往来港澳通行证在签注有效期内按签注种类往来，每次停留不得超过下列期限；签注信息以证件芯片记载为准。',
    fields: [
      { key: 'name', label: '姓名', onVerifyPage: 'name' },
      ID_NUMBER,
      { key: 'passNumber', label: '通行证号码' },
      { key: 'destination', label: '前往地', onVerifyPage: 'none' },
      { key: 'endorsementKind', label: '签注种类', onVerifyPage: 'none' },
      { key: 'times', label: '签注次数', onVerifyPage: 'none' },
      { key: 'validity', label: '签注有效期', onVerifyPage: 'none' },
      { key: 'stay', label: '每次停留期限' },
      { key: 'relativeName', label: '被探望亲属', optional: true },
      { key: 'fee', label: '收费金额' },
      { key: 'issuedOn', label: '签发日期' },
      { key: 'authority', label: '签发机关', onVerifyPage: 'none' },
    ],
  },
  'longevity-allowance-notice': {
    title: '高龄津贴审批结果通知书',
    issuer: '泰安市民政局',
    lifeCycle: 'result',
    validDays: 365,
    statement: '经审核，您的高龄津贴申请符合条件，准予发放。津贴自下列年月起按月发放到本人社会保障卡，无需再次申请；享受人去世或户籍迁出本市的，家属应及时告知民政部门。',
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'age', label: '年龄' },
      { key: 'household', label: '户籍所在地' },
      { key: 'result', label: '审批结果', onVerifyPage: 'none' },
      { key: 'standard', label: '发放标准', onVerifyPage: 'none' },
      { key: 'startMonth', label: '发放起始年月', onVerifyPage: 'none' },
      { key: 'payment', label: '发放方式' },
      { key: 'agentName', label: '代办人', optional: true },
      { key: 'decidedOn', label: '审批日期' },
      { key: 'authority', label: '审批机关', onVerifyPage: 'none' },
    ],
  },
  'medical-filing-receipt': {
    title: '异地就医备案回执',
    issuer: '泰安市医疗保障局',
    lifeCycle: 'result',
    validDays: 365,
    statement: '您的异地就医备案已办理完成。备案有效期内，请持社会保障卡或医保电子凭证在就医地定点医疗机构就医，医疗费用直接结算。',
    fields: [
      { key: 'filingNumber', label: '备案编号', onVerifyPage: 'none' },
      { key: 'name', label: '参保人姓名', onVerifyPage: 'name' },
      ID_NUMBER,
      { key: 'insuredPlace', label: '参保地' },
      { key: 'insuranceType', label: '险种类型' },
      { key: 'filingType', label: '备案类型', onVerifyPage: 'none' },
      { key: 'scope', label: '备案范围' },
      { key: 'destination', label: '就医地', onVerifyPage: 'none' },
      { key: 'hospital', label: '转入医院', optional: true },
      { key: 'residenceAddress', label: '异地居住地址', optional: true },
      { key: 'validFrom', label: '备案开始日期', onVerifyPage: 'none' },
      { key: 'validTo', label: '备案有效期至', onVerifyPage: 'none' },
      { key: 'agency', label: '经办机构' },
    ],
  },
  'housing-fund-withdrawal-voucher': {
    title: '住房公积金提取凭证',
    issuer: '泰安市住房公积金管理中心',
    lifeCycle: 'result',
    validDays: 90,
    statement: '您的住房公积金提取申请经审核符合规定，已办理提取，款项转入下列本人银行账户。',
    fields: [
      { key: 'voucherNumber', label: '业务流水号', onVerifyPage: 'none' },
      { key: 'name', label: '缴存职工姓名', onVerifyPage: 'name' },
      ID_NUMBER,
      { key: 'accountNumber', label: '个人公积金账号' },
      { key: 'reason', label: '提取原因', onVerifyPage: 'none' },
      { key: 'rentalAddress', label: '租赁住房地址' },
      { key: 'amount', label: '提取金额（元）', onVerifyPage: 'none' },
      { key: 'amountInWords', label: '提取金额（大写）' },
      { key: 'bankAccount', label: '收款账号' },
      { key: 'payment', label: '到账方式' },
      { key: 'handledOn', label: '办理日期', onVerifyPage: 'none' },
    ],
  },
  'resident-pension-enrolment-receipt': {
    title: '城乡居民基本养老保险参保登记回执',
    issuer: '泰安市社会保险事业中心',
    lifeCycle: 'result',
    validDays: 90,
    statement: '经核验，您已参加城乡居民基本养老保险，参保登记信息如下。每年按所选缴费档次缴费，缴费越多、年限越长，领取的养老金越多。',
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'household', label: '户籍所在地' },
      { key: 'address', label: '户籍地址' },
      { key: 'insuredGroup', label: '参保人员类别', onVerifyPage: 'none' },
      { key: 'contributionLevel', label: '缴费档次', onVerifyPage: 'none' },
      { key: 'payment', label: '缴费方式' },
      { key: 'enrolledOn', label: '参保日期', onVerifyPage: 'none' },
      { key: 'status', label: '参保状态', onVerifyPage: 'none' },
      { key: 'agency', label: '经办机构' },
    ],
  },
  'senior-preferential-card': {
    title: '山东省老年人优待证',
    issuer: '泰安市民政局',
    lifeCycle: 'result',
    validDays: 3650,
    statement: '持证人凭本证（电子证同等有效）在山东省内享受老年人乘车、游览、就医等优待服务。本证仅限本人使用。',
    fields: [
      { key: 'cardNumber', label: '证号', onVerifyPage: 'none' },
      NAME,
      { key: 'sex', label: '性别' },
      { key: 'birthDate', label: '出生日期' },
      ID_NUMBER,
      { key: 'address', label: '住址' },
      { key: 'issuedOn', label: '发证日期', onVerifyPage: 'none' },
      { key: 'validity', label: '有效期限', onVerifyPage: 'none' },
      { key: 'authority', label: '发证机关', onVerifyPage: 'none' },
    ],
  },
  'skill-subsidy-notice': {
    title: '技能提升补贴审批结果通知书',
    issuer: '泰安市人力资源和社会保障局',
    lifeCycle: 'result',
    validDays: 365,
    statement: '经审核，您申领的职业技能提升补贴符合条件，准予发放，补贴资金从失业保险基金列支，发放到本人社会保障卡银行账户。',
    fields: [
      NAME,
      ID_NUMBER,
      { key: 'certificateName', label: '证书名称', onVerifyPage: 'none' },
      { key: 'occupation', label: '职业（工种）' },
      { key: 'certificateLevel', label: '证书等级', onVerifyPage: 'none' },
      { key: 'certificateNumber', label: '证书编号' },
      { key: 'issueDate', label: '发证日期' },
      { key: 'subsidy', label: '补贴标准', onVerifyPage: 'none' },
      { key: 'payment', label: '发放方式' },
      { key: 'decidedOn', label: '审批日期' },
      { key: 'authority', label: '审批机关', onVerifyPage: 'none' },
    ],
  },
  'tax-payment-certificate': {
    title: '中华人民共和国税收完税证明',
    issuer: '国家税务总局泰安市税务局',
    lifeCycle: 'result',
    validDays: 90,
    statement: '兹证明下列纳税人在所属期间内已缴纳的税款如下。本证明不作纳税人记账或抵扣凭证。',
    fields: [
      { key: 'certificateNumber', label: '证明编号', onVerifyPage: 'none' },
      { key: 'enterpriseName', label: '纳税人名称', onVerifyPage: 'none', optional: true },
      { key: 'creditCode', label: '纳税人识别号', onVerifyPage: 'none', optional: true },
      { key: 'name', label: '纳税人名称', onVerifyPage: 'name', optional: true },
      { key: 'idNumber', label: '纳税人识别号', onVerifyPage: 'id-number', optional: true },
      { key: 'period', label: '税款所属期间', onVerifyPage: 'none' },
      { key: 'total', label: '金额合计（元）', onVerifyPage: 'none' },
    ],
    table: {
      title: '完税明细',
      columns: [
        { key: 'voucher', label: '原凭证号' },
        { key: 'taxType', label: '税种' },
        { key: 'item', label: '品目名称' },
        { key: 'period', label: '税款所属时期' },
        { key: 'paidOn', label: '入（退）库日期' },
        { key: 'amount', label: '实缴（退）金额（元）' },
      ],
    },
  },
} as const satisfies Record<string, DocumentKindSpec>;

export type DocumentKindId = keyof typeof DOCUMENT_KINDS;
export const DocumentKindId = z.enum(Object.keys(DOCUMENT_KINDS) as [DocumentKindId, ...DocumentKindId[]]);

/** The kinds offered under 查询打印 (both life cycles); 秒批 results are sealed on approval, never asked for. */
export type ProofKindId = { [K in DocumentKindId]: (typeof DOCUMENT_KINDS)[K]['lifeCycle'] extends 'result' ? never : K }[DocumentKindId];
export const PROOF_KIND_IDS = (Object.keys(DOCUMENT_KINDS) as DocumentKindId[]).filter((id) => DOCUMENT_KINDS[id].lifeCycle !== 'result') as ProofKindId[];
export const ProofKindId = z.enum(PROOF_KIND_IDS as [ProofKindId, ...ProofKindId[]]);

/** The spec of a kind, typed loosely enough to iterate over its fields and table. */
export function documentKind(id: DocumentKindId): DocumentKindSpec {
  return DOCUMENT_KINDS[id];
}

/** The watermark every sealed document carries beside its 有效期至 date (issue 15). */
export const PROOF_WATERMARK = '仅供办理政务服务事项使用';

/** Copies of one proof a citizen may print in one go (A4 sheets; more is a window's job). */
export const MAX_PROOF_COPIES = 5;

// ───────────── Requests and answers ─────────────

/** Central's paths for proofs and verification (the /v1 ones are signed as the terminal; /verify is public). */
export const PROOF_PATHS = {
  /** POST, signed: ProofListRequest → ProofListResponse. */
  available: '/v1/proofs/available',
  /** POST, signed, idempotent: ProofRequest → ProofIssueResponse. */
  issue: '/v1/proofs/issue',
  /** GET, signed: SealPublicKeyResponse. */
  sealPublicKey: '/v1/seal/public-key',
  /** GET, public: VerificationResult of a code. */
  verifyJson: (code: string) => `/v1/verify/${encodeURIComponent(code)}`,
  /** GET, public: the verification web page of a code (the printed QR's URL). */
  verifyPage: (code: string) => `/verify/${encodeURIComponent(code)}`,
} as const;

/**
 * `POST /v1/proofs/available`: what central can issue for this person. The ID number travels in the signed
 * body, never in a URL (proxies and access logs keep URLs), like every other /v1 look-up by person.
 */
export const ProofListRequest = z.object({ idNumber: z.string().min(6).max(36) });
export type ProofListRequest = z.infer<typeof ProofListRequest>;

/** An enterprise this person is the 法定代表人 of, in central's register (市场主体登记). */
export const RepresentedEnterprise = z.object({ creditCode: z.string().length(18), name: z.string().min(1).max(120) });
export type RepresentedEnterprise = z.infer<typeof RepresentedEnterprise>;

/** One proof in the list: offered when central holds the data, otherwise with the plain-Chinese reason. */
export const AvailableProof = z.object({
  proofId: ProofKindId,
  title: z.string(),
  lifeCycle: z.enum(['personal', 'enterprise']),
  available: z.boolean(),
  /** When not available: why, and what to do instead (plain Chinese). */
  reason: z.string().optional(),
});
export type AvailableProof = z.infer<typeof AvailableProof>;

export const ProofListResponse = z.object({
  proofs: z.array(AvailableProof),
  /** Enterprises whose proofs this person may print (the kiosk asks which one when there are several). */
  enterprises: z.array(RepresentedEnterprise),
});
export type ProofListResponse = z.infer<typeof ProofListResponse>;

/**
 * `POST /v1/proofs/issue`: issue and seal one proof for the person on the card. Enterprise proofs name the
 * enterprise by its 统一社会信用代码 and are issued only to its 法定代表人 in central's record.
 */
export const ProofRequest = z
  .object({
    proofId: ProofKindId,
    /** The subject: the ID number of the person whose card was read (and verified) on the kiosk. */
    idNumber: z.string().min(6).max(36),
    /** Enterprise proofs only: the enterprise's 统一社会信用代码 (GB 32100, check character verified). */
    creditCode: z
      .string()
      .refine((code) => isValidCreditCode(code), '统一社会信用代码有误')
      .optional(),
    copies: z.number().int().min(1).max(MAX_PROOF_COPIES),
  })
  .refine((request) => DOCUMENT_KINDS[request.proofId].lifeCycle !== 'enterprise' || request.creditCode !== undefined, {
    message: '企业证明需要统一社会信用代码',
    path: ['creditCode'],
  });
export type ProofRequest = z.infer<typeof ProofRequest>;

/** A row of a document's table: column key → printed text. */
const TableRow = z.record(z.string().max(64), z.string().max(500));

/**
 * The content of a sealed document: everything printed on it, and nothing else. The seal signs exactly
 * this (its canonical form, `proofContentDigest`), so a changed character anywhere fails `verifySeal`.
 */
export const ProofDocument = z.object({
  kind: DocumentKindId,
  title: z.string().min(1).max(100),
  issuer: z.string().min(1).max(100),
  /** Field key (DOCUMENT_KINDS[kind].fields) → printed text, laid out in the spec's order with its labels. */
  fields: z.record(z.string().max(64), z.string().max(2000)),
  /** Rows of DOCUMENT_KINDS[kind].table, when the kind has one. */
  rows: z.array(TableRow).max(200).optional(),
  /** 16 characters (see `isValidVerificationCode`), printed with the QR to `/verify/<code>`. */
  verificationCode: z.string().length(16),
  /** When central issued it, ISO 8601 with offset. */
  issuedAt: z.string().min(10).max(40),
  /** 有效期至, Beijing date: after it the verification page says 已失效. */
  validUntil: IsoDate,
  /** Always PROOF_WATERMARK; part of the signed content so it cannot be removed unnoticed. */
  watermark: z.literal(PROOF_WATERMARK),
  /** For a 秒批 result: the case it results from. */
  caseNumber: z.string().max(40).optional(),
  /**
   * SM3 (hex) of the signed PDF central sends as issued (`IssuedProof.pdf`), so the seal covers the bytes that
   * are printed; a PDF without it, or with other bytes, is refused (`verifySeal`).
   */
  pdfSm3: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).superRefine((document, context) => {
  // The fields are exactly those the kind prints: a missing one would print blank, an extra one unseen but signed.
  const spec = documentKind(document.kind);
  const known = new Set(spec.fields.map((field) => field.key));
  for (const field of spec.fields) {
    if (!field.optional && !document.fields[field.key]) context.addIssue({ code: 'custom', message: `缺少${field.label}`, path: ['fields', field.key] });
  }
  for (const key of Object.keys(document.fields)) {
    if (!known.has(key)) context.addIssue({ code: 'custom', message: `多余字段 ${key}`, path: ['fields', key] });
  }
  const columns = new Set(spec.table?.columns.map((column) => column.key) ?? []);
  for (const [index, row] of (document.rows ?? []).entries()) {
    for (const key of Object.keys(row)) if (!columns.has(key)) context.addIssue({ code: 'custom', message: `多余列 ${key}`, path: ['rows', index, key] });
  }
});
export type ProofDocument = z.infer<typeof ProofDocument>;

/** Central's electronic seal on a document: who sealed, with which key, and the SM2 signature. */
export const ProofSeal = z.object({
  /** SM2 signature (GB/T 32918.2) with SM3, over the 32 digest bytes, default signer id. */
  algorithm: z.literal('sm2-sm3'),
  /** Seal name printed in the seal image (电子印章). */
  sealName: z.string().min(1).max(100),
  /** Identifies central's seal key (first 16 hex of SM3 over the uncompressed public key), for key rollover. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** r ‖ s, 64 lowercase hex characters each. */
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type ProofSeal = z.infer<typeof ProofSeal>;

/** A sealed document as central returns it: content, its SM3 digest, the seal, optionally a signed PDF as issued. */
export const IssuedProof = z.object({
  document: ProofDocument,
  /** SM3 (hex) of the canonical content: `proofContentDigest(document)`. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  seal: ProofSeal,
  /** Copies asked for (1..MAX_PROOF_COPIES); central records them, the kiosk prints them. */
  copies: z.number().int().min(1).max(MAX_PROOF_COPIES),
  /** Base64 of a signed PDF as issued (OFD/PDF e-licence), when central has one: printed as is, never re-rendered. */
  pdf: z.string().max(20_000_000).optional(),
});
export type IssuedProof = z.infer<typeof IssuedProof>;

/** Why central will not issue a proof, in plain Chinese with what to do next. */
export const ProofRefusal = z.object({
  code: z.enum(['not-legal-representative', 'unknown-enterprise', 'no-record']),
  message: z.string().min(1),
});
export type ProofRefusal = z.infer<typeof ProofRefusal>;

/** `POST /v1/proofs/issue` answers 201 with a sealed proof, or 200 with a refusal (an expected outcome, not an error). */
export const ProofIssueResponse = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('issued'), proof: IssuedProof }),
  z.object({ outcome: z.literal('refused'), refusal: ProofRefusal }),
]);
export type ProofIssueResponse = z.infer<typeof ProofIssueResponse>;

/** `GET /v1/seal/public-key`: central's seal public key, uncompressed SM2 point (`04` ‖ x ‖ y, 130 hex). */
export const SealPublicKeyResponse = z.object({
  algorithm: z.literal('sm2-sm3'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  publicKey: z.string().regex(/^04[0-9a-f]{128}$/),
  sealName: z.string(),
});
export type SealPublicKeyResponse = z.infer<typeof SealPublicKeyResponse>;

// ───────────── Delivery of a paper result ─────────────

/** How a paper result reaches the applicant: at the window, by post, or only as an e-licence. */
export const DeliveryChoice = z.discriminatedUnion('method', [
  z.object({ method: z.literal('window-pickup') }),
  z.object({
    method: z.literal('post'),
    /** Postal address as typed (touch-first input panel) or prefilled from the profile. */
    address: z.string().trim().min(5).max(200),
    /** The recipient's mobile, for the courier. */
    phone: z.string().trim().refine(isValidMobile, '手机号码有误'),
    /** Recipient when not the applicant. */
    recipient: z.string().trim().max(60).optional(),
  }),
  z.object({ method: z.literal('e-licence') }),
]);
export type DeliveryChoice = z.infer<typeof DeliveryChoice>;

/** The words on screen and on the receipt for each delivery method. */
export const DELIVERY_LABELS = { 'window-pickup': '窗口领取', post: '邮寄', 'e-licence': '电子证照' } as const satisfies Record<DeliveryChoice['method'], string>;

// ───────────── Public verification ─────────────

export const VerificationStatus = z.enum(['valid', 'expired', 'not-found']);
export type VerificationStatus = z.infer<typeof VerificationStatus>;

/** What the verification page says for each status. */
export const VERIFICATION_STATUS_TEXT = { valid: '真实有效', expired: '已失效', 'not-found': '无此证明' } as const satisfies Record<VerificationStatus, string>;

/**
 * `GET /v1/verify/<code>` (and the page `/verify/<code>`): unsigned, public. Only the fields the kind marks
 * `onVerifyPage`, masked: whoever holds the paper learns nothing the paper does not show, and less.
 */
export const VerificationResult = z.object({
  status: VerificationStatus,
  statusText: z.string(),
  document: z
    .object({
      title: z.string(),
      issuer: z.string(),
      issuedAt: z.string(),
      validUntil: IsoDate,
      keyFields: z.array(z.object({ label: z.string(), value: z.string() })),
    })
    .optional(),
});
export type VerificationResult = z.infer<typeof VerificationResult>;

/** The key fields of a document as the verification page shows them (masked per DOCUMENT_KINDS). */
export function verificationKeyFields(document: ProofDocument): Array<{ label: string; value: string }> {
  const shown: Array<{ label: string; value: string }> = [];
  for (const field of documentKind(document.kind).fields) {
    const value = document.fields[field.key];
    if (!field.onVerifyPage || value === undefined || value === '') continue;
    shown.push({ label: field.label, value: field.onVerifyPage === 'name' ? maskName(value) : field.onVerifyPage === 'id-number' ? maskIdNumber(value) : value });
  }
  return shown;
}

// ───────────── Verification code (ISO/IEC 7064 MOD 37,36) ─────────────

const CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Length of a verification code: 15 random characters (≈ 77 bits) and one check character. */
export const VERIFICATION_CODE_LENGTH = 16;

/**
 * The ISO/IEC 7064 MOD 37,36 (hybrid system, M = 36) check character of `body` (0-9, A-Z), or null on any
 * other character. It catches every single-character error and every adjacent transposition, so a
 * mistyped code is told apart from a code that does not exist.
 */
export function verificationCheckChar(body: string): string | null {
  let product = 36;
  for (const char of body) {
    const value = CODE_ALPHABET.indexOf(char);
    if (value < 0) return null;
    let sum = (product + value) % 36;
    if (sum === 0) sum = 36;
    product = (sum * 2) % 37;
  }
  return CODE_ALPHABET[(37 - product) % 36] ?? null;
}

/** Whether `code` is 16 characters of 0-9A-Z whose last is the MOD 37,36 check character of the rest. */
export function isValidVerificationCode(code: string): boolean {
  if (code.length !== VERIFICATION_CODE_LENGTH) return false;
  return verificationCheckChar(code.slice(0, -1)) === code.slice(-1);
}

/**
 * A verification code from 15 random values (0..35 each, e.g. from a CSPRNG; central draws them): the
 * characters plus the check character. Throws if a value is out of range or there are not 15.
 */
export function verificationCodeFrom(randomValues: readonly number[]): string {
  if (randomValues.length !== VERIFICATION_CODE_LENGTH - 1) throw new Error(`verification code needs ${VERIFICATION_CODE_LENGTH - 1} values`);
  const body = randomValues
    .map((value) => {
      const char = CODE_ALPHABET[value];
      if (!Number.isInteger(value) || char === undefined) throw new Error('verification code value out of range');
      return char;
    })
    .join('');
  return body + (verificationCheckChar(body) ?? '');
}

// ───────────── Canonical digest and seal ─────────────

/**
 * The canonical content of a document: RFC 8785 (JCS) JSON of its parsed form (keys sorted, one number form,
 * absent optionals left out), UTF-8. The same document always yields the same bytes, however its JSON was laid
 * out on the wire. Throws (zod error) when `document` is not a ProofDocument.
 */
export function canonicalProofContent(document: ProofDocument): Uint8Array {
  const parsed = ProofDocument.parse(document);
  return new TextEncoder().encode(canonicalize(parsed) ?? '');
}

/** SM3 (GB/T 32905, lowercase hex) of the canonical content: what the seal signs and `IssuedProof.digest` holds. */
export function proofContentDigest(document: ProofDocument): string {
  return sm3(Array.from(canonicalProofContent(document)));
}

function hexBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < hex.length; index += 2) bytes.push(Number.parseInt(hex.slice(index, index + 2), 16));
  return bytes;
}

/** The seal key id of a public key: first 16 hex of SM3 over its 65 bytes. */
export function sealKeyId(publicKeyHex: string): string {
  return sm3(hexBytes(publicKeyHex.toLowerCase())).slice(0, 16);
}

/** Order n of the SM2 recommended curve's base point (GM/T 0003.5): a private key and each k lie in [1, n − 1]. */
export const SM2_ORDER_HEX = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';

type SmBigInteger = ReturnType<typeof sm2.getPoint>['k'];
let BigIntegerClass: (new (hex: string, radix: number) => SmBigInteger) | null = null;

/**
 * One precomputed signing point (k, x1 of kG) from a caller's k, for sm-crypto's `pointPool`. sm-crypto draws k
 * from an RC4 stream seeded once (its rng.js); a signer that issues many signatures supplies k from its
 * platform's CSPRNG instead, because biased or predictable k reveals an SM2 private key. The BigInteger class
 * is sm-crypto's own (jsbn), taken from one of its points rather than imported as an undeclared dependency.
 */
function signingPoint(kHex: string): ReturnType<typeof sm2.getPoint> {
  BigIntegerClass ??= sm2.getPoint().k.constructor as new (hex: string, radix: number) => SmBigInteger;
  const kG = sm2.getPublicKeyFromPrivateKey(kHex);
  return { privateKey: kHex, publicKey: kG, k: new BigIntegerClass(kHex, 16), x1: new BigIntegerClass(kG.slice(2, 66), 16) };
}

/**
 * Signs a digest (64 hex) with an SM2 private key (64 hex): GB/T 32918.2 signature with e = SM3(Z_A ‖ M),
 * M the 32 digest bytes, Z_A for the default signer id. Answers r ‖ s (128 lowercase hex). `randomK` gives
 * each attempt's k (64 hex in [1, n − 1]) from a CSPRNG; without it sm-crypto's own generator is used (tests,
 * one-off signatures). `publicKeyHex`, when the signer has it, spares deriving it again. Central uses it; it
 * lives here beside `verifySeal` so both agree on what is signed.
 */
export function signDigest(digestHex: string, privateKeyHex: string, randomK?: () => string, publicKeyHex?: string): string {
  // sm-crypto pops one point per attempt; another attempt (r = 0, r + k = n or s = 0) has odds ~2^-256.
  const pointPool = randomK ? [signingPoint(randomK())] : undefined;
  // Z_A needs the public key; given, it saves sm-crypto a scalar multiplication per signature.
  return sm2.doSignature(hexBytes(digestHex), privateKeyHex, { hash: true, der: false, ...(pointPool ? { pointPool } : {}), ...(publicKeyHex ? { publicKey: publicKeyHex } : {}) });
}

/** The public key (`04` ‖ x ‖ y, lowercase hex) of an SM2 private key (64 hex). */
export function sealPublicKeyOf(privateKeyHex: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKeyHex).toLowerCase();
}

/**
 * Whether a sealed document is genuine under central's seal public key (`04` ‖ x ‖ y hex): its digest is the
 * SM3 of its canonical content, and the SM2 signature over that digest verifies. False on any mismatch or
 * malformed input (never throws): the kiosk refuses to print a document for which this is false.
 */
export function verifySeal(proof: Pick<IssuedProof, 'document' | 'digest' | 'seal'> & { pdf?: string | undefined }, publicKeyHex: string): boolean {
  try {
    if (!/^04[0-9a-fA-F]{128}$/.test(publicKeyHex) || !/^[0-9a-f]{128}$/.test(proof.seal.signature)) return false;
    // A PDF as issued is printed byte for byte: its SM3 must be in the signed content, and match.
    if (proof.pdf !== undefined && proof.document.pdfSm3 !== sm3(Array.from(atob(proof.pdf), (character) => character.charCodeAt(0)))) return false;
    const digest = proofContentDigest(proof.document);
    if (digest !== proof.digest) return false;
    return sm2.doVerifySignature(hexBytes(digest), proof.seal.signature, publicKeyHex.toLowerCase(), { hash: true, der: false });
  } catch {
    return false;
  }
}
