import smCrypto from 'sm-crypto';
import { registerSm3 } from './signing.js';

/**
 * 国密 SM3 (GB/T 32905-2016) for request signing, in pure JS (sm-crypto) because Electron's BoringSSL
 * has no SM algorithms: the same code must run in the kiosk's host under Electron and in plain Node.
 * Importing this module switches on `hmac-sm3` in contract/central/signing.ts; the SHA-256 path never loads it.
 */
const { sm3 } = smCrypto;

export function sm3Hex(message: string | Uint8Array): string {
  return sm3(typeof message === 'string' ? message : Array.from(message));
}

/**
 * HMAC (RFC 2104) over SM3. The secret is taken as UTF-8 bytes, exactly as node:crypto's createHmac
 * takes a string key, so a terminal secret means the same under either algorithm.
 */
export function hmacSm3Hex(secret: string | Uint8Array, message: string | Uint8Array): string {
  const key = Array.from(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
  return sm3(typeof message === 'string' ? message : Array.from(message), { key, mode: 'hmac' });
}

registerSm3((secret, message) => hmacSm3Hex(secret, message));
