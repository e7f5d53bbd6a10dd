import { chinaDate } from '../../../contract/china-time.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { gb32100CheckChar } from '../../../contract/validators/gb32100.js';
import type { Citizen, Orientation } from './citizen.js';

/**
 * Services completed end to end by a citizen who only taps (issue 9, "Tests that must exist"): shared by
 * the e2e test (test/e2e/citizen-walkthroughs.e2e.test.ts), which checks central's record and the receipt,
 * and the `ux.taps.<service>` benchmark (test/bench/ux.bench.ts), which counts the taps.
 *
 * Together they cover every mode in both orientations and: a 秒批 item, a 情形 branch, 告知承诺 with a
 * signature, enterprise items, a name typed by pinyin candidates, one written by hand, a phone number, an
 * ID number with X (typed, and read from a card), dates, 办件查询 by the local number and a 不满意 rating.
 * Dates are relative to today's Beijing date, so the date rules (past, not in the future) hold any day.
 */

/** Display modes switched on with the header's buttons before the citizen starts. */
export interface Modes {
  elder?: boolean;
  lower?: boolean;
  contrast?: boolean;
}

/** What the citizen saw at the end of the journey: the numbers on the result screen. */
export interface Outcome {
  headline: string;
  caseNumber: string;
  localNumber: string;
}

/** What central must hold for the case afterwards (test/e2e/support/central-db.ts reads it). */
export interface Expected {
  serviceId: string;
  applicantId: string;
  status: 'approved' | 'accepted';
  /** Form values central must have received (a subset). */
  form: Record<string, unknown>;
  /** Situation answers central must have received. */
  answers?: Record<string, string>;
  /** How each named material was supplied. */
  materials?: Record<string, string>;
  signed?: boolean;
  /** Shown on the receipt (besides the numbers and the service name). */
  receipt: string[];
}

export interface Walkthrough {
  /** The catalog's service id (the bench figure is `ux.taps.<service>`). */
  service: string;
  /** What it proves, for the test's name. */
  title: string;
  orientation: Orientation;
  modes: Modes;
  /** From the home screen to the result screen (the receipt printed); card placement is not a tap. */
  run(citizen: Citizen): Promise<Outcome>;
  expected: Expected;
}

// ── The people and their numbers ─────────────────────────────────────────────────────────────────────

/** Card holders of the demo deck (drivers/simulators/id-card-deck.ts), as their demo button shows them. */
export const CARDS = {
  li: { button: /李\*英/, idNumber: withCheck('37091119900822402'), name: '李秀英' },
  zhang: { button: /张\*华/, idNumber: withCheck('37090219680315123'), name: '张建华' },
  /** 74 years old, number ends in X. */
  liu: { button: /刘\*芝/, idNumber: withCheck('37090219520418738'), name: '刘桂芝' },
} as const;

/** A father's number ending in X, typed on the ID pad. */
export const FATHER_ID_X = withCheck('37090219880512103');
/** A unified social credit code (GB 32100) with letters, typed on the letters-and-digits pad. */
export const CREDIT_CODE = withCreditCheck('91370902MA3C4DEM0');
/** A phone number typed on the digit pad (not the one the profile prefills). */
export const TYPED_MOBILE = '13953812345';

function withCheck(first17: string): string {
  return first17 + gb11643CheckChar(first17);
}
function withCreditCheck(first17: string): string {
  const check = gb32100CheckChar(first17);
  if (check === null) throw new Error(`${first17} is not the start of a GB 32100 code`);
  return first17 + check;
}

/** Beijing date `days` from today, YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return chinaDate(Date.now() + days * 86_400_000);
}

// ── Steps a person takes, in the words on screen ────────────────────────────────────────────────────

/** 个人服务 / 企业服务 → the stage tile → the service tile → its guide. */
export async function browseTo(citizen: Citizen, lifeCycle: '个人服务' | '企业服务', stage: string, service: string): Promise<void> {
  await citizen.waitForScreen('home');
  await citizen.tapText(lifeCycle);
  await citizen.tapText(stage);
  await citizen.tapText(service);
  await citizen.waitForScreen('guide');
}

/** 开始办理, then the card on the reader. */
export async function startWithCard(citizen: Citizen, card: RegExp): Promise<void> {
  await citizen.tap({ name: '开始办理' });
  await citizen.waitForScreen('identity');
  await placeCard(citizen, card);
}

/** Lays the card on the reader until the identity screen moves on. */
export async function placeCard(citizen: Citizen, card: RegExp): Promise<void> {
  await citizen.placeDemoCard(card, async () => (await citizen.page.getAttribute('main', 'data-screen')) !== 'identity');
}

/** Answers one situation question (options are ambiguous across questions: the question's card scopes them). */
export async function answer(citizen: Citizen, question: string, option: string): Promise<void> {
  await citizen.tap({ name: option }, { within: { test: `question-${question}` } });
}

export async function next(citizen: Citizen, to: string): Promise<void> {
  await citizen.tap({ name: '下一步' });
  await citizen.waitForScreen(to);
}

/** A material's card, by its data-test name, with the way the citizen supplies it. */
export async function supply(citizen: Citizen, material: string, way: '同意调取电子证照' | '告知承诺（签字代替材料）' | '稍后窗口补交'): Promise<void> {
  await citizen.tap({ name: way }, { within: { test: `material-${material}` } });
  if (way === '同意调取电子证照') await citizen.find({ test: 'licence-fetched' }, { within: { test: `material-${material}` } });
}

/** 确认提交 on the confirm page, then the result screen's numbers. */
export async function submit(citizen: Citizen): Promise<Outcome> {
  await citizen.tap({ name: '确认提交' });
  await citizen.waitForScreen('result', 30_000);
  await citizen.find({ test: 'receipt-printed' }, { timeoutMs: 20_000 });
  return {
    headline: await citizen.read({ test: 'result-headline' }),
    caseNumber: (await citizen.sees({ test: 'case-number' })) ? await citizen.read({ test: 'case-number' }) : '',
    localNumber: await citizen.read({ test: 'local-number' }),
  };
}

/** After the result: rates the service; ends on the thanks screen. */
export async function rate(citizen: Citizen, level: '非常满意' | '满意' | '基本满意'): Promise<void> {
  await citizen.tap({ name: '评价本次服务' });
  await citizen.waitForScreen('rating');
  await citizen.tap({ name: level });
  await citizen.tap({ name: '提交评价' });
  await citizen.waitForScreen('thanks');
}

// ── The walkthroughs ────────────────────────────────────────────────────────────────────────────────

const issueDate = daysFromToday(-70);
const birthDate = daysFromToday(-20);
const dueDate = daysFromToday(150);
const periodFrom = daysFromToday(-120);
const periodTo = daysFromToday(-30);
const filingStart = daysFromToday(3);

export const WALKTHROUGHS: readonly Walkthrough[] = [
  {
    service: 'skill-upgrade-subsidy',
    title: '秒批 in portrait: a certificate number on the letters pad, a date, an occupation by pinyin, a level by option button',
    orientation: 'portrait',
    modes: {},
    async run(citizen) {
      await browseTo(citizen, '个人服务', '工作', '职业技能提升补贴申领');
      await startWithCard(citizen, CARDS.li.button);
      await citizen.waitForScreen('form');
      await citizen.typeAlnum('证书编号', 'S000037090012345');
      await citizen.pickDate('发证日期', issueDate);
      await citizen.typeWithPinyin('职业（工种）', '电工');
      await citizen.pickOption('证书等级', '中级工（四级），补贴1500元');
      await next(citizen, 'materials');
      await supply(citizen, 'skill-certificate', '同意调取电子证照');
      await supply(citizen, 'social-security-card', '同意调取电子证照');
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'skill-upgrade-subsidy',
      applicantId: CARDS.li.idNumber,
      status: 'approved',
      form: { certificateNumber: 'S000037090012345', issueDate, occupation: '电工', certificateLevel: '4' },
      materials: { 'skill-certificate': 'e-licence', 'social-security-card': 'e-licence' },
      receipt: ['职业技能提升补贴申领', '李*英', '已办结'],
    },
  },
  {
    service: 'birth-one-thing',
    title: '情形 branch and 告知承诺 signed in portrait 长辈模式: a name by pinyin, one by hand, an ID with X, a date, a phone',
    orientation: 'portrait',
    modes: { elder: true },
    async run(citizen) {
      await browseTo(citizen, '个人服务', '出生', '出生一件事');
      await startWithCard(citizen, CARDS.li.button);
      await citizen.waitForScreen('situation');
      await answer(citizen, 'married', '未登记结婚');
      await answer(citizen, 'same-county', '不在同一区县');
      await answer(citizen, 'social-security-card', '同时申领');
      await next(citizen, 'form');
      await citizen.typeWithPinyin('新生儿姓名', '李小满');
      await citizen.pickOption('新生儿性别', '女');
      await citizen.pickDate('出生日期', birthDate);
      await citizen.typeAlnum('出生医学证明编号', 'R370123456');
      await citizen.writeByHand('另一方父母姓名', '王志强');
      await citizen.typeId('另一方父母身份证号码', FATHER_ID_X);
      // The branch: parents in different counties are asked which side the baby is registered with.
      await citizen.pickOption('新生儿随哪一方落户', '随母亲');
      await citizen.pickOption('落户区县', '岱岳区');
      await citizen.typeDigits('联系电话', TYPED_MOBILE);
      await next(citizen, 'materials');
      await supply(citizen, 'household-register', '同意调取电子证照');
      await supply(citizen, 'birth-medical-certificate', '同意调取电子证照');
      await supply(citizen, 'other-parent-consent', '告知承诺（签字代替材料）');
      await supply(citizen, 'bank-account', '稍后窗口补交');
      await supply(citizen, 'non-marital-statement', '告知承诺（签字代替材料）');
      await citizen.sign(CARDS.li.name);
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'birth-one-thing',
      applicantId: CARDS.li.idNumber,
      status: 'accepted',
      answers: { married: 'no', 'same-county': 'no', 'social-security-card': 'yes' },
      form: { babyName: '李小满', babySex: 'female', birthDate, birthCertificateNumber: 'R370123456', otherParentName: '王志强', otherParentIdNumber: FATHER_ID_X, registerWith: 'mother', division: '370911', mobile: TYPED_MOBILE },
      materials: { 'non-marital-statement': 'commitment', 'other-parent-consent': 'commitment', 'bank-account': 'paper-later', 'household-register': 'e-licence' },
      signed: true,
      receipt: ['出生一件事', '李*英', '告知承诺'],
    },
  },
  {
    service: 'senior-preferential-card',
    title: '秒批 in portrait 低位操作 for a 74-year-old whose card number ends in X',
    orientation: 'portrait',
    modes: { lower: true },
    async run(citizen) {
      await browseTo(citizen, '个人服务', '养老', '老年人优待证办理');
      await startWithCard(citizen, CARDS.liu.button);
      await citizen.waitForScreen('form');
      await citizen.pickOption('户籍所在区县', '泰山区');
      await next(citizen, 'materials');
      await supply(citizen, 'household-register', '同意调取电子证照');
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'senior-preferential-card',
      applicantId: CARDS.liu.idNumber,
      status: 'approved',
      form: { idNumber: CARDS.liu.idNumber, division: '370902', applicantName: '刘桂芝' },
      receipt: ['老年人优待证办理', '刘*芝', '已办结'],
    },
  },
  {
    service: 'resident-pension-enrolment',
    title: '秒批 in portrait 高对比度, then a 不满意 rating with its reason and a contact typed on the digit pad',
    orientation: 'portrait',
    modes: { contrast: true },
    async run(citizen) {
      await browseTo(citizen, '个人服务', '工作', '城乡居民养老保险参保登记');
      await startWithCard(citizen, CARDS.li.button);
      await citizen.waitForScreen('situation');
      await answer(citizen, 'special-group', '不属于');
      await next(citizen, 'form');
      await citizen.pickOption('户籍所在区县', '岱岳区');
      await citizen.pickOption('缴费档次（元/年）', '1000元');
      await next(citizen, 'materials');
      await supply(citizen, 'household-register', '同意调取电子证照');
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'resident-pension-enrolment',
      applicantId: CARDS.li.idNumber,
      status: 'approved',
      answers: { 'special-group': 'no' },
      form: { division: '370911' },
      receipt: ['城乡居民养老保险参保登记', '李*英', '已办结'],
    },
  },
  {
    service: 'tax-payment-certificate',
    title: 'enterprise 秒批 in landscape: the name by pinyin, the credit code on the letters pad, two dates',
    orientation: 'landscape',
    modes: {},
    async run(citizen) {
      await browseTo(citizen, '企业服务', '企业运营', '开具税收完税证明');
      await startWithCard(citizen, CARDS.zhang.button);
      await citizen.waitForScreen('situation');
      await answer(citizen, 'taxpayer-kind', '单位纳税人');
      await next(citizen, 'form');
      await citizen.typeWithPinyin('纳税人名称', '泰山食品有限公司');
      await citizen.typeAlnum('纳税人识别号（统一社会信用代码）', CREDIT_CODE);
      await citizen.pickDate('税款所属期起', periodFrom);
      await citizen.pickDate('税款所属期止', periodTo);
      await citizen.pickOption('税种', '增值税');
      await next(citizen, 'materials');
      await supply(citizen, 'business-licence', '同意调取电子证照');
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'tax-payment-certificate',
      applicantId: CARDS.zhang.idNumber,
      status: 'approved',
      answers: { 'taxpayer-kind': 'enterprise' },
      form: { enterpriseName: '泰山食品有限公司', creditCode: CREDIT_CODE, periodFrom, periodTo },
      receipt: ['开具税收完税证明', '张*华', '已办结'],
    },
  },
  {
    service: 'childbearing-registration',
    title: '秒批 in landscape 长辈模式: the spouse written by hand, an ID with X, a due date, a 情形 field by pinyin',
    orientation: 'landscape',
    modes: { elder: true },
    async run(citizen) {
      await browseTo(citizen, '个人服务', '婚育', '生育登记');
      await startWithCard(citizen, CARDS.li.button);
      await citizen.waitForScreen('situation');
      await answer(citizen, 'child-order', '第二个');
      await next(citizen, 'form');
      await citizen.writeByHand('配偶姓名', '王志强');
      await citizen.typeId('配偶身份证号码', FATHER_ID_X);
      await citizen.pickOption('现居住区县', '泰山区');
      await citizen.pickDate('预产期', dueDate);
      await citizen.typeWithPinyin('现有子女姓名', '王小明');
      await next(citizen, 'materials');
      await supply(citizen, 'marriage-certificate', '同意调取电子证照');
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'childbearing-registration',
      applicantId: CARDS.li.idNumber,
      status: 'approved',
      answers: { 'child-order': '2' },
      form: { spouseName: '王志强', spouseIdNumber: FATHER_ID_X, division: '370902', expectedDate: dueDate, existingChildren: '王小明' },
      receipt: ['生育登记', '李*英', '已办结'],
    },
  },
  {
    service: 'food-business-licence',
    title: 'enterprise review item in landscape 低位操作: two 情形 that add a field, 告知承诺 signed, an area with a decimal point',
    orientation: 'landscape',
    modes: { lower: true },
    async run(citizen) {
      await browseTo(citizen, '企业服务', '企业准营', '食品经营许可证核发');
      await startWithCard(citizen, CARDS.zhang.button);
      await citizen.waitForScreen('situation');
      await answer(citizen, 'business-kind', '餐饮服务');
      await answer(citizen, 'cold-food', '是');
      await next(citizen, 'form');
      await citizen.typeWithPinyin('经营者名称', '岱宗小厨餐饮店');
      await citizen.typeAlnum('统一社会信用代码', CREDIT_CODE);
      await citizen.pickOption('经营场所所在区县', '泰山区');
      await citizen.typeWithPinyin('经营场所', '泰山区东岳大街');
      await citizen.typeDigits('经营场所面积（平方米）', '85.5');
      await citizen.typeWithPinyin('食品安全管理人员姓名', '刘芳');
      await citizen.pickOption('已设置专间并配备空气消毒设施', '是');
      await next(citizen, 'materials');
      await supply(citizen, 'business-licence', '同意调取电子证照');
      await supply(citizen, 'layout-plan', '告知承诺（签字代替材料）');
      await supply(citizen, 'food-safety-system', '告知承诺（签字代替材料）');
      await citizen.sign(CARDS.zhang.name);
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'food-business-licence',
      applicantId: CARDS.zhang.idNumber,
      status: 'accepted',
      answers: { 'business-kind': 'catering', 'cold-food': 'yes' },
      form: { enterpriseName: '岱宗小厨餐饮店', creditCode: CREDIT_CODE, division: '370902', address: '泰山区东岳大街', area: '85.5', foodSafetyOfficer: '刘芳', coldRoom: true },
      materials: { 'food-safety-system': 'commitment', 'layout-plan': 'commitment', 'business-licence': 'e-licence' },
      signed: true,
      receipt: ['食品经营许可证核发', '张*华', '告知承诺'],
    },
  },
  {
    service: 'out-of-town-medical-filing',
    title: '秒批 in landscape 高对比度: two 情形, a place by pinyin and a start date',
    orientation: 'landscape',
    modes: { contrast: true },
    async run(citizen) {
      await browseTo(citizen, '个人服务', '就医', '医保异地就医备案');
      await startWithCard(citizen, CARDS.zhang.button);
      await citizen.waitForScreen('situation');
      await answer(citizen, 'filing-kind', '临时外出就医');
      await answer(citizen, 'cross-province', '省外');
      await next(citizen, 'form');
      await citizen.typeWithPinyin('就医地（省、市）', '北京市');
      await citizen.pickDate('备案开始日期', filingStart);
      await next(citizen, 'materials');
      await supply(citizen, 'social-security-card', '同意调取电子证照');
      await next(citizen, 'review');
      return submit(citizen);
    },
    expected: {
      serviceId: 'out-of-town-medical-filing',
      applicantId: CARDS.zhang.idNumber,
      status: 'approved',
      answers: { 'filing-kind': 'temporary', 'cross-province': 'yes' },
      form: { destination: '北京市', startDate: filingStart },
      receipt: ['医保异地就医备案', '张*华', '已办结'],
    },
  },
];

/** The 不满意 reason chosen by option button, and the words added to it by pinyin. */
export const DISSATISFIED_REASON = '等候或办理时间太长';
export const DISSATISFIED_DETAIL = '等候时间太长';

/**
 * 不满意 with its reason and a contact: the reason chosen by option button plus a few words by pinyin,
 * the contact prefilled from the application's phone (the profile's), replaced by a number typed on the
 * digit pad. Starts on the result screen; ends on the thanks screen.
 */
export async function rateDissatisfied(citizen: Citizen, contact: string): Promise<{ prefilledContact: string }> {
  await citizen.tap({ name: '评价本次服务' });
  await citizen.waitForScreen('rating');
  await citizen.tap({ name: '不满意' });
  await citizen.pickOption('不满意的原因', DISSATISFIED_REASON);
  await citizen.typeWithPinyin('补充说明', DISSATISFIED_DETAIL);
  const prefilledContact = await citizen.fieldValue('联系电话（用于回访）');
  await citizen.typeDigits('联系电话（用于回访）', contact);
  await citizen.tap({ name: '提交评价' });
  await citizen.waitForScreen('thanks');
  return { prefilledContact };
}

/** 办件查询 from the home screen by a number typed on the letters-and-digits pad; returns the status shown. */
export async function queryByNumber(citizen: Citizen, number: string): Promise<{ status: string; caseNumber: string }> {
  await citizen.waitForScreen('home');
  await citizen.tapText('办件查询');
  await citizen.waitForScreen('progress');
  await citizen.typeAlnum('受理编号或本机编号（在回执上）', number);
  // 完成 may already have looked it up; otherwise 查询 does.
  await citizen.page.waitForTimeout(500);
  if (!(await citizen.sees({ test: 'progress-result' }))) await citizen.tap({ name: '查询' });
  await citizen.find({ test: 'progress-result' }, { timeoutMs: 15_000 });
  return { status: await citizen.read({ test: 'progress-status' }), caseNumber: await citizen.read({ test: 'progress-case-number' }) };
}
