import { z } from 'zod';
import { FACE_IMAGE_MAX_BYTES, FaceOutcome } from '../face.js';

/**
 * 人证核验 at central (issue 14): the kiosk sends one live face image, sealed, with the ID number; central
 * compares it with its reference photo of that person and answers match / no-match / unavailable.
 * Nothing about the comparison score crosses the wire: the kiosk needs the outcome only, and a score
 * would let a caller tune an attack image against the threshold.
 */
export const FACE_VERIFY_PATH = '/v1/identity/face-verify';

/** Sealed bytes are version(1) | iv(12) | tag(16) | ciphertext, sent base64: 4/3 of that, rounded up. */
const SEALED_MAX_BASE64 = Math.ceil(((FACE_IMAGE_MAX_BYTES + 29) * 4) / 3) + 4;

/** POST /v1/identity/face-verify body. `sealedImage` is what {@link sealFaceImage} returns. */
export const FaceVerifyRequest = z.object({
  idNumber: z.string().min(6).max(36),
  sealedImage: z.string().min(40).max(SEALED_MAX_BASE64).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
});
export type FaceVerifyRequest = z.infer<typeof FaceVerifyRequest>;

/** The answer: the outcome only (contract/face.ts says what each means). */
export const FaceVerifyResponse = z.object({ outcome: FaceOutcome });
export type FaceVerifyResponse = z.infer<typeof FaceVerifyResponse>;
