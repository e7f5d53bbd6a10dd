import { describe, expect, it } from 'vitest';
import type { FormField } from '../../../contract/catalog.js';
import type { FieldValue } from '../../../contract/domain.js';
import { EMPTY_VALUE_TEXT, formatFieldValue, formatIsoDate } from '../../../contract/format.js';
import { TAIAN_DIVISIONS } from '../../../contract/validators/common.js';
import { loadCatalog } from '../../../catalog/load.js';
import { validValue } from '../catalog/flow-walk.js';

const catalog = loadCatalog();
const fields = catalog.services.flatMap((service) => (service.flow?.form ?? []).map((field) => [`${service.id}.${field.id}`, field] as const));
const ofType = (type: FormField['type']) => fields.filter(([, field]) => field.type === type);

/** Latin letters, a digit-only code or an ISO date: what a citizen must never read on the confirm page. */
function looksRaw(text: string): boolean {
  return /^[a-z][a-z-]*$/i.test(text) || /^\d{6}$/.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) || text === 'true' || text === 'false';
}

describe('formatFieldValue', () => {
  it('shows the label of every option of every select field in the catalog, never its value', () => {
    expect(ofType('select').length).toBeGreaterThan(5);
    for (const [name, field] of ofType('select')) {
      for (const option of field.options ?? []) {
        const shown = formatFieldValue(field, option.value);
        expect(shown, `${name}=${option.value}`).toBe(option.label);
        expect(looksRaw(shown), `${name}=${option.value} reads “${shown}”`).toBe(false);
      }
    }
  });

  it('joins the labels of a multi-select field’s choices with 、', () => {
    const [[, field] = ['', undefined]] = ofType('multi-select');
    if (!field) throw new Error('the catalog has no multi-select field');
    const [first, second] = field.options ?? [];
    if (!first || !second) throw new Error('a multi-select field has at least two options');
    expect(formatFieldValue(field, [first.value, second.value])).toBe(`${first.label}、${second.label}`);
    expect(formatFieldValue(field, [])).toBe(EMPTY_VALUE_TEXT);
  });

  it('shows every Taian division by its name in every division field', () => {
    for (const [name, field] of ofType('division')) {
      for (const [code, division] of Object.entries(TAIAN_DIVISIONS)) expect(formatFieldValue(field, code), `${name}=${code}`).toBe(division);
      expect(formatFieldValue(field, '110101'), name).toBe('无效的区县');
    }
  });

  it('writes every date field’s dates as 年月日', () => {
    for (const [name, field] of ofType('date')) {
      expect(formatFieldValue(field, '2026-12-01'), name).toBe('2026年12月1日');
      expect(formatFieldValue(field, '1958-03-17'), name).toBe('1958年3月17日');
    }
  });

  it('shows yes/no fields as 是 and 否', () => {
    expect(ofType('checkbox').length).toBeGreaterThan(0);
    for (const [name, field] of ofType('checkbox')) {
      expect(formatFieldValue(field, true), name).toBe('是');
      expect(formatFieldValue(field, false), name).toBe('否');
    }
  });

  it('shows a value outside a field’s options as 无效的选项, not as the code', () => {
    const [[, field] = ['', undefined]] = ofType('select');
    if (!field) throw new Error('the catalog has no select field');
    expect(formatFieldValue(field, 'not-an-option')).toBe('无效的选项');
  });

  it('formats a valid value of every catalog field as plain Chinese or the text as typed, never a raw code', () => {
    for (const [name, field] of fields) {
      const value: FieldValue = validValue(field);
      const shown = formatFieldValue(field, value);
      expect(shown.length, name).toBeGreaterThan(0);
      if (['select', 'multi-select', 'division', 'date', 'checkbox'].includes(field.type)) expect(looksRaw(shown), `${name} reads “${shown}”`).toBe(false);
      else expect(shown, name).toBe(String(value));
      expect(formatFieldValue(field, undefined), name).toBe(EMPTY_VALUE_TEXT);
      expect(formatFieldValue(field, ''), name).toBe(EMPTY_VALUE_TEXT);
    }
  });
});

describe('formatIsoDate', () => {
  it('writes a calendar date as official documents do and leaves anything else as it is', () => {
    expect(formatIsoDate('2026-01-09')).toBe('2026年1月9日');
    expect(formatIsoDate('2026-02-30')).toBe('2026-02-30');
    expect(formatIsoDate('长期')).toBe('长期');
  });
});
