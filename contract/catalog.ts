import { z } from 'zod';
import { ProofOffer } from './proof-kiosk.js';
import { CardType } from './domain.js';
import { IdentityAssurance } from './identity-assurance.js';
import { AuthorisationKind } from './agency.js';

/**
 * The 双全双百 catalog as data. One file per service in `catalog/services/`, validated by
 * `npm run catalog:check`. Adding a service is adding a file: no code.
 */

export const LifeCycle = z.enum(['enterprise', 'individual']);
export type LifeCycle = z.infer<typeof LifeCycle>;

/** A condition on situation answers or form values; every listed clause must hold. */
export const Condition = z.union([
  z.object({ question: z.string(), equals: z.string() }).strict(),
  z.object({ question: z.string(), in: z.array(z.string()).min(1) }).strict(),
  z.object({ field: z.string(), equals: z.union([z.string(), z.boolean()]) }).strict(),
  z.object({ field: z.string(), filled: z.boolean() }).strict(),
]);
export type Condition = z.infer<typeof Condition>;

/** All conditions must hold (AND). Absent means always. */
export const When = z.array(Condition).min(1).optional();

export const Department = z.object({
  name: z.string().min(2),
  /** Organisation code or internal department code. */
  code: z.string().optional(),
});

/** One single item (单项事项) that the 一件事 bundles. */
export const BundledItem = z.object({
  name: z.string().min(2),
  department: z.string().min(2),
  /** Only bundled in these situations. */
  when: When,
});

export const MaterialSource = z.enum([
  'e-licence', // 电子证照: fetched with consent, 免提交
  'shared-data', // 数据共享: checked centrally, 免提交
  'commitment', // 告知承诺: signed instead of supplied
  'photo', // photographed by the document camera
  'paper', // paper at the window
]);
export type MaterialSource = z.infer<typeof MaterialSource>;

export const Material = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(2),
  /** How it is normally supplied; `commitment` items may still be supplied by e-licence when one exists. */
  source: MaterialSource,
  /** e-licence type code in central's library (for `e-licence`). */
  licenceType: z.string().optional(),
  /** Whether 告知承诺 may replace it. */
  commitmentAllowed: z.boolean().default(false),
  copies: z.string().optional(),
  note: z.string().optional(),
  when: When,
});
export type Material = z.infer<typeof Material>;

export const SituationQuestion = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  text: z.string().min(2),
  options: z.array(z.object({ value: z.string(), label: z.string() })).min(2),
  /** Asked only when earlier answers match. */
  when: When,
});
export type SituationQuestion = z.infer<typeof SituationQuestion>;

export const FieldType = z.enum([
  'text',
  'id-number', // GB 11643
  'credit-code', // GB 32100
  'mobile',
  'date',
  'amount',
  'division', // Taian GB/T 2260 division code
  'address',
  'select',
  'checkbox',
  'count', // a whole number of people or things (人数): digits, no leading zero
  'digits', // a number kept as written, leading zeros included (银行账号)
  'code', // letters and digits as printed on a certificate (出生医学证明编号, 通行证号码): A–Z, 0–9 and -
  'multi-select', // several of the catalog's options (经营范围规范表述目录)
]);
export type FieldType = z.infer<typeof FieldType>;

/**
 * One end of a date field's range, counted from the day the application is made (Beijing date):
 * `today`, a signed offset (`{ "years": -1 }` = one year ago, `{ "days": 90 }` = ninety days ahead), or
 * another date field of the same form (`{ "field": "periodFrom" }`, which must come earlier in the form).
 */
export const DateBound = z.union([
  z.literal('today'),
  z.object({ years: z.number().int().min(-150).max(50) }).strict(),
  z.object({ months: z.number().int().min(-600).max(600) }).strict(),
  z.object({ days: z.number().int().min(-20000).max(20000) }).strict(),
  z.object({ field: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/) }).strict(),
]);
export type DateBound = z.infer<typeof DateBound>;

/** Where a field's initial value comes from. */
export const PrefillSource = z.enum([
  'card.name',
  'card.idNumber',
  'card.sex',
  'card.birthDate',
  'card.address',
  'card.nation',
  /** 户籍 district or county in Taian from the card's address, else its number (contract/flow.ts `cardDivision`). */
  'card.division',
  'profile.mobile', // central population/enterprise profile
  'profile.address',
  'profile.enterpriseName',
  'profile.creditCode',
]);
export type PrefillSource = z.infer<typeof PrefillSource>;

export const FormField = z.object({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  label: z.string().min(1),
  type: FieldType,
  required: z.boolean().default(true),
  prefill: PrefillSource.optional(),
  /** For `select` and `multi-select`. */
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  /** For `text`/`address`/`count`/`digits`/`code`: maximum length in characters. */
  maxLength: z.number().int().positive().optional(),
  /**
   * For `date`: the earliest and latest day the field accepts (both ends included). The date picker
   * offers only these days and the flow engine refuses others, so the two cannot disagree. Without a
   * bound the picker offers 120 years back and 10 years ahead.
   */
  dateRange: z.object({ min: DateBound.optional(), max: DateBound.optional() }).strict().optional(),
  hint: z.string().optional(),
  when: When,
});
export type FormField = z.infer<typeof FormField>;

// Checks on the applicant that both 秒批 rules and eligibility rules use: one definition each.
const MinAgeCheck = z.object({ kind: z.literal('min-age'), years: z.number().int().positive() });
const MaxAgeCheck = z.object({ kind: z.literal('max-age'), years: z.number().int().positive() });
/** 户籍 in a GB/T 2260 division (its code starts with `prefix`). */
const ResidenceDivisionCheck = z.object({ kind: z.literal('residence-division'), prefix: z.string().regex(/^\d{2,6}$/) });
const CardValidCheck = z.object({ kind: z.literal('card-valid') });

/** Automatic-approval rule for 秒批: every check must pass, else the case goes to manual review. */
export const AutoApprovalCheck = z.union([
  MinAgeCheck,
  MaxAgeCheck,
  ResidenceDivisionCheck,
  CardValidCheck,
  z.object({ kind: z.literal('no-open-case') }),
  z.object({ kind: z.literal('answer'), question: z.string(), equals: z.string() }),
]);
export type AutoApprovalCheck = z.infer<typeof AutoApprovalCheck>;

/** What every eligibility rule carries besides its check. */
const EligibilityCommon = {
  /** Applies only when these situation answers were given (form fields are not known yet). */
  when: When,
  /** Plain Chinese: what the citizen can do instead (代办 at a window, another service, another office). */
  instead: z.string().min(4),
  /** Service ids offered instead, as buttons (e.g. 老年人优待证 for someone not yet 80). */
  alternatives: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).default([]),
};

/**
 * A rule of the published eligibility (申请条件) that the card and the situation answers decide before the
 * form: age at today's Beijing date, 户籍 division, card type, a valid card. The flow engine checks it right
 * after identity and after each answer it depends on (contract/flow.ts `eligibilityProblems`), so nobody
 * fills a whole form only to read 申请人未满60周岁 at the end; the host refuses a submission that fails
 * one, and central lists the failures as review reasons. Kinds reuse the 秒批 checks where they fit.
 */
export const EligibilityRule = z.discriminatedUnion('kind', [
  MinAgeCheck.extend(EligibilityCommon),
  MaxAgeCheck.extend(EligibilityCommon),
  ResidenceDivisionCheck.extend(EligibilityCommon),
  CardValidCheck.extend(EligibilityCommon),
  /** Only holders of these cards may apply (e.g. 内地居民: 居民身份证 only). */
  z.object({ kind: z.literal('card-type'), cardTypes: z.array(CardType).min(1), ...EligibilityCommon }),
]);
export type EligibilityRule = z.infer<typeof EligibilityRule>;

export const SelfServiceFlow = z.object({
  situations: z.array(SituationQuestion),
  form: z.array(FormField).min(1),
  /** 秒批: checks applied by central; absent means manual review. */
  autoApproval: z.object({ checks: z.array(AutoApprovalCheck).min(1), resultTitle: z.string() }).optional(),
  /** Text of the 告知承诺书 the applicant signs when any material is committed. */
  commitmentText: z.string().optional(),
  /** Rules of `eligibility` that the card and the answers decide, checked before the form. */
  eligibilityRules: z.array(EligibilityRule).default([]),
});
export type SelfServiceFlow = z.infer<typeof SelfServiceFlow>;

export const Service = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Item code as published in the provincial catalogue (or a stable internal code). */
  code: z.string().min(4),
  name: z.string().min(2),
  lifeCycle: LifeCycle,
  /** Leaf stage id from the taxonomy (see catalog/taxonomy.ts). */
  stage: z.string(),
  /** Everyday words and synonyms that should find it ("生孩子", "开公司"). */
  keywords: z.array(z.string()).default([]),
  summary: z.string().min(4),
  leadDepartment: Department,
  items: z.array(BundledItem).min(1),
  eligibility: z.string().min(4),
  /** Where it can be done: here on the kiosk, at a window, or only online. */
  channel: z.enum(['self-service', 'window', 'online-only']),
  approval: z.enum(['instant', 'review']),
  materials: z.array(Material),
  fees: z.string().min(1),
  legalLimitDays: z.number().int().nonnegative(),
  promisedLimitDays: z.number().int().nonnegative(),
  delivery: z.array(z.enum(['窗口领取', '邮寄送达', '电子证照', '自助打印', '短信通知', '屏幕显示'])).min(1),
  legalBasis: z.array(z.string().min(4)).min(1),
  /** Division codes where it is offered; the whole city by default. */
  divisions: z.array(z.string().regex(/^\d{6}$/)).default(['370900']),
  flow: SelfServiceFlow.optional(),
  /**
   * 人证核验 before the application (issue 14, contract/identity-assurance.ts): `card` (the default) trusts
   * the card; the others ask the person at the screen to confirm they are its holder first.
   */
  identityAssurance: IdentityAssurance.default('card'),
  /** Plain Chinese, shown on 请确认是本人办理: why this item asks for the check. Required unless `card`. */
  identityReason: z.string().min(8).optional(),
  /**
   * `application` (default): a case is submitted. `proof`: a 查询打印 entry (issue 15): no case, the citizen
   * picks one of `proofs`, central issues it sealed, the kiosk prints it. `query`: a personal query on the
   * kiosk (办件查询 by ID card, issue 14): no case, no flow; its `identityAssurance` gates the query.
   */
  kind: z.enum(['application', 'proof', 'query']).default('application'),
  /** The proofs a `proof` service offers (central's proof kinds), in the order the screen lists them. */
  proofs: z.array(ProofOffer).optional(),
  /**
   * The result is a paper document (a licence, a certificate): the application asks how it should reach
   * the citizen (窗口领取 / 邮寄 / 电子证照 only), and the choice goes to central with the case.
   */
  paperResult: z.boolean().default(false),
  /**
   * 代办 (issue 12, contract/agency.ts): someone else may apply on the citizen's behalf with an authorisation.
   * Exactly one of `agentAllowed` and `inPersonOnly` is true on every service (catalog:check).
   */
  agentAllowed: z.boolean().default(false),
  /** 本人办理 only: the kiosk refuses 代办 with `inPersonReason`, and so do the host and central. */
  inPersonOnly: z.boolean().default(false),
  /** Plain Chinese, shown when 代办 is refused: why the citizen must come in person and what to do. Required with `inPersonOnly`. */
  inPersonReason: z.string().min(8).optional(),
  /** The authorisations 代办 accepts for this service (委托书 photographed, or a signed 告知承诺), in the order offered. */
  agentAuthorisation: z.array(AuthorisationKind).default([]),
});
export type Service = z.infer<typeof Service>;
export type ServiceInput = z.input<typeof Service>;

export const Stage = z.object({
  id: z.string(),
  name: z.string(),
  lifeCycle: LifeCycle,
  /** Parent stage for leaves under a group (企业准营 → 生产许可办理). */
  parent: z.string().optional(),
});
export type Stage = z.infer<typeof Stage>;

export const Catalog = z.object({
  version: z.string(),
  stages: z.array(Stage),
  services: z.array(Service),
  /** Everyday word → words it should also match. */
  synonyms: z.record(z.string(), z.array(z.string())),
});
export type Catalog = z.infer<typeof Catalog>;

/** What the home and browse screens need: no guides, no flows. */
export const ServiceSummary = Service.pick({
  id: true,
  name: true,
  lifeCycle: true,
  stage: true,
  summary: true,
  channel: true,
  approval: true,
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;
