import { normaliseCode } from './text.js';

/** GB 32100-2015 unified social credit code: 18 characters, check = (31 − Σ mod 31) mod 31. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export function gb32100CheckChar(first17: string): string | null {
  let sum = 0;
  for (let index = 0; index < 17; index++) {
    const digit = ALPHABET.indexOf(first17[index] ?? '');
    if (digit < 0) return null;
    sum += digit * (WEIGHTS[index] ?? 0);
  }
  return ALPHABET[(31 - (sum % 31)) % 31] ?? null;
}

export function isValidCreditCode(raw: string): boolean {
  const value = normaliseCode(raw);
  if (value.length !== 18) return false;
  const check = gb32100CheckChar(value.slice(0, 17));
  return check !== null && check === value[17];
}
