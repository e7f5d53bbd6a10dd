import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Payloads are sealed with AES-256-GCM before they touch SQLite; the associated data binds each
 * ciphertext to its row (local number and kind), so rows cannot be swapped or replayed into another.
 * Layout: version(1) | iv(12) | tag(16) | ciphertext.
 */
const VERSION = 1;

export function seal(key: Buffer, plaintext: string, associatedData: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

export function open(key: Buffer, sealed: Buffer, associatedData: string): string {
  if (sealed[0] !== VERSION) throw new Error('unknown sealed payload version');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
}

/** Where the outbox key comes from, and how safe that is (shown on the technician screen). */
export interface KeySource {
  key: Buffer;
  /** `os-keyring`: wrapped by Electron safeStorage with a real keyring; `key-file`: a 0600 file beside the data. */
  protection: 'os-keyring' | 'key-file';
  detail: string;
}

/**
 * The key file fallback: used under plain Node and where Electron's safeStorage has no real keyring
 * (Linux `basic_text` backend, which is effectively plaintext). Created once with mode 0600.
 */
export function loadOrCreateKeyFile(file: string): KeySource {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(file).mode & 0o777;
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`outbox key file ${file} is not a 32-byte key`);
  return {
    key,
    protection: 'key-file',
    detail: mode & 0o077 ? `密钥文件权限过宽（${mode.toString(8)}），请改为 600` : '密钥保存在仅终端账户可读的文件中（系统无可用密钥环）',
  };
}
