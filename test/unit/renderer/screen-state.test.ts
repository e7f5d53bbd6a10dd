import { describe, expect, it } from 'vitest';
import { buildScreenState, type ScreenFacts } from '../../../renderer/src/composables/screen-state.js';
import { ScreenState } from '../../../contract/video-call.js';

/** A control as the DOM would give it: attributes, text, a box, and whether it sits in the video panel. */
function control(attributes: Record<string, string>, text: string, options: { hidden?: boolean; inCallPanel?: boolean } = {}) {
  return {
    getAttribute: (name: string) => attributes[name] ?? null,
    textContent: text,
    getBoundingClientRect: () => (options.hidden ? { width: 0, height: 0 } : { width: 200, height: 80 }),
    closest: (selector: string) => (selector === '[data-video-call]' && options.inCallPanel ? {} : null),
  };
}
const root = (controls: ReturnType<typeof control>[]) => ({ querySelectorAll: () => controls }) as unknown as Parameters<typeof buildScreenState>[1];

const facts = (overrides: Partial<ScreenFacts> = {}): ScreenFacts => ({
  screen: 'form',
  service: null,
  steps: { names: ['identity', 'form', 'materials', 'review'], labels: { form: '填写' } },
  fields: [
    { id: 'name', label: '姓名' },
    { id: 'mobile', label: '手机号码' },
    { id: 'certificate', label: '证书编号' },
  ],
  form: { name: '王秀英', mobile: '13853801234', certificate: '' },
  valuesShared: false,
  personal: ['王秀英', '370902195803150027'],
  ...overrides,
});

describe('the kiosk screen as structure (video help)', () => {
  const controls = [
    control({ 'data-test': 'field-name' }, '姓名 王秀英'),
    control({ 'data-help-id': 'next', 'data-test': 'form-next' }, '  下一步  '),
    control({ 'data-test': 'field-mobile', 'aria-label': '手机号码 13853801234' }, ''),
    control({ 'data-test': 'video-end' }, '结束视频', { inCallPanel: true }),
    control({ 'data-test': 'collapsed' }, '看不见', { hidden: true }),
    control({ 'data-test': 'next' }, '重复的编号'),
  ];

  it('says which fields are filled, never their values, and hides labels that show what the citizen typed or who they are', () => {
    const state = buildScreenState(facts(), root(controls), '填写申请表：王秀英');
    expect(ScreenState.parse(state)).toEqual(state);
    expect(state.fields).toEqual([
      { id: 'name', label: '姓名', filled: true },
      { id: 'mobile', label: '手机号码', filled: true },
      { id: 'certificate', label: '证书编号', filled: false },
    ]);
    expect(state.step).toEqual({ index: 2, total: 4, label: '填写' });
    expect(state.title).toBe('（内容已隐藏）');
    // data-help-id wins over data-test; the call's own panel, hidden controls and repeated ids are left out.
    expect(state.controls).toEqual([
      { id: 'field-name', label: '（内容已隐藏）' },
      { id: 'next', label: '下一步' },
      { id: 'field-mobile', label: '（内容已隐藏）' },
    ]);
    expect(JSON.stringify(state)).not.toMatch(/王秀英|13853801234|370902/);
  });

  it('sends values and labels as shown only after the citizen allowed it', () => {
    const state = buildScreenState(facts({ valuesShared: true }), root(controls), '填写申请表');
    expect(state.valuesShared).toBe(true);
    expect(state.fields[0]).toEqual({ id: 'name', label: '姓名', filled: true, value: '王秀英' });
    expect(state.fields[2]).toEqual({ id: 'certificate', label: '证书编号', filled: false });
    expect(state.controls[0]).toEqual({ id: 'field-name', label: '姓名 王秀英' });
  });

  it('lists no fields outside the form and review, and no step outside the flow', () => {
    const state = buildScreenState(facts({ screen: 'home', form: {} }), root([]), '您好，请选择要办理的事项');
    expect(state.fields).toEqual([]);
    expect(state.step).toBeNull();
    expect(state.title).toBe('您好，请选择要办理的事项');
  });
});
