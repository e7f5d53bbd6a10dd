import { describe, expect, it } from 'vitest';
import type { FormField } from '../../../contract/catalog.js';
import { fieldProblem } from '../../../contract/flow.js';

const field = (type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({ id: 'value', label: '栏目', type, required: true, ...extra });

describe('fieldProblem for the kinds the panels write', () => {
  it('takes a count as a whole number without leading zeros, within its length', () => {
    const count = field('count', { maxLength: 3 });
    expect(fieldProblem(count, '12')).toBeNull();
    expect(fieldProblem(count, '0')).toBeNull();
    expect(fieldProblem(count, '012')).toBe('“栏目”请输入整数');
    expect(fieldProblem(count, '1.5')).toBe('“栏目”请输入整数');
    expect(fieldProblem(count, '1234')).toBe('“栏目”最多3位数字');
  });

  it('keeps the leading zeros of a digits field and refuses anything but digits', () => {
    const digits = field('digits', { maxLength: 30 });
    expect(fieldProblem(digits, '0062220216030012345')).toBeNull();
    expect(fieldProblem(digits, '6222 0216')).toBe('“栏目”只能是数字');
  });

  it('takes a code as upper-case letters and digits joined by single hyphens', () => {
    const code = field('code', { maxLength: 30 });
    expect(fieldProblem(code, 'TA-DEMO-0001-20261201-0001')).toBeNull();
    expect(fieldProblem(code, 'R370123456')).toBeNull();
    for (const bad of ['r370123456', 'TA--1', '-TA', 'TA-', 'TA 1']) expect(fieldProblem(code, bad), bad).toContain('只能是字母和数字');
  });

  it('takes a multi-select as distinct values of its options, at least one when required', () => {
    const scope = field('multi-select', { options: [{ value: 'a', label: '甲' }, { value: 'b', label: '乙' }] });
    expect(fieldProblem(scope, ['a', 'b'])).toBeNull();
    expect(fieldProblem(scope, [])).toBe('请填写“栏目”');
    expect(fieldProblem({ ...scope, required: false }, [])).toBeNull();
    expect(fieldProblem(scope, ['a', 'a'])).toBe('“栏目”有重复的选项，请重新选择');
    expect(fieldProblem(scope, ['c'])).toBe('请为“栏目”重新选择');
    expect(fieldProblem(scope, 'a')).toBe('请为“栏目”选择至少一项');
  });

  it('takes a 区县 field as one of the districts and counties of Taian, never the city itself (泰安市 370900 was offered as a 区县)', () => {
    const division = field('division');
    for (const county of ['370902', '370911', '370921', '370923', '370982', '370983']) expect(fieldProblem(division, county), county).toBeNull();
    expect(fieldProblem(division, '370900')).toBe('“栏目”请选择泰安市的区县');
    expect(fieldProblem(division, '370102')).toBe('“栏目”请选择泰安市的区县');
  });

  it('asks for 是 or 否 on a yes/no field given anything else', () => {
    expect(fieldProblem(field('checkbox'), 'yes')).toBe('“栏目”请选择是或否');
  });
});
