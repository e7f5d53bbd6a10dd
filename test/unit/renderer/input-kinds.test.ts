import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FieldType } from '../../../contract/catalog.js';
import { loadCatalog } from '../../../catalog/load.js';
import { applyKey, inputKindOf, normaliseTyped, panelFor } from '../../../renderer/src/composables/input-kinds.js';
import { useInputPanelStore, type PanelRequest } from '../../../renderer/src/stores/input-panel.js';

const typeKeys = (kind: Parameters<typeof applyKey>[0], keys: string, maxLength?: number) => Array.from(keys).reduce((value, key) => applyKey(kind, value, key, maxLength), '');

describe('the input-panel service’s kinds', () => {
  it('maps every field type to the panel that writes it', () => {
    const panels = Object.fromEntries(FieldType.options.map((type) => [type, panelFor(inputKindOf({ type }))]));
    expect(panels).toEqual({
      text: 'pinyin',
      address: 'pinyin',
      'id-number': 'id-number',
      'credit-code': 'letters-digits',
      code: 'letters-digits',
      mobile: 'digits',
      count: 'digits',
      digits: 'digits',
      amount: 'amount',
      date: 'date',
      division: null,
      select: null,
      checkbox: null,
      'multi-select': null,
    });
  });

  it('gives every field of the catalog a kind', () => {
    for (const service of loadCatalog().services) for (const field of service.flow?.form ?? []) expect(() => inputKindOf(field), `${service.id}.${field.id}`).not.toThrow();
  });

  it('takes X only as the 18th character of an ID number, always upper case', () => {
    expect(typeKeys('id-number', 'X37091119870623107')).toBe('37091119870623107');
    expect(typeKeys('id-number', '37091119870623107x')).toBe('37091119870623107X');
    expect(typeKeys('id-number', '37091119870623107X9')).toBe('37091119870623107X');
  });

  it('keeps an amount to one decimal point and two places, and starts a bare point with 0', () => {
    expect(typeKeys('amount', '.5')).toBe('0.5');
    expect(typeKeys('amount', '12.3.45')).toBe('12.34');
    expect(typeKeys('amount', '007')).toBe('7');
    expect(typeKeys('amount', '0.05')).toBe('0.05');
  });

  it('stops a phone number at 11 digits and takes digits only', () => {
    expect(typeKeys('phone', '139-0538-1234-5')).toBe('13905381234');
  });

  it('writes case numbers, local numbers and credit codes in upper case, with single hyphens between parts', () => {
    expect(typeKeys('code', 'ta-demo--0001-')).toBe('TA-DEMO-0001-');
    expect(typeKeys('code', '-TA20261201000003')).toBe('TA20261201000003');
    expect(typeKeys('code', 'R370123456', 6)).toBe('R37012');
  });

  it('keeps a count free of leading zeros and the search to latin letters', () => {
    expect(typeKeys('count', '0012')).toBe('12');
    expect(typeKeys('initials', 'CSyjs 1')).toBe('csyjs');
  });

  it('brings text typed on a physical keyboard to the same rules', () => {
    expect(normaliseTyped('code', 'ta-demo-0001')).toBe('TA-DEMO-0001');
    expect(normaliseTyped('chinese', '泰安市泰山区', 3)).toBe('泰安市');
  });
});

describe('useInputPanelStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const request = (kind: PanelRequest['kind'], fieldId = 'field-a'): PanelRequest => ({ fieldId, kind, label: '栏目', read: () => '', write: () => undefined, advance: false });

  it('opens the kind’s panel, and closes for kinds answered in place', () => {
    const store = useInputPanelStore();
    store.open(request('phone'));
    expect([store.isOpen, store.panel]).toEqual([true, 'digits']);
    store.open(request('choice', 'field-b'));
    expect([store.isOpen, store.panel, store.request]).toEqual([false, null, null]);
  });

  it('switches a Chinese field between pinyin and handwriting and keeps the choice when it is tapped again', () => {
    const store = useInputPanelStore();
    store.open(request('chinese'));
    store.switchTo('handwriting');
    expect(store.panel).toBe('handwriting');
    store.open(request('chinese'));
    expect(store.panel).toBe('handwriting');
    store.open(request('chinese', 'field-other'));
    expect(store.panel).toBe('pinyin');
  });

  it('does not switch a digit pad to a Chinese panel', () => {
    const store = useInputPanelStore();
    store.open(request('id-number'));
    store.switchTo('pinyin');
    expect(store.panel).toBe('id-number');
  });
});
