import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Sealing of the live face image for central (issue 14), Node only (node:crypto), like request signing:
 * the host seals, the reference central opens. See contract/central/face.ts for the request itself.
 */
const SEAL_VERSION = 1;

/**
 * The sealing key for face images: HMAC-SHA256(terminal secret, label), so the image is readable only by
 * the holder of this terminal's signing secret (central), even where TLS ends early (a hall's proxy), and
 * the key used for signing is never used for encryption itself.
 */
function faceKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('taian-kiosk face-verify seal v1').digest();
}

/** What the ciphertext is bound to: a sealed image cannot be replayed under another terminal or person. */
function associatedData(keyId: string, idNumber: string): Buffer {
  return Buffer.from(`face-verify\n${keyId}\n${idNumber}`, 'utf8');
}

/**
 * Seals a live JPEG for central: AES-256-GCM (as the outbox's v1 records, host/services/outbox-crypto.ts)
 * under a key derived from the terminal's signing secret; answers base64. The plaintext stays in memory.
 */
export function sealFaceImage(secret: string, keyId: string, idNumber: string, jpeg: Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', faceKey(secret), iv);
  cipher.setAAD(associatedData(keyId, idNumber));
  const ciphertext = Buffer.concat([cipher.update(jpeg), cipher.final()]);
  return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/**
 * Opens what {@link sealFaceImage} sealed. Throws `Error('face image seal')` when the bytes were altered,
 * sealed for another terminal or person, or are not a sealed image at all.
 */
export function openFaceImage(secret: string, keyId: string, idNumber: string, sealedBase64: string): Buffer {
  const sealed = Buffer.from(sealedBase64, 'base64');
  if (sealed.length < 30 || sealed[0] !== SEAL_VERSION) throw new Error('face image seal');
  try {
    const decipher = createDecipheriv('aes-256-gcm', faceKey(secret), sealed.subarray(1, 13));
    decipher.setAAD(associatedData(keyId, idNumber));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
  } catch {
    throw new Error('face image seal');
  }
}
