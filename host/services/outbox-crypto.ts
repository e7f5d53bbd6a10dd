import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import smCrypto from 'sm-crypto';
import { hmacSm3Hex } from '../../contract/central/sm3.js';
import { setAside, writeFileAtomic } from './state-file.js';

/**
 * Payloads are sealed before they touch SQLite; the associated data binds each ciphertext to its row
 * (local number and kind), so rows cannot be swapped or replayed into another. The first byte names the
 * cipher, so a kiosk switched to 国密 still opens what it sealed before the switch.
 *
 * - v1 `aes-256-gcm`: version(1) | iv(12) | tag(16) | ciphertext. node:crypto (BoringSSL under Electron).
 * - v2 `sm4-cbc-hmac-sm3`: version(1) | iv(16) | tag(32) | ciphertext. SM4 (GB/T 32907) in CBC mode with
 *   PKCS#7 padding, then HMAC-SM3 over version | iv | aad length | aad | ciphertext (encrypt-then-MAC).
 *   This is NOT SM4-GCM: sm-crypto, the pure-JS library we can run under Electron (whose BoringSSL has no
 *   SM algorithms), offers only ECB and CBC. Encrypt-then-MAC with independent sub-keys gives the same
 *   guarantees we use GCM for (confidentiality, integrity, AAD binding); it is slower, which the outbox
 *   bench shows.
 */
export type OutboxCipher = 'aes-256-gcm' | 'sm4-cbc-hmac-sm3';

const AES_GCM = 1;
const SM4_CBC_HMAC_SM3 = 2;

export function seal(key: Buffer, plaintext: string, associatedData: string, cipher: OutboxCipher = 'aes-256-gcm'): Buffer {
  return cipher === 'aes-256-gcm' ? sealAesGcm(key, plaintext, associatedData) : sealSm4(key, plaintext, associatedData);
}

export function open(key: Buffer, sealed: Buffer, associatedData: string): string {
  if (sealed[0] === AES_GCM) return openAesGcm(key, sealed, associatedData);
  if (sealed[0] === SM4_CBC_HMAC_SM3) return openSm4(key, sealed, associatedData);
  throw new Error('unknown sealed payload version');
}

function sealAesGcm(key: Buffer, plaintext: string, associatedData: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([AES_GCM]), iv, cipher.getAuthTag(), ciphertext]);
}

function openAesGcm(key: Buffer, sealed: Buffer, associatedData: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
}

/** Independent SM4 and MAC keys from the one outbox key, so neither use weakens the other. */
const sm4Keys = new WeakMap<Buffer, { encryption: string; mac: Buffer }>();
function sm4KeysOf(key: Buffer): { encryption: string; mac: Buffer } {
  let keys = sm4Keys.get(key);
  if (!keys) {
    keys = {
      encryption: hmacSm3Hex(key, 'taian-kiosk outbox sm4 encryption').slice(0, 32),
      mac: Buffer.from(hmacSm3Hex(key, 'taian-kiosk outbox hmac-sm3'), 'hex'),
    };
    sm4Keys.set(key, keys);
  }
  return keys;
}

function sm4Tag(macKey: Buffer, header: Buffer, associatedData: string, ciphertext: Buffer): Buffer {
  const aad = Buffer.from(associatedData, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(aad.length);
  return Buffer.from(hmacSm3Hex(macKey, Buffer.concat([header, length, aad, ciphertext])), 'hex');
}

function sealSm4(key: Buffer, plaintext: string, associatedData: string): Buffer {
  const keys = sm4KeysOf(key);
  const iv = randomBytes(16);
  const ciphertext = Buffer.from(
    smCrypto.sm4.encrypt(Array.from(Buffer.from(plaintext, 'utf8')), keys.encryption, { mode: 'cbc', iv: iv.toString('hex'), padding: 'pkcs#7', output: 'array' }),
  );
  const header = Buffer.concat([Buffer.from([SM4_CBC_HMAC_SM3]), iv]);
  return Buffer.concat([header, sm4Tag(keys.mac, header, associatedData, ciphertext), ciphertext]);
}

function openSm4(key: Buffer, sealed: Buffer, associatedData: string): string {
  const keys = sm4KeysOf(key);
  const header = sealed.subarray(0, 17);
  const tag = sealed.subarray(17, 49);
  const ciphertext = sealed.subarray(49);
  const expected = sm4Tag(keys.mac, header, associatedData, ciphertext);
  // Check before decrypting: a CBC padding error must never be observable (padding-oracle).
  if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) throw new Error('sealed payload failed authentication');
  const plaintext = smCrypto.sm4.decrypt(Array.from(ciphertext), keys.encryption, { mode: 'cbc', iv: header.subarray(1).toString('hex'), padding: 'pkcs#7', output: 'array' });
  return Buffer.from(plaintext).toString('utf8');
}

/** Where the outbox key comes from, and how safe that is (shown on the technician screen). */
export interface KeySource {
  key: Buffer;
  /** `os-keyring`: wrapped by Electron safeStorage with a real keyring; `key-file`: a 0600 file beside the data. */
  protection: 'os-keyring' | 'key-file';
  detail: string;
  /**
   * The key file was damaged (not 32 bytes of base64) and was set aside for a new key: what it sealed no
   * longer opens, which is a storage fault for a technician, never a reason not to start.
   */
  replacedDamagedKey?: string;
}

/**
 * The key file fallback: used under plain Node and where Electron's safeStorage has no real keyring
 * (Linux `basic_text` backend, which is effectively plaintext). Created once with mode 0600.
 */
export function loadOrCreateKeyFile(file: string): KeySource {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole and durably: a key file cut by a power cut (0 bytes) stopped every later start.
  if (!existsSync(file)) writeFileAtomic(file, randomBytes(32).toString('base64'));
  let replacedDamagedKey: string | undefined;
  let key = readKey(file);
  if (!key) {
    replacedDamagedKey = setAside(file) ?? undefined;
    writeFileAtomic(file, randomBytes(32).toString('base64'));
    key = readKey(file) ?? Buffer.alloc(0);
  }
  const mode = statSync(file).mode & 0o777;
  return {
    key,
    protection: 'key-file',
    detail: mode & 0o077 ? `密钥文件权限过宽（${mode.toString(8)}），请改为 600` : '密钥保存在仅终端账户可读的文件中（系统无可用密钥环）',
    ...(replacedDamagedKey ? { replacedDamagedKey } : {}),
  };
}

function readKey(file: string): Buffer | null {
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}
