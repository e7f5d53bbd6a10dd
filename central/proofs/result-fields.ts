import { createHash } from 'node:crypto';
import { TAIAN_DIVISIONS } from '../../contract/validators/common.js';

/**
 * Small formatters the 秒批 result documents share (central/proofs/results.ts): dates as documents print
 * them, deterministic document numbers from a case number, the 人民币大写 of an amount, a masked bank account,
 * and the county and department names of a Taian division code (GB/T 2260).
 */

/** `2026-12-01` → `2026年12月01日`, as licences and notices print dates. Throws nothing; other text passes through. */
export function chineseDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(0, 4)}年${iso.slice(5, 7)}月${iso.slice(8, 10)}日` : iso;
}

/** `2026-12-01` plus `months` calendar months, minus `minusDays` days (YYYY-MM-DD, UTC calendar arithmetic). */
export function addMonths(iso: string, months: number, minusDays = 0): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1 + months, day));
  // 8-31 + 6 months is not 3-03: a period that ends in a shorter month ends on its last day.
  if (date.getUTCDate() !== day) date.setUTCDate(0);
  date.setUTCDate(date.getUTCDate() - minusDays);
  return date.toISOString().slice(0, 10);
}

/** The month after `iso`'s, as `2027年01月`. */
export function nextYearMonth(iso: string): string {
  const next = addMonths(`${iso.slice(0, 7)}-01`, 1);
  return `${next.slice(0, 4)}年${next.slice(5, 7)}月`;
}

/**
 * A number of `length` decimal digits drawn from SHA-256 of `purpose|caseNumber`: the same case always gets
 * the same number (a redelivered case prints the same document), different cases almost never share one.
 * Stands in for the department system's own sequence, which the reference central does not have.
 */
export function caseSerial(purpose: string, caseNumber: string, length: number): string {
  const digest = createHash('sha256').update(`${purpose}|${caseNumber}`).digest('hex');
  return (BigInt(`0x${digest}`) % 10n ** BigInt(length)).toString().padStart(length, '0');
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'] as const;

/**
 * The 人民币大写 of an amount (`1200`, `1500.5`, `1500.50`): 壹仟贰佰元整, 壹仟伍佰元伍角, 壹万零伍元整 — as
 * 《会计基础工作规范》 第五十二条 writes amounts in words (零 for skipped places, 整 when there are no 角/分).
 * Throws on anything but a non-negative amount with at most two decimals.
 */
export function rmbInWords(amount: string): string {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`rmbInWords: not an amount: ${amount}`);
  const integer = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const cents = (match[2] ?? '').padEnd(2, '0');
  const jiao = Number(cents[0]);
  const fen = Number(cents[1]);
  let words = '';
  if (integer !== '0') {
    let pendingZero = false;
    for (let index = 0; index < integer.length; index++) {
      const power = integer.length - 1 - index;
      const digit = Number(integer[index]);
      if (digit === 0) pendingZero = true;
      else {
        words += `${pendingZero && words ? '零' : ''}${DIGITS[digit]}${UNITS[power % 4]}`;
        pendingZero = false;
      }
      // End of a group of four: 万 or 亿 when the group has a digit other than 0.
      if (power % 4 === 0 && power > 0 && /[1-9]/.test(integer.slice(Math.max(0, index - 3), index + 1))) words += power % 8 === 0 ? '亿' : '万';
    }
    words += '元';
  }
  if (jiao === 0 && fen === 0) return `${words || '零元'}整`;
  if (jiao > 0) words += `${DIGITS[jiao]}角`;
  else if (words) words += '零';
  if (fen > 0) words += `${DIGITS[fen]}分`;
  return words;
}

/** A bank account as printed on a voucher: first 4 and last 4 digits, the rest masked (`6222 **** **** 1234` style, no spaces). */
export function maskAccount(account: string): string {
  const digits = account.replace(/\s/g, '');
  return digits.length <= 8 ? digits : `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`;
}

/** The county (区/县/市) name of a Taian division code, or 泰安市 for the city or any other code. */
export function countyOf(division: string): string {
  return (TAIAN_DIVISIONS as Record<string, string>)[division] ?? '泰安市';
}

/**
 * The place name a county-level department carries: 泰安市泰山区 (a district's), 肥城市 / 新泰市 (county-level
 * cities name their own departments), 泰安市 for the city. `泰山区` → `泰安市泰山区` so that 卫生健康局 etc. follow.
 */
export function departmentPlace(division: string): string {
  const county = countyOf(division);
  return county === '泰安市' ? '泰安市' : county.endsWith('市') ? county : `泰安市${county}`;
}

/** An amount as documents print it: two decimals (`1200` → `1200.00`); text that is not a number passes through. */
export function yuan(amount: string): string {
  const value = Number(amount);
  return amount.trim() !== '' && Number.isFinite(value) ? value.toFixed(2) : amount;
}
