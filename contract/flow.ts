import type { Condition, FormField, Material, PrefillSource, Service } from './catalog.js';
import type { ApplicationDraft, FieldValue, IdentityCard } from './domain.js';
import { dateRangeOf, type DateContext } from './date-range.js';
import { formatIsoDate } from './format.js';
import { missingCase } from './result.js';
import { isValidAmount, isTaianCounty, isValidIsoDate, isValidMobile } from './validators/common.js';
import { isValidIdNumber, normaliseIdNumber } from './validators/gb11643.js';
import { isValidCreditCode } from './validators/gb32100.js';
import { hasControlCharacters, normaliseCode, normaliseMobile, normaliseText } from './validators/text.js';

/**
 * The flow engine: situation answers → applicable items → required materials → visible fields →
 * submission payload. Pure, and shared on purpose: the renderer runs it to drive the screens at once,
 * the host runs it again on submit, and central runs it a third time, so no layer trusts another's
 * arithmetic and a catalog change cannot make them disagree.
 */

export interface FlowState {
  answers: Readonly<Record<string, string>>;
  form: Readonly<Record<string, FieldValue>>;
}

function conditionHolds(condition: Condition, state: FlowState): boolean {
  if ('question' in condition) {
    const answer = state.answers[condition.question];
    if (answer === undefined) return false;
    return 'equals' in condition ? answer === condition.equals : condition.in.includes(answer);
  }
  const value = state.form[condition.field];
  if ('filled' in condition) return (value !== undefined && value !== '' && value !== false && !(Array.isArray(value) && value.length === 0)) === condition.filled;
  return value === condition.equals;
}

export function holds(when: readonly Condition[] | undefined, state: FlowState): boolean {
  return when === undefined || when.every((condition) => conditionHolds(condition, state));
}

/**
 * Questions to ask, in order, given the answers so far. Visibility is settled in one pass, in order,
 * against the answers of questions already found visible: a stale answer to a question that an earlier
 * answer has since hidden must not keep its dependants on screen (the catalog check guarantees a
 * question only depends on questions before it).
 */
export function visibleQuestions(service: Service, answers: Readonly<Record<string, string>>) {
  const settled: Record<string, string> = {};
  const visible = [];
  for (const question of service.flow?.situations ?? []) {
    if (!holds(question.when, { answers: settled, form: {} })) continue;
    visible.push(question);
    const answer = answers[question.id];
    if (answer !== undefined) settled[question.id] = answer;
  }
  return visible;
}

/** The first question still unanswered, or null when the situation is settled. */
export function nextQuestion(service: Service, answers: Readonly<Record<string, string>>) {
  return visibleQuestions(service, answers).find((question) => answers[question.id] === undefined) ?? null;
}

/**
 * Only what the citizen can see counts: answers to visible questions and values of visible fields.
 * Going back and changing an answer leaves the old values of now-hidden questions and fields in the
 * draft; they must not decide items, materials or further fields.
 */
export function settledState(service: Service, state: FlowState): FlowState {
  const answers: Record<string, string> = {};
  for (const question of visibleQuestions(service, state.answers)) {
    const answer = state.answers[question.id];
    if (answer !== undefined) answers[question.id] = answer;
  }
  const form: Record<string, FieldValue> = {};
  for (const field of service.flow?.form ?? []) {
    if (!holds(field.when, { answers, form })) continue;
    const value = state.form[field.id];
    if (value !== undefined) form[field.id] = value;
  }
  return { answers, form };
}

export function applicableItems(service: Service, state: FlowState) {
  const settled = settledState(service, state);
  return service.items.filter((item) => holds(item.when, settled));
}

export function requiredMaterials(service: Service, state: FlowState): Material[] {
  const settled = settledState(service, state);
  return service.materials.filter((material) => holds(material.when, settled));
}

/** Fields to show, in order; a field depends only on answers and on fields before it that are shown. */
export function visibleFields(service: Service, state: FlowState): FormField[] {
  const { answers } = settledState(service, state);
  const form: Record<string, FieldValue> = {};
  const visible: FormField[] = [];
  for (const field of service.flow?.form ?? []) {
    if (!holds(field.when, { answers, form })) continue;
    visible.push(field);
    const value = state.form[field.id];
    if (value !== undefined) form[field.id] = value;
  }
  return visible;
}

/** Profile data central shares for prefill (人口库/法人库). */
export interface CentralProfile {
  mobile?: string;
  address?: string;
  enterpriseName?: string;
  creditCode?: string;
}

const SEX_LABELS: Record<IdentityCard['sex'], string> = { male: '男', female: '女', unknown: '未知', unspecified: '未说明' };

export function prefillValue(source: PrefillSource, card: IdentityCard | null, profile: CentralProfile): string | undefined {
  switch (source) {
    case 'card.name':
      return card?.name;
    case 'card.idNumber':
      return card?.idNumber;
    case 'card.sex':
      return card ? SEX_LABELS[card.sex] : undefined;
    case 'card.birthDate':
      return card?.birthDate;
    case 'card.address':
      return card?.address;
    case 'card.nation':
      return card?.nation;
    case 'profile.mobile':
      return profile.mobile;
    case 'profile.address':
      return profile.address;
    case 'profile.enterpriseName':
      return profile.enterpriseName;
    case 'profile.creditCode':
      return profile.creditCode;
    default:
      throw missingCase(source);
  }
}

/** Initial form values from the card and the central profile; fields without a source stay empty. */
export function prefillForm(service: Service, card: IdentityCard | null, profile: CentralProfile): Record<string, FieldValue> {
  const form: Record<string, FieldValue> = {};
  for (const field of service.flow?.form ?? []) {
    if (!field.prefill) continue;
    const value = prefillValue(field.prefill, card, profile);
    if (value !== undefined && value !== '') form[field.id] = value;
  }
  return form;
}

/** The characters a `code` field accepts once normalised: upper-case letters, digits and the hyphen. */
export const CODE_PATTERN = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;

function isEmpty(field: FormField, value: FieldValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (field.type === 'checkbox' && value === false);
}

/**
 * The one form of a field's value (issue 10, kind 4): what is validated is what is stored and sent, so
 * every layer (renderer, host, central) normalises with this before it checks. Codes lose full-width
 * forms and inner spaces and are upper case (`11010519491231002x` → `11010519491231002X`); numbers, dates
 * and certificate codes lose full-width forms; text loses surrounding spaces; checkboxes and option lists pass as they
 * are. Idempotent.
 */
export function normaliseFieldValue(field: FormField, value: FieldValue | undefined): FieldValue | undefined {
  if (typeof value !== 'string') return value;
  switch (field.type) {
    case 'id-number':
      return normaliseIdNumber(value);
    case 'credit-code':
      return normaliseCode(value);
    case 'mobile':
      return normaliseMobile(value);
    case 'date':
    case 'amount':
    case 'division':
    case 'count':
    case 'digits':
    case 'code':
      // Full-width forms folded; a code's letters keep their case (its pattern asks for capitals as printed).
      return value.normalize('NFKC').trim();
    case 'text':
    case 'address':
    case 'select':
    case 'checkbox':
    case 'multi-select':
      return normaliseText(value);
    default:
      throw missingCase(field.type);
  }
}

/** Every value of the service's form fields in its one form; values of unknown fields are left out. */
export function normaliseForm(service: Service, form: Readonly<Record<string, FieldValue>>): Record<string, FieldValue> {
  const normalised: Record<string, FieldValue> = {};
  for (const field of service.flow?.form ?? []) {
    const value = normaliseFieldValue(field, form[field.id]);
    if (value !== undefined) normalised[field.id] = value;
  }
  return normalised;
}

/**
 * Plain-Chinese problem with one field's value, or null when it is acceptable. The value is normalised
 * first (normaliseFieldValue), so a value that passes here is accepted exactly as normalised. `context`
 * says which day the application is made (date ranges, and birth dates inside ID numbers, count from it;
 * default today in Beijing) and what the rest of the form holds (a range may end at another date field).
 * A reprint days later passes the day of the original application, so "from today" still means that day.
 */
export function fieldProblem(field: FormField, raw: FieldValue | undefined, context: DateContext = {}): string | null {
  const value = normaliseFieldValue(field, raw);
  if (isEmpty(field, value)) return field.required ? `请填写“${field.label}”` : null;
  if (field.type === 'checkbox') return typeof value === 'boolean' ? null : `“${field.label}”请选择是或否`;
  if (field.type === 'multi-select') {
    if (!Array.isArray(value)) return `请为“${field.label}”选择至少一项`;
    if (new Set(value).size !== value.length) return `“${field.label}”有重复的选项，请重新选择`;
    return value.every((item) => field.options?.some((option) => option.value === item)) ? null : `请为“${field.label}”重新选择`;
  }
  if (typeof value !== 'string') return `“${field.label}”格式不正确，请重新填写`;
  const text = value;
  const tooLong = field.maxLength !== undefined && text.length > field.maxLength;
  switch (field.type) {
    case 'text':
    case 'address':
      // Control and bidi-override characters print and display as something other than what is stored.
      if (hasControlCharacters(text)) return `“${field.label}”中有无法识别的字符，请删除后重新填写`;
      return tooLong ? `“${field.label}”最多${field.maxLength}个字` : null;
    case 'count':
      if (!/^(0|[1-9]\d*)$/.test(text)) return `“${field.label}”请输入整数`;
      return tooLong ? `“${field.label}”最多${field.maxLength}位数字` : null;
    case 'digits':
      if (!/^\d+$/.test(text)) return `“${field.label}”只能是数字`;
      return tooLong ? `“${field.label}”最多${field.maxLength}位数字` : null;
    case 'code':
      if (!CODE_PATTERN.test(text)) return `“${field.label}”只能是字母和数字，请按证件上的编号输入`;
      return tooLong ? `“${field.label}”最多${field.maxLength}位` : null;
    case 'id-number':
      return isValidIdNumber(text, context.today) ? null : `“${field.label}”不是有效的身份证号码，请核对后重新输入`;
    case 'credit-code':
      return isValidCreditCode(text) ? null : `“${field.label}”不是有效的统一社会信用代码，请核对营业执照`;
    case 'mobile':
      return isValidMobile(text) ? null : `“${field.label}”应为11位手机号码`;
    case 'date':
      return isValidIsoDate(text) ? dateRangeProblem(field, text, context) : `“${field.label}”请选择有效日期`;
    case 'amount':
      return isValidAmount(text) ? null : `“${field.label}”请输入金额，最多两位小数`;
    case 'division':
      return isTaianCounty(text) ? null : `“${field.label}”请选择泰安市的区县`;
    case 'select':
      return field.options?.some((option) => option.value === text) ? null : `请为“${field.label}”选择一项`;
    default:
      throw missingCase(field.type);
  }
}

/** A valid date outside the field's range, said the way the picker shows it. */
function dateRangeProblem(field: FormField, iso: string, context: DateContext): string | null {
  const { min, max } = dateRangeOf(field, context);
  if (iso < min) return `“${field.label}”不能早于${formatIsoDate(min)}，请重新选择`;
  if (iso > max) return `“${field.label}”不能晚于${formatIsoDate(max)}，请重新选择`;
  return null;
}

export interface DraftProblem {
  /** `answer:<id>`, `field:<id>`, `material:<id>`, `signature` or `service`. */
  target: string;
  message: string;
}

export interface CheckedDraft {
  /** Only what this situation needs: hidden fields and unneeded materials are dropped (collect the minimum). */
  draft: ApplicationDraft;
  items: string[];
  materials: Material[];
  needsSignature: boolean;
}

/**
 * Validates a draft against its service; returns the minimal payload or every problem found. `today` is
 * the Beijing day the application is made (default now): date ranges count from it. The payload carries
 * the normalised values (normaliseFieldValue), the ones that were checked.
 */
export function checkDraft(
  service: Service,
  draft: ApplicationDraft,
  today?: string,
): { ok: true; value: CheckedDraft } | { ok: false; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  if (draft.serviceId !== service.id) problems.push({ target: 'service', message: '办理事项不一致，请返回重新选择' });
  if (!service.flow || service.channel !== 'self-service') {
    return { ok: false, problems: [{ target: 'service', message: '该事项不能在自助终端办理，请到窗口办理' }] };
  }

  const answers: Record<string, string> = {};
  for (const question of visibleQuestions(service, draft.answers)) {
    const answer = draft.answers[question.id];
    if (answer === undefined || !question.options.some((option) => option.value === answer)) {
      problems.push({ target: `answer:${question.id}`, message: `请回答：${question.text}` });
    } else {
      answers[question.id] = answer;
    }
  }

  // Normalised once, here: visibility, validation and the payload all see the same values.
  const normalised = normaliseForm(service, draft.form);
  const state: FlowState = { answers, form: normalised };
  const form: Record<string, FieldValue> = {};
  for (const field of visibleFields(service, state)) {
    const value = normalised[field.id];
    const problem = fieldProblem(field, value, { form: normalised, ...(today === undefined ? {} : { today }) });
    if (problem) problems.push({ target: `field:${field.id}`, message: problem });
    else if (value !== undefined && value !== '') form[field.id] = value;
  }

  const materials = requiredMaterials(service, { answers, form });
  const provisions: ApplicationDraft['materials'] = {};
  let needsSignature = false;
  for (const material of materials) {
    const provision = draft.materials[material.id];
    if (!provision) {
      problems.push({ target: `material:${material.id}`, message: `请提供材料：${material.name}` });
      continue;
    }
    if (provision.kind === 'commitment') {
      if (!material.commitmentAllowed && material.source !== 'commitment') {
        problems.push({ target: `material:${material.id}`, message: `“${material.name}”不适用告知承诺，请提供材料` });
        continue;
      }
      needsSignature = true;
    }
    provisions[material.id] = provision;
  }
  if (needsSignature && !draft.signature) problems.push({ target: 'signature', message: '请在告知承诺书上签名' });

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      draft: { serviceId: service.id, answers, form, materials: provisions, ...(needsSignature ? { signature: draft.signature } : {}) },
      items: applicableItems(service, { answers, form }).map((item) => item.name),
      materials,
      needsSignature,
    },
  };
}
