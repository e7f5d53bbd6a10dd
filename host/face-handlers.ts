import { FACE_VERIFY_PATH, FaceVerifyResponse } from '../contract/central/face.js';
import { sealFaceImage } from '../contract/central/face-seal.js';
import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import type { AuditChain } from './services/audit-chain.js';
import type { CentralClient } from './services/central-client.js';
import type { Logger } from './services/log.js';
import type { SessionService } from './services/session.js';

/** The 人证核验 channel, handled here beside nothing else (host/main.ts spreads it into the handlers). */
export type FaceChannel = 'identity:verify-face';

export interface FaceServices {
  session: Pick<SessionService, 'current' | 'faceRound' | 'noteFaceVerdict'>;
  client: Pick<CentralClient, 'call' | 'key'>;
  audit: Pick<AuditChain, 'append'>;
  log: Logger;
}

/**
 * How long the citizen waits for central's comparison, ms: a model run there takes about half a second
 * on CPU (README 人证核验); past this the kiosk offers staff instead of a spinner.
 */
export const FACE_VERIFY_TIMEOUT_MS = 8_000;

const NO_IDENTITY = '请先将身份证放在读卡区，再进行人脸核验';

/**
 * `identity:verify-face`: the live frame against the session holder's reference photo at central. The ID
 * number is the session's, never the renderer's: the page cannot point the check at someone else. The
 * image is held only in this call's memory, sealed for central (contract/central/face.ts), and dropped;
 * the audit and the log record that a comparison happened and its answer, never the image or a score.
 * Central's answer is only a pending verdict of the attempt open when the call began (session.faceRound):
 * the page may send the frame before the liveness check has finished, so the session's check passes only
 * when the page then reports `match` for that same attempt (identity:face-outcome); an attempt reported
 * (e.g. liveness failed) before central answers drops the answer.
 */
export function createFaceHandlers({ session, client, audit, log }: FaceServices): Pick<Handlers, FaceChannel> {
  return {
    'identity:verify-face': async ({ imageBase64 }) => {
      const identity = session.current()?.identity;
      const round = session.faceRound();
      if (!identity || round === null) return fail('no-identity', NO_IDENTITY);
      const image = Buffer.from(imageBase64, 'base64');
      if (image[0] !== 0xff || image[1] !== 0xd8 || image[2] !== 0xff) return fail('bad-image', '照片没有拍好，请再试一次');
      const key = client.key;
      const outcome = await client.call(
        'POST',
        FACE_VERIFY_PATH,
        FaceVerifyResponse,
        { idNumber: identity.idNumber, sealedImage: sealFaceImage(key.secret, key.keyId, identity.idNumber, image) },
        { timeoutMs: FACE_VERIFY_TIMEOUT_MS },
      );
      image.fill(0);
      const result = outcome.kind === 'ok' ? outcome.value.outcome : 'unavailable';
      session.noteFaceVerdict(result, round);
      const pseudonym = log.pseudonym(identity.idNumber);
      audit.append({ actor: 'citizen', event: 'identity.face-check', pseudonym, outcome: result });
      log.log('info', 'identity.face-check', { applicant: pseudonym, outcome: result, ...(outcome.kind === 'ok' ? {} : { central: outcome.kind, reason: outcome.reason }) });
      return ok({ outcome: result });
    },
  };
}
