import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { hmacSm3Hex, sm3Hex } from '../../../contract/central/sm3.js';
import { signRequest, verifyRequest } from '../../../contract/central/signing.js';
import { open, seal } from '../../../host/services/outbox-crypto.js';

/**
 * 国密 through sm-crypto (pure JS, as it must run under Electron's BoringSSL). Vectors from the
 * standards; where Node's OpenSSL happens to have the algorithm, it serves as an independent second
 * implementation to cross-check against.
 */
describe('SM3 (GB/T 32905-2016)', () => {
  it('hashes "abc" to the standard example digest', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes the 64-byte example ("abcd" × 16) to the standard digest', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('computes HMAC-SM3 (RFC 2104) as OpenSSL does', () => {
    const secret = randomBytes(32).toString('hex');
    const message = 'POST\n/v1/applications\n1767600000000\nnonce\ndigest';
    expect(hmacSm3Hex(secret, message)).toBe(createHmac('sm3', secret).update(message).digest('hex'));
  });
});

describe('SM4 (GB/T 32907-2016)', () => {
  const key = '0123456789abcdeffedcba9876543210';
  const plain = Array.from(Buffer.from(key, 'hex'));

  it('encrypts the standard example block', () => {
    expect(smCrypto.sm4.encrypt(plain, key, { padding: 'none' })).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('decrypts it back', () => {
    expect(smCrypto.sm4.decrypt('681edf34d206965e86b3e94f536e4246', key, { padding: 'none', output: 'array' })).toEqual(plain);
  });

  it('agrees with OpenSSL in CBC mode with PKCS#7 padding', () => {
    const iv = randomBytes(16);
    const text = '申请人 王秀兰 370902195803171240'.repeat(3);
    const ours = smCrypto.sm4.encrypt(text, key, { mode: 'cbc', iv: iv.toString('hex') });
    const cipher = createCipheriv('sm4-cbc', Buffer.from(key, 'hex'), iv);
    expect(ours).toBe(Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('hex'));
  });
});

describe('SM2 (GB/T 32918)', () => {
  it('verifies its own signature and rejects it for another message or key', () => {
    const keys = smCrypto.sm2.generateKeyPairHex();
    const other = smCrypto.sm2.generateKeyPairHex();
    const signature = smCrypto.sm2.doSignature('TA-0001|2026-03-02', keys.privateKey, { hash: true, der: true });
    expect(smCrypto.sm2.doVerifySignature('TA-0001|2026-03-02', signature, keys.publicKey, { hash: true, der: true })).toBe(true);
    expect(smCrypto.sm2.doVerifySignature('TA-0001|2026-03-03', signature, keys.publicKey, { hash: true, der: true })).toBe(false);
    expect(smCrypto.sm2.doVerifySignature('TA-0001|2026-03-02', signature, other.publicKey, { hash: true, der: true })).toBe(false);
  });
});

describe('HMAC-SM3 request signing', () => {
  const secret = randomBytes(32).toString('hex');
  const lookupSecret = () => ({ secret, algorithm: 'hmac-sm3' as const });
  const NOW = Date.parse('2026-03-02T08:00:00Z');

  it('signs a request the verifier accepts', async () => {
    const headers = signRequest({ keyId: 'TA-1', secret, algorithm: 'hmac-sm3' }, 'POST', '/v1/heartbeat', '{}', NOW);
    expect(await verifyRequest(headers, 'POST', '/v1/heartbeat', '{}', { lookupSecret, claimNonce: () => true, now: NOW })).toEqual({ ok: true, keyId: 'TA-1' });
  });

  it('is refused when the terminal is registered for SM3 but signs with SHA-256', async () => {
    const headers = signRequest({ keyId: 'TA-1', secret }, 'POST', '/v1/heartbeat', '{}', NOW);
    expect(await verifyRequest(headers, 'POST', '/v1/heartbeat', '{}', { lookupSecret, claimNonce: () => true, now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('SM4 outbox sealing', () => {
  const key = randomBytes(32);

  it('opens what it sealed, bound to its row', () => {
    const sealed = seal(key, '{"idNumber":"370902195803171240"}', 'TA-1-20260302-0001|application', 'sm4-cbc-hmac-sm3');
    expect(sealed[0]).toBe(2);
    expect(open(key, sealed, 'TA-1-20260302-0001|application')).toBe('{"idNumber":"370902195803171240"}');
    expect(() => open(key, sealed, 'TA-1-20260302-0002|application')).toThrow(/authentication/);
  });

  it('rejects a flipped ciphertext bit before decrypting', () => {
    const sealed = seal(key, 'x'.repeat(40), 'row', 'sm4-cbc-hmac-sm3');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => open(key, sealed, 'row')).toThrow(/authentication/);
  });

  it('still opens AES-GCM items sealed before a switch to 国密', () => {
    const before = seal(key, 'old', 'row');
    expect(open(key, before, 'row')).toBe('old');
  });
});
