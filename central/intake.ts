import type { Service } from '../contract/catalog.js';
import type { Applicant } from '../contract/central/api.js';
import type { ApplicationDraft, FieldValue } from '../contract/domain.js';
import { normaliseFieldValue } from '../contract/flow.js';
import { parseIdNumber, normaliseIdNumber } from '../contract/validators/gb11643.js';
import { hasControlCharacters, isPlausibleBirthDate, isPlausibleName, normaliseText } from '../contract/validators/text.js';

/**
 * What central takes in with a submission, normalised once and checked for sense before anything is
 * filed or digested (issue 10, kinds 4 and 5), with the kiosk's own rules (contract/flow.ts,
 * contract/validators/), so what the kiosk validated is what central stores.
 */

/** Card types whose number is a GB 11643 number (check character, birth date inside). */
const GB11643_CARDS = new Set<Applicant['cardType']>(['resident', 'hk-mo-tw-residence']);

/**
 * The applicant of a submission as central files it (issue 10, kinds 4 and 5): normalised once, the way
 * the kiosk does (contract/validators: the ID number's full-width forms folded and check character upper
 * case, so `11010519491231002x` is filed as `…002X`; the name trimmed), then checked for sense: the name
 * is a name (a letter, no control or format characters), the birth date has happened and is not before
 * 1900, a GB 11643 number (居民身份证, 港澳台居民居住证) is valid on `today` and carries the same birth
 * date, and a validity ends after the birth. A checksum alone says only that digits were copied right
 * (110105209912310010, born 2099-12-31, has a valid one).
 *
 * `today` is the Beijing calendar day (YYYY-MM-DD). Returns the normalised applicant, or the problem in
 * plain Chinese (the kiosk puts such an application on its staff list; staff read the message).
 */
export function checkApplicant(applicant: Applicant, today: string): { ok: true; value: Applicant } | { ok: false; message: string } {
  const idNumber = normaliseIdNumber(applicant.idNumber);
  const name = normaliseText(applicant.name);
  if (!isPlausibleName(name)) return { ok: false, message: '申请人姓名为空或含有无法识别的字符，请核对证件后重新提交' };
  if (!isPlausibleBirthDate(applicant.birthDate, today)) return { ok: false, message: '申请人出生日期不合理（晚于今天或早于1900年），请核对证件' };
  if (GB11643_CARDS.has(applicant.cardType)) {
    const parsed = parseIdNumber(idNumber, today);
    if (!parsed.ok) return { ok: false, message: '申请人证件号码无效，请核对证件' };
    if (parsed.value.birthDate !== applicant.birthDate) return { ok: false, message: '申请人出生日期与证件号码不一致，请核对证件' };
  }
  if (applicant.validTo !== null && applicant.validTo <= applicant.birthDate) return { ok: false, message: '申请人证件有效期不合理，请核对证件' };
  return { ok: true, value: { ...applicant, idNumber, name } };
}

/**
 * The draft as central files it (issue 10, kind 4): each value of a field the service's form knows is put
 * in its one form (normaliseFieldValue: an ID number's `x` upper case, full-width digits folded, text
 * trimmed), as the kiosk's checkDraft already did, so a value the kiosk sent un-normalised (an older
 * kiosk) is stored as it was validated. Values of fields this catalog does not know are kept as sent (the
 * kiosk's catalog may be newer). A control or format character in any form text (kind 5: it prints and
 * displays as something other than what is stored) refuses the draft, with the field's label.
 *
 * Whole-draft validation (checkDraft) stays on the kiosk, against the catalog the citizen saw: central's
 * catalog may be a version apart, and refusing on a difference would send valid applications to staff.
 */
export function normaliseDraft(service: Service, draft: ApplicationDraft): { ok: true; value: ApplicationDraft } | { ok: false; message: string } {
  const fields = new Map((service.flow?.form ?? []).map((field) => [field.id, field]));
  const form: Record<string, FieldValue> = {};
  for (const [id, value] of Object.entries(draft.form)) {
    const field = fields.get(id);
    const normalised = field ? (normaliseFieldValue(field, value) ?? value) : value;
    const texts = typeof normalised === 'string' ? [normalised] : Array.isArray(normalised) ? normalised : [];
    if (texts.some(hasControlCharacters)) return { ok: false, message: `“${field?.label ?? id}”中有无法识别的字符，请核对后重新提交` };
    form[id] = normalised;
  }
  return { ok: true, value: { ...draft, form } };
}
