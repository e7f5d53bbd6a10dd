import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Service, type FormField } from '../../../contract/catalog.js';
import { checkDraft, fieldProblem, normaliseFieldValue } from '../../../contract/flow.js';
import { gb11643CheckChar, normaliseIdNumber, parseIdNumber } from '../../../contract/validators/gb11643.js';
import { hasControlCharacters, isPlausibleName } from '../../../contract/validators/text.js';

/**
 * Issue 10, kinds 4 and 5: what is validated is what is stored and sent (normalised once, at the
 * boundary), and a checksum is not taken for sense.
 */
const TODAY = '2026-03-02';

const service = Service.parse({
  id: 'normalise',
  code: 'TEST-0002',
  name: '规范化测试事项',
  lifeCycle: 'individual',
  stage: 'work-unemployment',
  summary: '用于测试规范化',
  leadDepartment: { name: '测试部门' },
  items: [{ name: '基本事项', department: '测试部门' }],
  eligibility: '仅供测试使用',
  channel: 'self-service',
  approval: 'review',
  materials: [],
  fees: '不收费',
  legalLimitDays: 1,
  promisedLimitDays: 1,
  delivery: ['短信通知'],
  legalBasis: ['《测试条例》'],
  flow: {
    situations: [],
    form: [
      { id: 'holder', label: '身份证号码', type: 'id-number' },
      { id: 'mobile', label: '手机号码', type: 'mobile' },
      { id: 'company', label: '统一社会信用代码', type: 'credit-code', required: false },
      { id: 'note', label: '备注', type: 'text', required: false, maxLength: 20 },
      { id: 'moved', label: '迁入日期', type: 'date', required: false },
    ],
  },
});
const field = (id: string): FormField => service.flow?.form.find((candidate) => candidate.id === id) as FormField;

function check(form: Record<string, string>) {
  return checkDraft(service, { serviceId: service.id, answers: {}, form, materials: {} }, TODAY);
}

describe('checkDraft normalisation (kind 4)', () => {
  it('accepts 11010519491231002x and stores 11010519491231002X, the form it validated (was: lowercase x reached central)', () => {
    const checked = check({ holder: '11010519491231002x', mobile: '13805381234' });
    expect(checked.ok && checked.value.draft.form.holder).toBe('11010519491231002X');
  });

  it('folds full-width digits, inner spaces and hyphens the way citizens type them', () => {
    const checked = check({ holder: ' １１０１０５ １９４９１２３１ ００２ｘ ', mobile: '138-0538-1234', company: '91370900ma3c4d5e62' });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.value.draft.form).toMatchObject({ holder: '11010519491231002X', mobile: '13805381234', company: '91370900MA3C4D5E62' });
  });

  it('normalises idempotently: what the host stores, central checks again to the same value', () => {
    const typed = fc.string({ unit: fc.constantFrom(...'0123456789xX０１２３４５６７８９ｘＸ -　'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(typed, fc.constantFrom('holder', 'mobile', 'company', 'note'), (value, id) => {
        const once = normaliseFieldValue(field(id), value);
        expect(normaliseFieldValue(field(id), once)).toBe(once);
      }),
    );
  });

  it('refuses text with control or bidirectional-override characters, which print as something else', () => {
    expect(fieldProblem(field('note'), '退休金\u202e0001', { today: TODAY })).toMatch(/无法识别的字符/);
    expect(fieldProblem(field('note'), '第一行\u0007', { today: TODAY })).toMatch(/无法识别的字符/);
    expect(fieldProblem(field('note'), '  退休金  ', { today: TODAY })).toBeNull();
  });
});

describe('sense checks (kind 5)', () => {
  it('refuses 110105209912310010: a valid check digit, a birth on 2099-12-31 (was: accepted)', () => {
    expect(gb11643CheckChar('11010520991231001')).toBe('0');
    expect(parseIdNumber('110105209912310010', TODAY)).toEqual({ ok: false, problem: 'birth-date' });
    expect(check({ holder: '110105209912310010', mobile: '13805381234' })).toMatchObject({ ok: false, problems: [{ target: 'field:holder' }] });
  });

  it('refuses a birth before 1900 and accepts one today', () => {
    const first17Old = '11010518991231001';
    expect(parseIdNumber(first17Old + gb11643CheckChar(first17Old), TODAY)).toEqual({ ok: false, problem: 'birth-date' });
    const first17Today = '37090220260302001';
    expect(parseIdNumber(first17Today + gb11643CheckChar(first17Today), TODAY).ok).toBe(true);
  });

  it('refuses a form date outside its range (a typo of the year), and reads full-width digits', () => {
    expect(fieldProblem(field('moved'), '0202-03-02', { today: TODAY })).toMatch(/不能早于/);
    expect(fieldProblem(field('moved'), '２０２６-０３-０２', { today: TODAY })).toBeNull();
  });

  it('takes a name to be letters without control characters', () => {
    expect(isPlausibleName('阿卜杜·热合曼')).toBe(true);
    expect(isPlausibleName('MILLER, ANNA MARIE')).toBe(true);
    expect(isPlausibleName('   ')).toBe(false);
    expect(isPlausibleName('1234')).toBe(false);
    expect(isPlausibleName('张\u0000三')).toBe(false);
    expect(hasControlCharacters('张\u200b三')).toBe(true);
  });

  it('normalises an ID number to one form whatever the input width', () => {
    expect(normaliseIdNumber('３７０９０２１９６８０３１５１２３ｘ')).toBe('37090219680315123X');
  });
});
