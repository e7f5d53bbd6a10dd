import { describe, expect, it } from 'vitest';
import type { OperatingHours } from '../../../contract/central/fleet.js';
import { describeOpening, describeWeek, isOpen, nextOpening } from '../../../contract/operating-hours.js';

const weekday = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '17:00' },
];
const HOURS: OperatingHours = {
  week: [weekday, weekday, weekday, weekday, weekday, [{ open: '09:00', close: '12:00' }], []],
  // 2026-10-01 (a Thursday) is 国庆节; 2026-10-10 (a Saturday) a 调休 working day with full hours.
  exceptions: [
    { date: '2026-10-01', periods: [] },
    { date: '2026-10-10', periods: weekday },
  ],
  nearest24h: null,
};
/** Beijing wall time as an instant. */
const at = (local: string) => Date.parse(`${local}+08:00`);

describe('operating hours', () => {
  it('is open inside a period and closed at its end, at lunch and at night, in Beijing time whatever the machine zone', () => {
    expect(isOpen(HOURS, at('2026-09-28T08:30:00'))).toBe(true);
    expect(isOpen(HOURS, at('2026-09-28T11:59:59'))).toBe(true);
    expect(isOpen(HOURS, at('2026-09-28T12:00:00'))).toBe(false);
    expect(isOpen(HOURS, at('2026-09-28T02:00:00'))).toBe(false);
    expect(isOpen(HOURS, at('2026-09-27T10:00:00'))).toBe(false);
    expect(isOpen(null, at('2026-09-27T03:00:00'))).toBe(true);
  });

  it('follows holidays and 调休 working days over the week', () => {
    expect(isOpen(HOURS, at('2026-10-01T10:00:00'))).toBe(false);
    expect(isOpen(HOURS, at('2026-10-10T15:00:00'))).toBe(true);
  });

  it('finds the next opening: after lunch today, tomorrow morning, past a weekend and a holiday', () => {
    expect(nextOpening(HOURS, at('2026-09-28T12:30:00'))).toBe(at('2026-09-28T13:30:00'));
    expect(nextOpening(HOURS, at('2026-09-28T18:00:00'))).toBe(at('2026-09-29T08:30:00'));
    expect(nextOpening(HOURS, at('2026-09-26T13:00:00'))).toBe(at('2026-09-28T08:30:00'));
    expect(nextOpening(HOURS, at('2026-09-30T18:00:00'))).toBe(at('2026-10-02T08:30:00'));
    expect(nextOpening({ ...HOURS, week: [[], [], [], [], [], [], []], exceptions: [] }, at('2026-09-30T18:00:00'))).toBeNull();
  });

  it('describes the week and the next opening in plain words', () => {
    expect(describeWeek(HOURS)).toBe('周一至周五 08:30–12:00、13:30–17:00；周六 09:00–12:00');
    expect(describeOpening(at('2026-09-28T13:30:00'), at('2026-09-28T12:30:00'))).toBe('今天 13:30');
    expect(describeOpening(at('2026-09-29T08:30:00'), at('2026-09-28T18:00:00'))).toBe('明天（周二）08:30');
    expect(describeOpening(at('2026-10-02T08:30:00'), at('2026-09-30T18:00:00'))).toBe('10月2日（周五）08:30');
  });
});
