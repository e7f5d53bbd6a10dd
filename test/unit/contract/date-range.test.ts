import { describe, expect, it } from 'vitest';
import type { FormField } from '../../../contract/catalog.js';
import { dateRangeOf, daysInMonth, resolveDateBound, shiftIsoDate } from '../../../contract/date-range.js';
import { checkDraft, fieldProblem } from '../../../contract/flow.js';
import { loadCatalog } from '../../../catalog/load.js';
import { completeDraft } from '../catalog/flow-walk.js';

const catalog = loadCatalog();
const service = (id: string) => {
  const found = catalog.services.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
};
const field = (serviceId: string, fieldId: string): FormField => {
  const found = service(serviceId).flow?.form.find((candidate) => candidate.id === fieldId);
  if (!found) throw new Error(`no field ${serviceId}.${fieldId}`);
  return found;
};
const TODAY = '2026-12-01';

describe('date arithmetic', () => {
  it('knows month lengths, leap years included', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2025, 2), daysInMonth(2000, 2), daysInMonth(1900, 2), daysInMonth(2026, 12)]).toEqual([29, 28, 29, 28, 31]);
  });

  it('moves by years, months and days, keeping the day or taking the month’s last', () => {
    expect(shiftIsoDate('2024-01-31', { months: 1 })).toBe('2024-02-29');
    expect(shiftIsoDate('2024-02-29', { years: -1 })).toBe('2023-02-28');
    expect(shiftIsoDate('2026-12-01', { months: 10 })).toBe('2027-10-01');
    expect(shiftIsoDate('2026-12-01', { days: 90 })).toBe('2027-03-01');
    expect(shiftIsoDate('2026-03-01', { days: -1 })).toBe('2026-02-28');
    expect(shiftIsoDate('2026-01-15', { months: -13 })).toBe('2024-12-15');
    expect(() => shiftIsoDate('2026-02-30', { days: 1 })).toThrow(RangeError);
  });

  it('resolves bounds against the day of the application and the form', () => {
    expect(resolveDateBound('today', { today: TODAY })).toBe(TODAY);
    expect(resolveDateBound({ years: -1 }, { today: TODAY })).toBe('2025-12-01');
    expect(resolveDateBound({ field: 'periodFrom' }, { today: TODAY, form: { periodFrom: '2026-01-01' } })).toBe('2026-01-01');
    expect(resolveDateBound({ field: 'periodFrom' }, { today: TODAY, form: { periodFrom: 'soon' } })).toBeNull();
  });
});

describe('date ranges of the catalog', () => {
  it('keeps a newborn’s birth date within the last year and not after today', () => {
    const birth = field('birth-one-thing', 'birthDate');
    expect(dateRangeOf(birth, { today: TODAY })).toEqual({ min: '2025-12-01', max: TODAY });
    expect(fieldProblem(birth, '2026-12-02', { today: TODAY })).toBe('“出生日期”不能晚于2026年12月1日，请重新选择');
    expect(fieldProblem(birth, '2025-11-30', { today: TODAY })).toBe('“出生日期”不能早于2025年12月1日，请重新选择');
    expect(fieldProblem(birth, TODAY, { today: TODAY })).toBeNull();
  });

  it('refuses a certificate issued in the future, and a 备案 that starts before today', () => {
    expect(fieldProblem(field('skill-upgrade-subsidy', 'issueDate'), '2026-12-02', { today: TODAY })).toContain('不能晚于');
    expect(fieldProblem(field('out-of-town-medical-filing', 'startDate'), '2026-11-30', { today: TODAY })).toContain('不能早于2026年12月1日');
    expect(fieldProblem(field('out-of-town-medical-filing', 'startDate'), '2026-12-15', { today: TODAY })).toBeNull();
  });

  it('ends a tax period no earlier than it starts', () => {
    const periodTo = field('tax-payment-certificate', 'periodTo');
    expect(fieldProblem(periodTo, '2026-03-31', { today: TODAY, form: { periodFrom: '2026-04-01' } })).toBe('“税款所属期止”不能早于2026年4月1日，请重新选择');
    expect(fieldProblem(periodTo, '2026-04-30', { today: TODAY, form: { periodFrom: '2026-04-01' } })).toBeNull();
  });

  it('gives every date field a range in which today or some day can be picked', () => {
    for (const candidate of catalog.services) {
      for (const date of candidate.flow?.form.filter((form) => form.type === 'date') ?? []) {
        const { min, max } = dateRangeOf(date, { today: TODAY });
        expect(min <= max, `${candidate.id}.${date.id}`).toBe(true);
      }
    }
  });

  it('checks a reprinted application against the day it was made, not the day of the reprint', () => {
    const filing = service('out-of-town-medical-filing');
    const answers = { 'filing-kind': 'temporary', 'cross-province': 'yes' };
    const draft = completeDraft(filing, answers);
    const made = { ...draft, form: { ...draft.form, startDate: TODAY } };
    expect(checkDraft(filing, made, TODAY).ok).toBe(true);
    // A week later the same start date is in the past: only the day of the application decides.
    expect(checkDraft(filing, made, '2026-12-08').ok).toBe(false);
  });
});
