import { z } from 'zod';

/**
 * 人证核验 between the kiosk's renderer and its host (issue 14): one live face image for one comparison.
 * Pure schemas, so the renderer may import them (contract/central/face.ts holds the sealing, Node only).
 */

/** Largest live image, bytes of JPEG (a 640×480 frame at quality 0.85 is about 60 KB). */
export const FACE_IMAGE_MAX_BYTES = 512 * 1024;

/**
 * - `match`: the live face is the ID number's holder as central's reference photo shows them.
 * - `no-match`: a face was found and is not that person, or the image held no usable face.
 * - `unavailable`: no reference photo for this person, central unreachable, or it cannot compare now.
 */
export const FaceOutcome = z.enum(['match', 'no-match', 'unavailable']);
export type FaceOutcome = z.infer<typeof FaceOutcome>;

/** `identity:verify-face` request: the live frame as base64 JPEG (checked for the JPEG signature by the host). */
export const FaceVerifyImage = z
  .object({ imageBase64: z.string().min(100).max(Math.ceil(FACE_IMAGE_MAX_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64') })
  .strict();
export type FaceVerifyImage = z.infer<typeof FaceVerifyImage>;

export const FaceVerifyResult = z.object({ outcome: FaceOutcome });
export type FaceVerifyResult = z.infer<typeof FaceVerifyResult>;
