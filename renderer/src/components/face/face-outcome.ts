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

/**
 * What happened in one attempt, for the face harness and the benchmark only (never shown on a citizen
 * screen: the citizen is told 未能确认是本人 whatever the reason). FaceCheck emits it as `trace` just
 * before `outcome`.
 * - `reason`: why it ended: `central:match`, `central:no-match`, `central:unavailable` (central's answer
 *   or the bridge failing), `liveness:<LivenessState failed reason>`, `camera:<DOMException name>` (no
 *   camera, refused, unplugged), `capture:none` (no frame could be drawn), `model:failed`.
 * - `actions`: the actions asked, in order.
 * - `marks`: milestones, ms since the check was mounted (the tap): `camera-live` (picture playing),
 *   `first-frame` (first frame analysed), `in-position` (face steady in the oval), `asked-1`/`answered-1`,
 *   `asked-2`/`answered-2`, `frame-sent` (the comparison frame to the host), `answer-back` (central's
 *   answer in), `outcome` (emitted). A milestone not reached is absent.
 */
export interface FaceCheckTrace {
  reason: string;
  actions: string[];
  marks: Partial<Record<FaceCheckMark, number>>;
}

/** The milestones of {@link FaceCheckTrace}, in the order an attempt reaches them (frame-sent may come before asked-2). */
export const FACE_CHECK_MARKS = ['camera-live', 'first-frame', 'in-position', 'asked-1', 'answered-1', 'frame-sent', 'asked-2', 'answered-2', 'answer-back', 'outcome'] as const;
export type FaceCheckMark = (typeof FACE_CHECK_MARKS)[number];
