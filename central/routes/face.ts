import { readFileSync } from 'node:fs';
import { FACE_VERIFY_PATH, FaceVerifyRequest } from '../../contract/central/face.js';
import { openFaceImage } from '../../contract/central/face-seal.js';
import type { FaceOutcome } from '../../contract/face.js';
import type { CentralContext } from '../context.js';
import { FACE_MATCH_THRESHOLD, FaceEngine, decodeImage } from '../face/engine.js';
import { badRequest, route, type Route } from '../http/routes.js';

/**
 * 人证核验 at central (issue 14): `POST /v1/identity/face-verify` compares the kiosk's live image with
 * central's own reference photo of the ID number's holder. The reference service holds reference photos
 * for its demo population only (`references`: ID number → JPEG/PNG file); a real central answers from
 * the population photo library. The live image is opened, compared and dropped in this request: never
 * logged, never stored; the answer carries the outcome only, never the score.
 */
export function faceRoutes({ store }: CentralContext, references: Readonly<Record<string, string>> = {}, engine = new FaceEngine()): Route[] {
  /** Reference descriptors by ID number, computed once per process (null: the photo holds no usable face). */
  const descriptors = new Map<string, Promise<number[] | null>>();
  function reference(idNumber: string): Promise<number[] | null> | null {
    const file = references[idNumber];
    if (!file) return null;
    let descriptor = descriptors.get(idNumber);
    if (!descriptor) {
      descriptor = engine.describe(decodeImage(readFileSync(file)));
      descriptors.set(idNumber, descriptor);
    }
    return descriptor;
  }
  return [
    route({
      method: 'POST',
      path: FACE_VERIFY_PATH,
      body: FaceVerifyRequest,
      async handle({ body, terminalId }) {
        const credentials = await store.terminals.credentials(terminalId);
        if (!credentials) throw badRequest('unknown terminal');
        let image: Buffer;
        try {
          image = openFaceImage(credentials.secret, terminalId, body.idNumber, body.sealedImage);
        } catch {
          throw badRequest('sealedImage does not open for this terminal and ID number');
        }
        const answer = (outcome: FaceOutcome) => ({ status: 200, body: { outcome } });
        const referenceDescriptor = reference(body.idNumber);
        if (!referenceDescriptor) return answer('unavailable');
        let live: ReturnType<typeof decodeImage>;
        try {
          live = decodeImage(image);
        } catch {
          throw badRequest('sealedImage is not a JPEG or PNG image');
        }
        let expected: number[] | null;
        let seen: number[] | null;
        try {
          [expected, seen] = await Promise.all([referenceDescriptor, engine.describe(live)]);
        } catch {
          // The model cannot run here now (files missing, out of memory): the kiosk offers staff instead.
          descriptors.delete(body.idNumber);
          return answer('unavailable');
        }
        if (!expected) return answer('unavailable');
        if (!seen) return answer('no-match');
        return answer((await engine.similarity(expected, seen)) >= FACE_MATCH_THRESHOLD ? 'match' : 'no-match');
      },
    }),
  ];
}
