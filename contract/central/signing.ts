import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Terminal request signing. Every request to central carries who signed it (key id), when (timestamp),
 * a one-time nonce and the body's digest; the signature covers all of them plus method and path, so a
 * captured request cannot be replayed, retargeted or altered. HMAC-SHA256 by default; `sm3` selects
 * HMAC-SM3 (国密) computed in pure JS, because Electron's BoringSSL has no SM algorithms.
 */
export const SIGNATURE_HEADERS = {
  keyId: 'x-terminal-key-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  digest: 'x-content-sha256',
  signature: 'x-signature',
  algorithm: 'x-signature-algorithm',
} as const;

export type SignatureAlgorithm = 'hmac-sha256' | 'hmac-sm3';

export interface SigningKey {
  keyId: string;
  secret: string;
  algorithm?: SignatureAlgorithm;
}

export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalString(method: string, pathWithQuery: string, timestamp: string, nonce: string, digest: string): string {
  return [method.toUpperCase(), pathWithQuery, timestamp, nonce, digest].join('\n');
}

type Mac = (secret: string, message: string) => string;
const macs: Record<SignatureAlgorithm, Mac> = {
  'hmac-sha256': (secret, message) => createHmac('sha256', secret).update(message).digest('hex'),
  'hmac-sm3': (secret, message) => hmacSm3Hex(secret, message),
};

/** Registered by contract/central/sm3.ts so that the SHA-256 path does not load the SM library. */
let hmacSm3Hex: Mac = () => {
  throw new Error('SM3 not loaded: import contract/central/sm3.js');
};
export function registerSm3(mac: Mac): void {
  hmacSm3Hex = mac;
}

export function signRequest(key: SigningKey, method: string, pathWithQuery: string, body: string, now = Date.now()): Record<string, string> {
  const algorithm = key.algorithm ?? 'hmac-sha256';
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('hex');
  const digest = sha256Hex(body);
  const signature = macs[algorithm](key.secret, canonicalString(method, pathWithQuery, timestamp, nonce, digest));
  return {
    [SIGNATURE_HEADERS.keyId]: key.keyId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.digest]: digest,
    [SIGNATURE_HEADERS.signature]: signature,
    [SIGNATURE_HEADERS.algorithm]: algorithm,
  };
}

export type VerifyFailure = 'missing-headers' | 'unknown-key' | 'stale-timestamp' | 'bad-digest' | 'bad-signature' | 'replayed-nonce';

/** The look-ups may answer at once or from a database server (a promise). */
export interface VerifyOptions {
  lookupSecret(keyId: string): MaybePromise<{ secret: string; algorithm: SignatureAlgorithm } | null>;
  /** Records the nonce; returns false if it was seen before (within the window). */
  claimNonce(keyId: string, nonce: string, timestamp: number): MaybePromise<boolean>;
  now?: number;
  /** Allowed clock skew either way, ms. */
  windowMs?: number;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Checks a signed request: headers present and well formed, key known, algorithm the key's, timestamp
 * within the window, body digest, signature; and only then claims the nonce. Resolves to the key id or
 * the first reason it failed; rejects only when a look-up does.
 */
export async function verifyRequest(
  headers: Record<string, string | string[] | undefined>,
  method: string,
  pathWithQuery: string,
  body: string,
  options: VerifyOptions,
): Promise<{ ok: true; keyId: string } | { ok: false; reason: VerifyFailure }> {
  const read = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const keyId = read(SIGNATURE_HEADERS.keyId);
  const timestamp = read(SIGNATURE_HEADERS.timestamp);
  const nonce = read(SIGNATURE_HEADERS.nonce);
  const digest = read(SIGNATURE_HEADERS.digest);
  const signature = read(SIGNATURE_HEADERS.signature);
  if (!keyId || !timestamp || !nonce || !digest || !signature || !/^\d{10,16}$/.test(timestamp) || !/^[0-9a-f]{16,64}$/.test(nonce)) {
    return { ok: false, reason: 'missing-headers' };
  }
  const key = await options.lookupSecret(keyId);
  if (!key) return { ok: false, reason: 'unknown-key' };
  if ((read(SIGNATURE_HEADERS.algorithm) ?? 'hmac-sha256') !== key.algorithm) return { ok: false, reason: 'bad-signature' };
  const now = options.now ?? Date.now();
  if (Math.abs(now - Number(timestamp)) > (options.windowMs ?? 300_000)) return { ok: false, reason: 'stale-timestamp' };
  if (sha256Hex(body) !== digest) return { ok: false, reason: 'bad-digest' };
  const expected = Buffer.from(macs[key.algorithm](key.secret, canonicalString(method, pathWithQuery, timestamp, nonce, digest)), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  // Claim the nonce only for an authentic request, so forged traffic cannot burn real nonces.
  if (!(await options.claimNonce(keyId, nonce, Number(timestamp)))) return { ok: false, reason: 'replayed-nonce' };
  return { ok: true, keyId };
}
