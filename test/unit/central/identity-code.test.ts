import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IDENTITY_CODE_TTL_MS, IdentityCodeSeal } from '../../../central/identity-code.js';

const codes = JSON.parse(readFileSync(new URL('../../fixtures/identity/codes.json', import.meta.url), 'utf8')) as Record<string, string>;
const key = Buffer.from(codes.key ?? '', 'hex');
const at = (iso: string) => new IdentityCodeSeal(() => new Date(iso), key);

describe('IdentityCodeSeal (reference 电子身份码, issue 14)', () => {
  it('opens the golden valid code to its holder within its five minutes', () => {
    expect(at(codes.verifiedAt ?? '').verify(codes.valid ?? '')).toEqual({ ok: true, idNumber: codes.idNumber });
    expect(at('2026-12-01T10:04:59.999Z').verify(codes.valid ?? '')).toEqual({ ok: true, idNumber: codes.idNumber });
  });

  it('refuses it from the instant it expires, and the golden expired code', () => {
    expect(at('2026-12-01T10:05:00.000Z').verify(codes.valid ?? '')).toEqual({ ok: false, reason: 'expired' });
    expect(at(codes.verifiedAt ?? '').verify(codes.expired ?? '')).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a forged, truncated or garbled code, and one sealed under another key, as invalid', () => {
    const seal = at(codes.verifiedAt ?? '');
    for (const name of ['forged', 'truncated']) expect(seal.verify(codes[name] ?? ''), name).toEqual({ ok: false, reason: 'invalid' });
    for (const text of ['', 'EID1.', 'EID1.!!!!', `EID1.${'A'.repeat(80)}`, 'TA20261201000042']) expect(seal.verify(text), text).toEqual({ ok: false, reason: 'invalid' });
    expect(new IdentityCodeSeal(() => new Date(codes.verifiedAt ?? ''), Buffer.alloc(32, 8)).verify(codes.valid ?? '')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('issues codes that verify, differ each time, and carry the ID number sealed, not readable', () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const seal = new IdentityCodeSeal(() => new Date(now));
    const first = seal.issue('370902198804120027');
    const second = seal.issue('370902198804120027');
    expect(first.code).not.toBe(second.code);
    expect(first.expiresAt).toBe(new Date(now + IDENTITY_CODE_TTL_MS).toISOString());
    expect(Buffer.from(first.code.slice(5), 'base64url').toString('latin1')).not.toContain('370902');
    expect(seal.verify(first.code)).toEqual({ ok: true, idNumber: '370902198804120027' });
    now += IDENTITY_CODE_TTL_MS;
    expect(seal.verify(second.code)).toEqual({ ok: false, reason: 'expired' });
  });

  it('wants a 32-byte key', () => {
    expect(() => new IdentityCodeSeal(() => new Date(), Buffer.alloc(16))).toThrow(RangeError);
  });
});
