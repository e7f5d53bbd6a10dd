import type { FormField, Material, Service } from '../../../contract/catalog.js';
import type { ApplicationDraft, FieldValue, IdentityCard, MaterialProvision } from '../../../contract/domain.js';
import { dateRangeOf } from '../../../contract/date-range.js';
import { nextQuestion, prefillForm, visibleFields, requiredMaterials, type CentralProfile } from '../../../contract/flow.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { gb32100CheckChar } from '../../../contract/validators/gb32100.js';

/**
 * Walks a service's self-service flow the way the screens do: answer the next question until none is
 * left, prefill the form from the card and the central profile, fill whatever is still empty with a
 * valid value of the field's type, supply each required material, sign when something is committed.
 */

export function idNumber(division = '370902', birth = '19580317', sequence = '124'): string {
  const first17 = `${division}${birth}${sequence}`;
  return first17 + gb11643CheckChar(first17);
}

export function creditCode(first17 = '91370902MA3CAB12L'): string {
  const check = gb32100CheckChar(first17);
  if (check === null) throw new Error(`not a credit-code prefix: ${first17}`);
  return first17 + check;
}

export const CARD: IdentityCard = {
  cardType: 'resident',
  name: '王秀兰',
  sex: 'female',
  nation: '汉',
  birthDate: '1958-03-17',
  address: '山东省泰安市泰山区财源街道东岳大街88号',
  idNumber: idNumber(),
  issuingAuthority: '泰安市公安局泰山分局',
  validFrom: '2018-05-02',
  validTo: null,
  expired: false,
  hasPhoto: true,
};

export const PROFILE: CentralProfile = {
  mobile: '13905385678',
  address: '山东省泰安市岱岳区粥店街道长城路16号',
  enterpriseName: '泰安市岱宗食品有限公司',
  creditCode: creditCode(),
};

export const SIGNATURE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** A valid value for any field, as a citizen would type or pick it. */
export function validValue(field: FormField): FieldValue {
  switch (field.type) {
    case 'text':
      return '泰山'.slice(0, field.maxLength ?? 2);
    case 'address':
      return '泰安市泰山区东岳大街1号'.slice(0, field.maxLength ?? 100);
    case 'id-number':
      return idNumber('370911', '19900615', '246');
    case 'credit-code':
      return creditCode('91370911MA3D7K2P0');
    case 'mobile':
      return '13805381234';
    case 'date':
      // The latest day the field accepts: today for past events, within the range for the rest.
      return dateRangeOf(field).max;
    case 'amount':
      return '1000.50';
    case 'division':
      return '370983';
    case 'select':
      return field.options?.[0]?.value ?? '';
    case 'checkbox':
      return true;
    case 'count':
      return '3';
    case 'digits':
      return '6222021603001234567'.slice(0, field.maxLength ?? 19);
    case 'code':
      return 'R370123456'.slice(0, field.maxLength ?? 10);
    case 'multi-select':
      return (field.options ?? []).slice(0, 2).map((option) => option.value);
  }
}

/** How the kiosk supplies a material: committed where allowed, else by its usual source. */
export function provisionFor(material: Material, preferCommitment = true): MaterialProvision {
  if (material.source === 'commitment' || (preferCommitment && material.commitmentAllowed)) return { kind: 'commitment' };
  switch (material.source) {
    case 'e-licence':
      return { kind: 'e-licence', licenceId: `demo-${material.licenceType ?? material.id}` };
    case 'shared-data':
      return { kind: 'shared-data' };
    case 'photo':
      return { kind: 'photo', mimeType: 'image/jpeg', base64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA==' };
    case 'paper':
      return { kind: 'paper-later' };
  }
}

/** Every complete set of answers reachable by answering the next visible question, depth first. */
export function answerPaths(service: Service, answers: Record<string, string> = {}): Record<string, string>[] {
  const question = nextQuestion(service, answers);
  if (!question) return [answers];
  return question.options.flatMap((option) => answerPaths(service, { ...answers, [question.id]: option.value }));
}

/** A complete draft for one set of answers: prefilled, filled, materials supplied, signed when needed. */
export function completeDraft(service: Service, answers: Record<string, string>, preferCommitment = true): ApplicationDraft {
  const form: Record<string, FieldValue> = prefillForm(service, CARD, PROFILE);
  for (const field of visibleFields(service, { answers, form })) {
    if (form[field.id] === undefined) form[field.id] = validValue(field);
  }
  const materials: ApplicationDraft['materials'] = {};
  for (const material of requiredMaterials(service, { answers, form })) materials[material.id] = provisionFor(material, preferCommitment);
  const committed = Object.values(materials).some((provision) => provision.kind === 'commitment');
  return { serviceId: service.id, answers, form, materials, ...(committed ? { signature: SIGNATURE } : {}) };
}
