/**
 * Normalisation and sense checks for text that crosses a boundary (issue 10, kinds 4 and 5). What is
 * validated must be what is stored and sent: each normaliser runs once, at the boundary, and the
 * normalised value is the one kept (never a copy checked and the original passed on).
 */

/**
 * A code the citizen types or a device reads (ID number, credit code, mobile, amount, date): Unicode NFKC
 * folds the full-width forms Chinese input methods produce (`１１０１…`, `ｘ`) into ASCII, white space
 * inside is dropped (people group digits as they read them) and letters are upper case (the GB 11643
 * check character `x` is `X`).
 */
export function normaliseCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

/** Mobile numbers are also written with hyphens (`138-0538-1234`). */
export function normaliseMobile(raw: string): string {
  return normaliseCode(raw).replace(/-/gu, '');
}

/** Free text (names, addresses): surrounding white space only; the characters themselves are the citizen's. */
export function normaliseText(raw: string): string {
  return raw.trim();
}

/**
 * Control characters (C0, DEL, C1) and format characters (bidirectional overrides such as U+202E, zero
 * width spaces): never part of a name or an address, and able to make printed or displayed text say
 * something else than what is stored.
 */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_OR_FORMAT.test(text);
}

/** A name: not empty, at least one letter (any script), no control or format characters. */
export function isPlausibleName(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && /\p{L}/u.test(trimmed) && !hasControlCharacters(trimmed);
}

/** The earliest birth date taken as real: GB 11643 numbers exist for people born from 1900 on. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** A birth date (ISO) that has happened, and not absurdly long ago. `today` is an ISO date (China's calendar day). */
export function isPlausibleBirthDate(birthDate: string, today: string): boolean {
  return birthDate >= EARLIEST_BIRTH_DATE && birthDate <= today;
}
