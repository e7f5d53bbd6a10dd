/**
 * Calendar dates in China, whatever time zone the machine is set to. China Standard Time is UTC+8 all
 * year (no daylight saving since 1991), so a fixed offset is exact, needs no time-zone data (Intl, ICU)
 * and costs nothing on the enqueue path. A kiosk left on UTC would otherwise date everything between
 * 00:00 and 08:00 Beijing time as the day before.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `2026-11-29` for 2026-11-28T16:00:00Z. */
export function chinaDate(at: Date | number): string {
  return new Date(Number(at) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `20261129`: the day part of local numbers and case numbers. */
export function chinaDay(at: Date | number): string {
  return chinaDate(at).replaceAll('-', '');
}

/**
 * Whole years of age on `today` for someone born on `birthDate` (both ISO YYYY-MM-DD): the birthday counts
 * from its own day (周岁). Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
