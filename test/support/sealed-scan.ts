import { open as openSealed } from '../../host/services/outbox-crypto.js';

/**
 * The byte scan of issue 10, kind 7: is any copy of a sealed payload left in these bytes that the key
 * still opens? Every window of the payload's length that starts with its cipher's version byte is tried
 * with the key and the payload's associated data (the decryption is the witness: a window that opens is a
 * readable copy, wherever in the file it lies). The payload's random IV is also looked for on its own.
 */
export interface SealedPayload {
  sealed: Buffer;
  /** `<local number>|<kind>`, what the payload was sealed with. */
  associatedData: string;
}

export interface ScanHit {
  file: string;
  offset: number;
  what: 'decrypts' | 'iv-present';
}

/** IV bytes of a sealed payload: 12 after the version byte (AES-GCM) or 16 (SM4-CBC). */
function ivOf(sealed: Buffer): Buffer {
  return sealed.subarray(1, sealed[0] === 1 ? 13 : 17);
}

export function scanForSealed(files: ReadonlyArray<{ name: string; bytes: Buffer }>, key: Buffer, payloads: readonly SealedPayload[]): ScanHit[] {
  const hits: ScanHit[] = [];
  for (const { name, bytes } of files) {
    for (const payload of payloads) {
      const ivAt = bytes.indexOf(ivOf(payload.sealed));
      if (ivAt >= 0) hits.push({ file: name, offset: ivAt, what: 'iv-present' });
      const length = payload.sealed.length;
      for (let offset = bytes.indexOf(payload.sealed[0] ?? 0); offset >= 0 && offset + length <= bytes.length; offset = bytes.indexOf(payload.sealed[0] ?? 0, offset + 1)) {
        try {
          openSealed(key, bytes.subarray(offset, offset + length), payload.associatedData);
          hits.push({ file: name, offset, what: 'decrypts' });
        } catch {
          // Not a copy: authentication fails.
        }
      }
    }
  }
  return hits;
}
