import type { FaceVerifyResult } from '../../../../contract/face.js';
import type { Result } from '../../../../contract/result.js';

/**
 * One face-check attempt's outcome, what FaceCheck.vue emits (issue 14). The flow around it decides what
 * follows: 核验通过 (match); 未能确认是本人, try again up to 3 times then offer staff (no-match,
 * liveness-failed); 无法核验, offer staff or the window (unavailable). Never a score.
 */
export interface FaceCheckOutcome {
  kind: 'match' | 'no-match' | 'liveness-failed' | 'unavailable';
}

/**
 * The host's answer to `identity:verify-face` as an outcome: central's word when it gave one; any error
 * (no session identity, bridge down, refused image) is `unavailable`, because the citizen can do nothing
 * about it at the camera and must be offered staff instead.
 */
export function outcomeOfVerification(result: Result<FaceVerifyResult>): FaceCheckOutcome {
  return { kind: result.ok ? result.value.outcome : 'unavailable' };
}
