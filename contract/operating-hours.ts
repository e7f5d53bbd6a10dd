import { CHINA_OFFSET_MS, chinaDate } from './china-time.js';
import type { OpeningPeriod, OperatingHours } from './central/fleet.js';

/**
 * Whether a hall is open, and when it opens next, from its configured hours (contract/central/fleet.ts
 * OperatingHours, Beijing time). Pure, so the host (which refuses new sessions while closed) and the
 * renderer (which shows the hours and the next opening) decide alike. `null` hours: open around the clock.
 */

/** Minutes since Beijing midnight of `HH:MM`. */
function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** The periods of a Beijing date (`YYYY-MM-DD`): an exception for that date, else its weekday's. */
export function periodsOn(hours: OperatingHours, date: string): OpeningPeriod[] {
  const exception = hours.exceptions.find((entry) => entry.date === date);
  if (exception) return exception.periods;
  // Noon UTC of that date is the same weekday in Beijing; getUTCDay: 0 Sunday … 6 Saturday; week[0] is Monday.
  const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
  return hours.week[weekday] ?? [];
}

/** Beijing date and minute of the day of an instant. */
function beijing(at: number): { date: string; minute: number } {
  const local = new Date(at + CHINA_OFFSET_MS);
  return { date: chinaDate(at), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

export function isOpen(hours: OperatingHours | null, at: number): boolean {
  if (!hours) return true;
  const { date, minute } = beijing(at);
  return periodsOn(hours, date).some((period) => minute >= minutes(period.open) && minute < minutes(period.close));
}

/**
 * The next instant (ms) at or after `at` when the hall opens, within 60 days; null when it never opens
 * in that time (or is always open).
 */
export function nextOpening(hours: OperatingHours | null, at: number): number | null {
  if (!hours) return null;
  const { date: today, minute: nowMinute } = beijing(at);
  const midnight = Date.parse(`${today}T00:00:00Z`) - CHINA_OFFSET_MS;
  for (let day = 0; day < 60; day++) {
    const dayStart = midnight + day * 86_400_000;
    const periods = [...periodsOn(hours, chinaDate(dayStart))].sort((a, b) => minutes(a.open) - minutes(b.open));
    for (const period of periods) {
      if (day === 0 && minutes(period.open) <= nowMinute) continue;
      return dayStart + minutes(period.open) * 60_000;
    }
  }
  return null;
}

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** `周一至周五 08:30–12:00、13:30–17:00；周六 09:00–12:00` for the closed screen. */
export function describeWeek(hours: OperatingHours): string {
  const text = (periods: OpeningPeriod[]) => (periods.length === 0 ? '' : periods.map((period) => `${period.open}–${period.close}`).join('、'));
  const groups: Array<{ from: number; to: number; text: string }> = [];
  hours.week.forEach((periods, index) => {
    const value = text(periods);
    const last = groups.at(-1);
    if (last && last.text === value && last.to === index - 1) last.to = index;
    else groups.push({ from: index, to: index, text: value });
  });
  return groups
    .filter((group) => group.text !== '')
    .map((group) => `${WEEKDAYS[group.from]}${group.to > group.from ? `至${WEEKDAYS[group.to]}` : ''} ${group.text}`)
    .join('；');
}

/** `明天（周二）08:30` / `今天 13:30` / `3月2日（周一）08:30` for the next opening, Beijing time. */
export function describeOpening(opening: number, now: number): string {
  const local = new Date(opening + CHINA_OFFSET_MS);
  const time = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  const days = Math.round((Date.parse(`${chinaDate(opening)}T00:00:00Z`) - Date.parse(`${chinaDate(now)}T00:00:00Z`)) / 86_400_000);
  const weekday = WEEKDAYS[(local.getUTCDay() + 6) % 7] ?? '';
  if (days === 0) return `今天 ${time}`;
  if (days === 1) return `明天（${weekday}）${time}`;
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日（${weekday}）${time}`;
}
