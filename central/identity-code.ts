import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The reference central's 电子身份码 (爱山东 QR login, issue 14): short-lived codes sealed with AES-256-GCM
 * (NIST SP 800-38D) under a key only central holds. A code is `EID1.` + base64url(IV ‖ ciphertext ‖ tag);
 * the sealed payload names the person and the instant the code stops being valid. A changed byte fails
 * the tag (`invalid`), a late code its expiry (`expired`); the kiosk cannot read or make one.
 *
 * The real province issues these from the 爱山东 app after its own real-name check; the reference central
 * stands in for it for its demo population so the whole path (phone → scanner → kiosk → central) is tested.
 * Central derives the key from its seal's private key (`identityCodeKey`), which every process of one
 * deployment reads from the same file, so a code issued by one worker opens at another. Without a seal key
 * a process makes its own at start (codes then do not outlive a restart; five minutes is their life anyway).
 */

const Payload = z.object({ id: z.string().min(6).max(36), exp: z.number().int().positive() }).strict();

/** How long a code is valid: long enough to walk from the app to the scanner, short enough to be useless later. */
export const IDENTITY_CODE_TTL_MS = 5 * 60_000;
const PREFIX = 'EID1.';

export type CodeCheck = { ok: true; idNumber: string } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * The 32-byte AES key for identity codes, derived from central's seal private key (64 hex) with HKDF-SHA256
 * (RFC 5869) under its own label: the seal key itself never encrypts anything, and knowing an identity-code
 * key tells nothing about the seal key.
 */
export function identityCodeKey(sealPrivateKeyHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(sealPrivateKeyHex, 'hex'), Buffer.alloc(0), 'taian-kiosk identity code EID1', 32));
}

export class IdentityCodeSeal {
  private readonly key: Buffer;

  /** `key`: 32 bytes (AES-256); a fresh random key by default. */
  constructor(
    private readonly now: () => Date,
    key: Buffer = randomBytes(32),
    private readonly ttlMs: number = IDENTITY_CODE_TTL_MS,
  ) {
    if (key.length !== 32) throw new RangeError('identity code key must be 32 bytes');
    this.key = key;
  }

  /** A fresh code for `idNumber`, valid `ttlMs` from now. */
  issue(idNumber: string): { code: string; expiresAt: string } {
    const exp = this.now().getTime() + this.ttlMs;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify({ id: idNumber, exp }), 'utf8'), cipher.final()]);
    return { code: PREFIX + Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url'), expiresAt: new Date(exp).toISOString() };
  }

  /** Opens a code: the ID number it was issued for, or why not. Never throws on any input. */
  verify(code: string): CodeCheck {
    if (!code.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(code.slice(PREFIX.length))) return { ok: false, reason: 'invalid' };
    const bytes = Buffer.from(code.slice(PREFIX.length), 'base64url');
    if (bytes.length < 12 + 16 + 8) return { ok: false, reason: 'invalid' };
    let payload: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      payload = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    const parsed = Payload.safeParse(payload);
    if (!parsed.success) return { ok: false, reason: 'invalid' };
    if (parsed.data.exp <= this.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, idNumber: parsed.data.id };
  }
}
