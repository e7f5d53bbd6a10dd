/**
 * What a scanned code is, decided where the scanner's text enters the kiosk (issue 14). Pure: text in,
 * a class out; nothing is logged and the raw text never goes further than the caller that asked.
 *
 * - `case`: a receipt's progress QR or a bare case / local number (办件查询); recognised by `caseRefOf`,
 *   the host's reading of its own receipts (host/services/progress-code.ts), passed in so the two never differ.
 * - `identity-code`: a 电子身份码 as the reference central issues it (`EID1.` then base64url of an AES-GCM
 *   sealed token: 12-byte IV, ciphertext, 16-byte tag; central/identity-code.ts). The kiosk cannot open
 *   the seal, and should not: only its shape is checked here, and central verifies it (signature, expiry).
 * - `unknown`: anything else (a payment code, another site's URL, scanner noise, a line too long to be
 *   either). Unknown text is dropped: it may carry someone's personal data.
 */
export type ScanClass = { kind: 'case'; caseRef: string } | { kind: 'identity-code'; code: string } | { kind: 'unknown' };

/** Prefix of the reference 电子身份码 format, version 1. */
export const IDENTITY_CODE_PREFIX = 'EID1.';
/** IV 12 + tag 16 + at least 8 bytes of payload, base64url (no padding): at least 48 characters. */
const IDENTITY_CODE = /^EID1\.[A-Za-z0-9_-]{48,400}$/;
/** Longer than this is never a code of either kind (and is not worth a regular expression's time). */
const MAX_TEXT = 512;

export function classifyScan(text: string, caseRefOf: (text: string) => string | null): ScanClass {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TEXT) return { kind: 'unknown' };
  if (IDENTITY_CODE.test(trimmed)) return { kind: 'identity-code', code: trimmed };
  const caseRef = caseRefOf(trimmed);
  return caseRef ? { kind: 'case', caseRef } : { kind: 'unknown' };
}
