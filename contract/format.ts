import type { FormField, Service } from './catalog.js';
import type { FieldValue } from './domain.js';
import { isoDateParts } from './date-range.js';
import { TAIAN_DIVISIONS, isTaianDivision } from './validators/common.js';

/**
 * Values as a person reads them: 男 not `male`, 泰山区 not `370902`, 2026年12月1日 not `2026-12-01`,
 * 是/否 not `true`. The confirm page, the printed receipt and result, and the staff screens all format
 * through here, so no screen or paper shows a code, an English word or a raw enum value (issue 9).
 */

/** `2026-12-01` → `2026年12月1日`, as official documents write dates; anything else is returned as it is. */
export function formatIsoDate(iso: string): string {
  const parts = isoDateParts(iso);
  return parts ? `${parts.year}年${parts.month}月${parts.day}日` : iso;
}

/** What is shown for a field the citizen left empty (选填). */
export const EMPTY_VALUE_TEXT = '未填写';

/** The label of one option of a `select`/`multi-select` field; null when the value is not an option. */
function optionLabel(field: FormField, value: string): string | null {
  return field.options?.find((option) => option.value === value)?.label ?? null;
}

/**
 * One form value in plain Chinese, by the field's type: the option's label for choices (several joined
 * with 、), the district's name for a division code, 年月日 for dates, 是/否 for yes/no, the text as typed
 * for the rest. A value that is not one of the field's options is shown as 无效的选项, never as the code.
 */
export function formatFieldValue(field: FormField, value: FieldValue | undefined): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return EMPTY_VALUE_TEXT;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map((item) => optionLabel(field, item) ?? '无效的选项').join('、');
  const text = String(value);
  switch (field.type) {
    case 'select':
    case 'multi-select':
      return optionLabel(field, text) ?? '无效的选项';
    case 'division':
      return isTaianDivision(text) ? TAIAN_DIVISIONS[text] : '无效的区县';
    case 'date':
      return formatIsoDate(text);
    default:
      return text;
  }
}

/** The field types whose values are codes or choices, and so must be put in words on paper. */
const CHOICE_TYPES: ReadonlySet<FormField['type']> = new Set(['select', 'multi-select', 'division', 'checkbox']);

/**
 * The citizen's choices on the form, in words, for printed documents (受理回执, 秒批 result): 新生儿性别 女,
 * 落户区县 岱岳区, 证书等级 中级工（四级）. Only choice fields: they carry no personal identifiers, so a
 * receipt left in the tray gives nothing away. `form` is a checked draft's form (visible fields only).
 */
export function formatChoices(service: Service, form: Readonly<Record<string, FieldValue>>): { label: string; value: string }[] {
  return (service.flow?.form ?? [])
    .filter((field) => CHOICE_TYPES.has(field.type) && form[field.id] !== undefined)
    .map((field) => ({ label: field.label, value: formatFieldValue(field, form[field.id]) }));
}
