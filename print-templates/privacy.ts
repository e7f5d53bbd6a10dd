import { z } from 'zod';
import { CHINA_OFFSET_MS } from '../contract/china-time.js';
import { isValidIdNumber } from '../contract/validators/gb11643.js';

/**
 * What a printed document may say about a person (DOMAIN.md §7). The kiosk never prints a whole ID
 * number: a receipt or notice can be left in the tray or thrown away in the hall. Schemas enforce it
 * rather than trusting every caller to have masked.
 */

/** An ID number masked as maskIdNumber does: some leading characters, stars, the last four. */
export const MaskedIdNumber = z
  .string()
  .regex(/^[0-9A-Z]{0,6}\*{4,}[0-9Xx]{0,4}$/, '证件号码必须脱敏（如 370***********1234）');

/** A masked name (张*, 欧**娜); a one-character name has nothing to mask. */
export const MaskedName = z
  .string()
  .min(1)
  .refine((name) => Array.from(name).length <= 1 || name.includes('*'), '姓名必须脱敏（如 张*）');

/** Does the text contain an 18-character run that is a valid resident ID number (checksum and date)? */
export function containsIdNumber(text: string): boolean {
  for (const match of text.matchAll(/(?=(\d{17}[\dXx]))/g)) {
    if (isValidIdNumber((match[1] ?? '').toUpperCase())) return true;
  }
  return false;
}

/** Every string anywhere inside a value, for whole-document checks. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Refinement for a whole document: no field may carry a full ID number. System identifiers (case and
 * local numbers) are digit strings too and are exempt, including where a QR text embeds them.
 */
export function noFullIdNumber<T extends object>(exempt: (data: T) => readonly (string | null | undefined)[] = () => []) {
  return (data: T, context: z.RefinementCtx): void => {
    const exemptions = exempt(data).filter((value): value is string => Boolean(value));
    for (const text of stringsIn(data)) {
      if (exemptions.includes(text)) continue;
      const stripped = exemptions.reduce((rest, identifier) => rest.split(identifier).join(' '), text);
      if (containsIdNumber(stripped)) {
        context.addIssue({ code: 'custom', message: '打印内容不得包含完整的身份证号码' });
        return;
      }
    }
  };
}

/** Timestamps with an offset, as the host produces them (`2025-03-14T09:30:00+08:00` or `…Z`). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** China Standard Time has no daylight saving: +08:00 all year, so formatting needs no time-zone data. */
function inChina(iso: string): Date {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS);
}

const two = (value: number): string => String(value).padStart(2, '0');

/** 2025-03-14 09:30 in Beijing time. */
export function formatDateTime(iso: string): string {
  const date = inChina(iso);
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
}

/** 2025年3月14日, as official documents write dates. */
export function formatChineseDate(iso: string): string {
  const date = inChina(iso);
  return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`;
}
