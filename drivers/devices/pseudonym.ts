/**
 * Logs may say "the same card again" but never whose card (DOMAIN.md §7): they carry a pseudonym,
 * the first 8 hex digits of an HMAC-SHA256 of the value. With the default per-process key the
 * pseudonyms do not link across restarts; pass a configured key where audit records must link.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type Pseudonymizer = (value: string) => string;

export function createPseudonymizer(key: Uint8Array = randomBytes(32)): Pseudonymizer {
  const secret = Buffer.from(key);
  return (value) => createHmac('sha256', secret).update(value, 'utf8').digest('hex').slice(0, 8);
}

/** Process-wide pseudonymizer with a random key. */
export const pseudonym: Pseudonymizer = createPseudonymizer();
