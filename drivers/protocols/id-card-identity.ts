/**
 * From raw text fields to a checked IdentityCard (contract/domain.ts). Pure: the clock is passed in.
 * Problems resolve as values with a precise code (logs, technicians) and a plain-Chinese message
 * telling the citizen what to do next (STYLE.md "Errors").
 */
import { chinaDate } from '../../contract/china-time.js';
import type { IdentityCard, Sex } from '../../contract/domain.js';
import { isValidIsoDate } from '../../contract/validators/common.js';
import { normaliseIdNumber, parseIdNumber } from '../../contract/validators/gb11643.js';
import { hasControlCharacters, isPlausibleBirthDate, isPlausibleName, normaliseCode } from '../../contract/validators/text.js';
import { nationName } from './gb-codes.js';
import { decodeTextBlock, missingCase } from './id-card-text.js';
import type { TextFields } from './id-card-text.js';

export type IdentityProblemCode =
  | 'text-block-length'
  | 'unknown-card-type'
  | 'field-invalid'
  | 'id-number-invalid'
  | 'id-number-check-digit'
  | 'birth-date-mismatch'
  | 'sex-mismatch'
  | 'birth-date-invalid'
  | 'validity-order'
  | 'name-invalid';

export type IdentityResult = { ok: true; value: IdentityCard } | { ok: false; code: IdentityProblemCode; message: string };

/** Plain Chinese for the citizen: what happened and what to do next. Never the data itself. */
export const IDENTITY_MESSAGES: Record<IdentityProblemCode, string> = {
  'text-block-length': '证件信息没有读完整，请把证件重新平放在读卡区，办理期间请不要拿开。',
  'unknown-card-type': '暂不支持这种证件，请使用居民身份证、港澳台居民居住证或外国人永久居留身份证，或到服务窗口办理。',
  'field-invalid': '证件信息读取异常，请把证件重新平放在读卡区；如仍不能读取，请到服务窗口办理。',
  'id-number-invalid': '证件号码读取异常，请把证件重新平放在读卡区；如仍不能读取，请到服务窗口办理。',
  'id-number-check-digit': '证件号码校验未通过，这张证件暂时不能在自助机上使用，请到服务窗口由工作人员协助办理。',
  'birth-date-mismatch': '证件上的出生日期与证件号码不一致，请到服务窗口由工作人员协助办理。',
  'sex-mismatch': '证件上的性别与证件号码不一致，请到服务窗口由工作人员协助办理。',
  'birth-date-invalid': '证件上的出生日期无效，这张证件暂时不能在自助机上使用，请到服务窗口由工作人员协助办理。',
  'validity-order': '证件的有效期限读取异常，请把证件重新平放在读卡区；如仍不能读取，请到服务窗口办理。',
  'name-invalid': '证件上的姓名读取异常，请把证件重新平放在读卡区；如仍不能读取，请到服务窗口办理。',
};

const SEX_CODES: Record<string, Sex> = { '0': 'unknown', '1': 'male', '2': 'female', '9': 'unspecified' };

/** 港澳台居民居住证 numbers begin 810000 (HK), 820000 (Macau), 830000 (Taiwan). */
const RESIDENCE_PERMIT_PREFIXES = ['810000', '820000', '830000'];

export interface IdentityOptions {
  now: Date;
  hasPhoto: boolean;
}

export function identityFromTextBlock(block: Uint8Array, options: IdentityOptions): IdentityResult {
  const decoded = decodeTextBlock(block);
  if (!decoded.ok) return problem(decoded.code);
  return identityFromFields(decoded.value, options);
}

export function identityFromFields(raw: TextFields, options: IdentityOptions): IdentityResult {
  const fields = normaliseNumbers(raw);
  const sex = SEX_CODES[fields.sexCode];
  const birthDate = isoDate(fields.birth);
  const validFrom = isoDate(fields.validFrom);
  const validTo = fields.validTo === '长期' ? null : isoDate(fields.validTo);
  if (!sex || !birthDate || !validFrom || validTo === undefined) return problem('field-invalid');
  // The checksum proves the digits were copied right, not that they make sense (issue 10, kind 5).
  const today = chinaDate(options.now);
  if (!isPlausibleBirthDate(birthDate, today)) return problem('birth-date-invalid');
  if (validFrom < birthDate || (validTo !== null && validTo <= validFrom)) return problem('validity-order');
  if (!namesMakeSense(fields)) return problem('name-invalid');
  const expired = validTo !== null && today > validTo;
  const common = { sex, birthDate, validFrom, validTo, expired, hasPhoto: options.hasPhoto };

  switch (fields.cardType) {
    case 'resident': {
      const checked = crossCheck(fields.idNumber, birthDate, sex);
      if (checked) return problem(checked);
      const nation = nationName(fields.nationCode);
      if (!nation) return problem('field-invalid');
      return ok({
        cardType: 'resident', name: fields.name, nation, address: fields.address, idNumber: fields.idNumber,
        issuingAuthority: fields.issuingAuthority, ...common,
      });
    }
    case 'hk-mo-tw-residence': {
      if (!RESIDENCE_PERMIT_PREFIXES.includes(fields.idNumber.slice(0, 6))) return problem('id-number-invalid');
      const checked = crossCheck(fields.idNumber, birthDate, sex);
      if (checked) return problem(checked);
      const issueCount = Number(fields.issueCount);
      if (!/^\d{1,2}$/.test(fields.issueCount)) return problem('field-invalid');
      return ok({
        cardType: 'hk-mo-tw-residence', name: fields.name, address: fields.address, idNumber: fields.idNumber,
        issuingAuthority: fields.issuingAuthority, passNumber: fields.passNumber, issueCount, ...common,
      });
    }
    case 'foreign-permanent-2017': {
      // 15 characters: nationality (3 letters), acceptance place (2), birth YYMMDD (6), sequence and check (4).
      // The check-character algorithm of this number is not public, so only the structure is checked.
      const number = fields.cardNumber;
      if (!/^[A-Z]{3}\d{12}$/.test(number)) return problem('id-number-invalid');
      if (!/^[A-Z]{3}$/.test(fields.nationality) || number.slice(0, 3) !== fields.nationality) return problem('id-number-invalid');
      if (number.slice(5, 11) !== fields.birth.slice(2, 8)) return problem('birth-date-mismatch');
      return ok({
        cardType: 'foreign-permanent-2017', name: fields.chineseName, englishName: fields.englishName, nationality: fields.nationality,
        idNumber: number, ...common,
      });
    }
    case 'foreign-permanent-2023': {
      // The 2023 number follows GB 11643 (leading 9), so birth date, sex and check digit cross-check as for residents.
      if (!fields.idNumber.startsWith('9')) return problem('id-number-invalid');
      const checked = crossCheck(fields.idNumber, birthDate, sex);
      if (checked) return problem(checked);
      if (!/^[A-Z]{3}$/.test(fields.nationality)) return problem('field-invalid');
      return ok({
        cardType: 'foreign-permanent-2023', name: fields.name, englishName: fields.englishName, nationality: fields.nationality,
        idNumber: fields.idNumber, ...common,
      });
    }
    default:
      throw missingCase(fields);
  }
}

/** Numbers in their one form (a reader's lowercase `x` would otherwise be stored as read and sent so). */
function normaliseNumbers(fields: TextFields): TextFields {
  switch (fields.cardType) {
    case 'resident':
    case 'hk-mo-tw-residence':
    case 'foreign-permanent-2023':
      return { ...fields, idNumber: normaliseIdNumber(fields.idNumber) };
    case 'foreign-permanent-2017':
      return { ...fields, cardNumber: normaliseCode(fields.cardNumber) };
    default:
      throw missingCase(fields);
  }
}

/** The holder's name is a name (letters, no control characters), and nothing else on the card hides any. */
function namesMakeSense(fields: TextFields): boolean {
  const texts = Object.values(fields).filter((value): value is string => typeof value === 'string');
  if (texts.some(hasControlCharacters)) return false;
  switch (fields.cardType) {
    case 'resident':
    case 'hk-mo-tw-residence':
      return isPlausibleName(fields.name);
    case 'foreign-permanent-2017':
      // The Chinese name may be blank on a foreigner's card; the English name may not.
      return isPlausibleName(fields.englishName) && (fields.chineseName === '' || isPlausibleName(fields.chineseName));
    case 'foreign-permanent-2023':
      return isPlausibleName(fields.name) || isPlausibleName(fields.englishName);
    default:
      throw missingCase(fields);
  }
}

function crossCheck(idNumber: string, birthDate: string, sex: Sex): IdentityProblemCode | null {
  // The birth date's sense was checked against the card's clock already; here only digits and agreement.
  const parsed = parseIdNumber(idNumber, '9999-12-31');
  if (!parsed.ok) return parsed.problem === 'check-digit' ? 'id-number-check-digit' : 'id-number-invalid';
  if (parsed.value.birthDate !== birthDate) return 'birth-date-mismatch';
  // 0 (unknown) and 9 (unspecified) make no claim to compare.
  if ((sex === 'male' || sex === 'female') && parsed.value.sex !== sex) return 'sex-mismatch';
  return null;
}

/** YYYYMMDD → YYYY-MM-DD, or undefined if it is not a real date. */
function isoDate(raw: string): string | undefined {
  if (!/^\d{8}$/.test(raw)) return undefined;
  const iso = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
  return isValidIsoDate(iso) ? iso : undefined;
}

function ok(value: IdentityCard): IdentityResult {
  return { ok: true, value };
}

function problem(code: IdentityProblemCode): IdentityResult {
  return { ok: false, code, message: IDENTITY_MESSAGES[code] };
}
