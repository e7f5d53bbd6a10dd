import type { DateBound, FormField } from './catalog.js';
import { chinaDate } from './china-time.js';
import type { FieldValue } from './domain.js';
import { isValidIsoDate } from './validators/common.js';

/**
 * Date arithmetic on ISO calendar dates (`YYYY-MM-DD`) and the range a date field accepts. One source for
 * both ends of the kiosk: the renderer's date picker offers exactly these days, the flow engine refuses
 * any other, so a citizen can never pick a day the form then rejects.
 */

/** How far a date picker reaches when the catalog gives no bound: a lifetime back, a decade ahead. */
export const DEFAULT_DATE_RANGE = { min: { years: -120 }, max: { years: 10 } } as const satisfies { min: DateBound; max: DateBound };

/** Days in a month of the Gregorian calendar; `month` is 1–12. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD` from its parts (month 1–12); the caller passes a real date. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Year, month (1–12) and day of a `YYYY-MM-DD` date; null when it is not a real date. */
export function isoDateParts(iso: string): { year: number; month: number; day: number } | null {
  if (!isValidIsoDate(iso)) return null;
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) };
}

/**
 * `iso` moved by whole years, months or days. A month step keeps the day where the target month has it
 * and otherwise takes the month's last day (2024-01-31 + 1 month = 2024-02-29), as people count
 * "one month after". Throws on a date that is not real: callers parse first.
 */
export function shiftIsoDate(iso: string, by: { years?: number; months?: number; days?: number }): string {
  const parts = isoDateParts(iso);
  if (!parts) throw new RangeError(`not a calendar date: ${iso}`);
  const totalMonths = parts.year * 12 + (parts.month - 1) + (by.years ?? 0) * 12 + (by.months ?? 0);
  const year = Math.floor(totalMonths / 12);
  const month = (totalMonths % 12) + 1;
  const day = Math.min(parts.day, daysInMonth(year, month));
  const moved = new Date(Date.UTC(year, month - 1, day) + (by.days ?? 0) * 86_400_000);
  return moved.toISOString().slice(0, 10);
}

/** What a date bound is judged against: the Beijing day of the application and the form so far. */
export interface DateContext {
  /** `YYYY-MM-DD`, the day the application is made (Beijing time); defaults to now. */
  today?: string;
  /** The form's values, for bounds that name another field. */
  form?: Readonly<Record<string, FieldValue>>;
}

/** The day a bound stands for, or null when it names a field that holds no valid date yet. */
export function resolveDateBound(bound: DateBound, context: DateContext = {}): string | null {
  const today = context.today ?? chinaDate(Date.now());
  if (bound === 'today') return today;
  if ('field' in bound) {
    const value = context.form?.[bound.field];
    return typeof value === 'string' && isValidIsoDate(value) ? value : null;
  }
  return shiftIsoDate(today, bound);
}

/**
 * The first and last day a date field accepts (both included), defaults filled in. A bound naming an
 * empty or invalid field falls back to the default, so the picker still opens; the field it names is
 * checked on its own.
 */
export function dateRangeOf(field: Pick<FormField, 'dateRange'>, context: DateContext = {}): { min: string; max: string } {
  const min = resolveDateBound(field.dateRange?.min ?? DEFAULT_DATE_RANGE.min, context) ?? resolveDateBound(DEFAULT_DATE_RANGE.min, context);
  const max = resolveDateBound(field.dateRange?.max ?? DEFAULT_DATE_RANGE.max, context) ?? resolveDateBound(DEFAULT_DATE_RANGE.max, context);
  // Both fall back to values that always resolve.
  return { min: min as string, max: max as string };
}
