import type { FormField } from '../../../contract/catalog.js';
import { missingCase } from '../../../contract/result.js';

/**
 * What a field takes, as the input-panel service sees it. A field declares its kind; the service opens
 * the one panel for that kind, so no view builds a keyboard of its own (issue 9, ARCHITECTURE.md "One
 * input-panel service in the renderer").
 *
 * - `chinese`: names, addresses, other Chinese text — pinyin with phrase candidates, or handwriting.
 * - `initials`: the search's latin letters (full pinyin, initials such as csyjs, or a mix), matched by
 *   the catalog search as the citizen types; its pad switches to the Chinese panels to write hanzi.
 * - `phone`, `count`, `digits`: digits only; `amount`: digits and one decimal point (two places).
 * - `id-number`: GB 11643, 17 digits and a check character that may be X (always upper case).
 * - `code`: letters and digits as printed (受理编号 TA20261201000003, 本机编号 TA-DEMO-0001-20261201-0001,
 *   统一社会信用代码 GB 32100, 出生医学证明编号): A–Z, 0–9 and -.
 * - `date`: a day picked from 年 / 月 / 日 buttons within the field's range.
 * - `choice`, `yes-no`, `multi-choice`: large option buttons in the form itself, no panel.
 */
export type InputKind = 'chinese' | 'initials' | 'phone' | 'count' | 'digits' | 'amount' | 'id-number' | 'code' | 'date' | 'choice' | 'yes-no' | 'multi-choice';

/** The panels the service can open. `pinyin` and `handwriting` are two ways to write Chinese, switchable. */
export type PanelName = 'pinyin' | 'handwriting' | 'letters' | 'digits' | 'amount' | 'id-number' | 'letters-digits' | 'date';

/** The kind of a catalog form field, from its type (contract/catalog.ts FieldType). */
export function inputKindOf(field: Pick<FormField, 'type'>): InputKind {
  switch (field.type) {
    case 'text':
    case 'address':
      return 'chinese';
    case 'mobile':
      return 'phone';
    case 'count':
      return 'count';
    case 'digits':
      return 'digits';
    case 'amount':
      return 'amount';
    case 'id-number':
      return 'id-number';
    case 'credit-code':
    case 'code':
      return 'code';
    case 'date':
      return 'date';
    case 'select':
    case 'division':
      return 'choice';
    case 'checkbox':
      return 'yes-no';
    case 'multi-select':
      return 'multi-choice';
    default:
      throw missingCase(field.type);
  }
}

/** The panel a kind opens first; null for kinds answered by option buttons in place. */
export function panelFor(kind: InputKind): PanelName | null {
  switch (kind) {
    case 'chinese':
      return 'pinyin';
    case 'initials':
      return 'letters';
    case 'phone':
    case 'count':
    case 'digits':
      return 'digits';
    case 'amount':
      return 'amount';
    case 'id-number':
      return 'id-number';
    case 'code':
      return 'letters-digits';
    case 'date':
      return 'date';
    case 'choice':
    case 'yes-no':
    case 'multi-choice':
      return null;
    default:
      throw missingCase(kind);
  }
}

/** The longest value a kind can hold when the field does not say (phone 11, ID number 18, …). */
export function lengthLimit(kind: InputKind, maxLength: number | undefined): number | undefined {
  if (kind === 'phone') return 11;
  if (kind === 'id-number') return 18;
  if (kind === 'amount') return maxLength ?? 15;
  return maxLength;
}

/**
 * One key applied to a value, by the rules of its kind; the value unchanged when the key is refused
 * (too long, a second decimal point, X anywhere but the 18th place). Keys are single characters;
 * 退格 and 清空 are the panel's own business.
 */
export function applyKey(kind: InputKind, value: string, key: string, maxLength?: number): string {
  const limit = lengthLimit(kind, maxLength);
  if (limit !== undefined && value.length >= limit) return value;
  switch (kind) {
    case 'phone':
    case 'count':
    case 'digits':
      if (!/^\d$/.test(key)) return value;
      // A count has no leading zero: 0 then 5 is 5.
      return kind === 'count' && value === '0' ? key : value + key;
    case 'amount':
      if (key === '.') {
        if (value.includes('.')) return value;
        return `${value === '' ? '0' : value}.`;
      }
      if (!/^\d$/.test(key)) return value;
      if (/\.\d{2}$/.test(value)) return value;
      return value === '0' ? key : value + key;
    case 'id-number': {
      const upper = key.toUpperCase();
      if (/^\d$/.test(upper)) return value + upper;
      // GB 11643: X is only ever the check character, the 18th.
      return upper === 'X' && value.length === 17 ? value + upper : value;
    }
    case 'initials': {
      const lower = key.toLowerCase();
      return /^[a-z]$/.test(lower) ? value + lower : value;
    }
    case 'code': {
      const upper = key.toUpperCase();
      if (/^[A-Z0-9]$/.test(upper)) return value + upper;
      // A hyphen joins two parts: never first, never doubled.
      return upper === '-' && value !== '' && !value.endsWith('-') ? value + upper : value;
    }
    case 'chinese':
    case 'date':
    case 'choice':
    case 'yes-no':
    case 'multi-choice':
      return value + key;
    default:
      throw missingCase(kind);
  }
}

/**
 * Text typed on a physical keyboard (a technician's, or an assistant's at the 帮办 desk) brought to what
 * the panel would have produced: every character passed through applyKey in turn.
 */
export function normaliseTyped(kind: InputKind, text: string, maxLength?: number): string {
  if (kind === 'chinese') return maxLength === undefined ? text : Array.from(text).slice(0, maxLength).join('');
  let value = '';
  for (const character of text) value = applyKey(kind, value, character, maxLength);
  return value;
}
