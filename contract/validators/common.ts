/** Mainland mobile numbers: 11 digits starting 1[3-9]. */
export function isValidMobile(raw: string): boolean {
  return /^1[3-9]\d{9}$/.test(raw.trim());
}

/** ISO calendar date YYYY-MM-DD that really exists. */
export function isValidIsoDate(raw: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Money in yuan with at most two decimals, non-negative. */
export function isValidAmount(raw: string): boolean {
  return /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/.test(raw.trim());
}

/** 137****5678 */
export function maskMobile(raw: string): string {
  return raw.length === 11 ? `${raw.slice(0, 3)}****${raw.slice(7)}` : '*'.repeat(raw.length);
}

/** GB/T 2260 division codes of Taian (370900) and its districts and counties. */
export const TAIAN_DIVISIONS = {
  '370900': '泰安市',
  '370902': '泰山区',
  '370911': '岱岳区',
  '370921': '宁阳县',
  '370923': '东平县',
  '370982': '新泰市',
  '370983': '肥城市',
} as const satisfies Record<string, string>;

export type TaianDivisionCode = keyof typeof TAIAN_DIVISIONS;

export function isTaianDivision(code: string): code is TaianDivisionCode {
  return Object.hasOwn(TAIAN_DIVISIONS, code);
}

/**
 * The districts and county-level divisions a citizen picks for a 区县 field (落户区县, 经营场所所在区县): every
 * Taian code but the city's own 370900, which names no 区县 (it was offered as a choice beside them).
 */
export const TAIAN_COUNTIES = Object.fromEntries(Object.entries(TAIAN_DIVISIONS).filter(([code]) => !code.endsWith('00'))) as Readonly<
  Record<Exclude<TaianDivisionCode, '370900'>, string>
>;

export function isTaianCounty(code: string): boolean {
  return isTaianDivision(code) && Object.hasOwn(TAIAN_COUNTIES, code);
}
