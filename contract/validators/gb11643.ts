import { chinaDate } from '../china-time.js';
import { isPlausibleBirthDate, normaliseCode } from './text.js';

/**
 * GB 11643-1999 citizen identification numbers: 6-digit division code, 8-digit birth date,
 * 3-digit sequence (odd = male), check character (ISO 7064 MOD 11-2).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index++) {
    sum += Number(first17[index]) * (WEIGHTS[index] ?? 0);
  }
  return CHECK_CHARS[sum % 11] ?? '?';
}

export type IdNumberProblem = 'format' | 'birth-date' | 'check-digit';

export interface ParsedIdNumber {
  /** The number as it must be stored and sent: normalised (`normaliseIdNumber`). */
  idNumber: string;
  divisionCode: string;
  /** ISO date YYYY-MM-DD. */
  birthDate: string;
  sex: 'male' | 'female';
}

/**
 * The one form of an ID number: full-width digits folded, spaces dropped, check character `X` upper case.
 * `11010519491231002x` and `１１０１０５１９４９１２３１００２Ｘ` are both `11010519491231002X`.
 */
export function normaliseIdNumber(raw: string): string {
  return normaliseCode(raw);
}

/**
 * Parses an 18-character number; returns the problem instead of throwing. The check character proves
 * only that the digits were copied right, so the birth date is checked for sense too: a real date, not
 * after `today` (ISO, China's calendar day; 110105209912310010 has a valid check digit and a birth in
 * 2099) and not before 1900.
 */
export function parseIdNumber(raw: string, today: string = chinaDate(Date.now())): { ok: true; value: ParsedIdNumber } | { ok: false; problem: IdNumberProblem } {
  const value = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'format' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || !isPlausibleBirthDate(birthDate, today)) {
    return { ok: false, problem: 'birth-date' };
  }
  if (gb11643CheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'check-digit' };
  return {
    ok: true,
    value: {
      idNumber: value,
      divisionCode: value.slice(0, 6),
      birthDate,
      sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

export function isValidIdNumber(raw: string, today?: string): boolean {
  return parseIdNumber(raw, today).ok;
}

/** Masks all but the first 3 and last 4 characters: 370***********1234. Shown everywhere but the citizen's own confirmation screen. */
export function maskIdNumber(raw: string): string {
  if (raw.length <= 7) return '*'.repeat(raw.length);
  return raw.slice(0, 3) + '*'.repeat(raw.length - 7) + raw.slice(-4);
}

/** 张三 → 张*; 欧阳娜娜 → 欧**娜. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
