import { z } from 'zod';

/**
 * 人证核验 (issue 14): how sure the kiosk must be that the person at the screen is the holder of the
 * identity it read, per catalog service, and the rules of the check. Pure: the renderer uses it to say
 * what is offered next, the host uses the same functions to refuse a submission that lacks the check.
 *
 * Source: the rules on face recognition in force since 2025-06-01 (人脸识别技术应用安全管理办法): a face
 * check is never the only way in, and whoever cannot or will not pass it gets another way. Here the other
 * ways are 人工核验 by hall staff on the kiosk (工号 + PIN) and the window (到窗口办理).
 */

/**
 * A service's assurance level:
 * - `card`: the card (or a verified 电子身份码) is enough: guides, enquiries that show nothing personal;
 * - `card+face`: a face check against the card holder is the way the screen puts first; a citizen who
 *   declines it or cannot pass it gets 人工核验 by staff (offered from the start, before any camera turns
 *   on: the "another way in"), and the window always;
 * - `card+face-or-staff`: the face check and 人工核验 side by side as equals (items a citizen often does
 *   with a helper at hand: elderly and disability services), the window always.
 */
export const IdentityAssurance = z.enum(['card', 'card+face', 'card+face-or-staff']);
export type IdentityAssurance = z.infer<typeof IdentityAssurance>;

/** How the identity was confirmed on the kiosk: 刷脸核验, or 人工核验 by a staff member in person. */
export const IdentityCheckMethod = z.enum(['face', 'staff']);
export type IdentityCheckMethod = z.infer<typeof IdentityCheckMethod>;

/**
 * The check as it is recorded on the case (SubmitApplicationBody → central's record): the method, the
 * staff 工号 for 人工核验, and the outcome. Never an image, never a score (issue 14, "Face data rules").
 */
export const IdentityCheckRecord = z.discriminatedUnion('method', [
  z.object({ method: z.literal('face'), outcome: z.literal('passed') }).strict(),
  z.object({ method: z.literal('staff'), staffNumber: z.string().regex(/^[0-9A-Za-z]{2,16}$/), outcome: z.literal('passed') }).strict(),
]);
export type IdentityCheckRecord = z.infer<typeof IdentityCheckRecord>;

/** Plain Chinese name of a method, as central's record and the receipt show it. */
export const CHECK_METHOD_LABELS: Record<IdentityCheckMethod, string> = { face: '刷脸核验', staff: '人工核验' };

/** Does this level ask for a check after the card is read? */
export function needsIdentityCheck(assurance: IdentityAssurance): boolean {
  return assurance !== 'card';
}

/** Does a recorded check satisfy the level? Any passed check does (face or staff); `card` needs none. */
export function checkSatisfies(assurance: IdentityAssurance, check: IdentityCheckRecord | null): boolean {
  return !needsIdentityCheck(assurance) || check?.outcome === 'passed';
}

/** What one face-check attempt reported (K2's FaceCheck component emits one of these per attempt). */
export const FaceAttemptOutcome = z.enum(['match', 'no-match', 'liveness-failed', 'unavailable']);
export type FaceAttemptOutcome = z.infer<typeof FaceAttemptOutcome>;

/** 未能确认是本人 at most this many times; then staff is offered instead of another try (issue 14). */
export const FACE_MAX_ATTEMPTS = 3;

/**
 * Where the check stands for the citizen at the screen:
 * - `choosing`: nothing tried yet (the choice screen, before any camera turns on);
 * - `passed`: 核验通过 (face or staff);
 * - `not-confirmed`: 未能确认是本人 after `failures` attempts; another try is allowed while `failures` < 3;
 * - `unavailable`: 无法核验 (no camera, no face-check service): staff or the window.
 */
export type CheckState =
  | { status: 'choosing'; failures: 0 }
  | { status: 'passed'; method: IdentityCheckMethod; failures: number }
  | { status: 'not-confirmed'; failures: number }
  | { status: 'unavailable'; failures: number };

export const INITIAL_CHECK: CheckState = { status: 'choosing', failures: 0 };

/**
 * The state after one face attempt. A match passes; no match and a failed liveness check both count as
 * 未能确认是本人 (the citizen is told the same plain thing either way, never why or a score); `unavailable`
 * says nothing about the person and counts no failure. A check that has passed stays passed, and after
 * three failures a further attempt changes nothing (a face check is not offered again: staff or the window).
 */
export function afterFaceAttempt(state: CheckState, outcome: FaceAttemptOutcome): CheckState {
  // Passed stays passed; after three failures no further face attempt counts (staff or the window now).
  if (state.status === 'passed' || state.failures >= FACE_MAX_ATTEMPTS) return state;
  switch (outcome) {
    case 'match':
      return { status: 'passed', method: 'face', failures: state.failures };
    case 'no-match':
    case 'liveness-failed':
      return { status: 'not-confirmed', failures: Math.min(FACE_MAX_ATTEMPTS, state.failures + 1) };
    case 'unavailable':
      return { status: 'unavailable', failures: state.failures };
  }
}

/** Staff confirmed the identity in person (人工核验): passed, whatever came before. */
export function afterStaffCheck(state: CheckState): CheckState {
  return { status: 'passed', method: 'staff', failures: state.failures };
}

/** A choice the screen offers: 刷脸核验 (again), 请工作人员核验, 到窗口办理. */
export type CheckOption = 'face' | 'staff' | 'window';

/**
 * What the screen offers now, in order. The window is always there; the face check only while the kiosk
 * can do one and fewer than three attempts failed; staff 人工核验 always, from the start, so that a face
 * check is never the only way in and a citizen who declines it is not sent away (rules on face recognition
 * in force since 2025-06-01; issue 14 "the choice is offered before the camera turns on"). Nothing when
 * passed. Which options the screen shows as equals is `equalOptions`.
 */
export function checkOptions(assurance: IdentityAssurance, state: CheckState, faceAvailable: boolean): CheckOption[] {
  if (!needsIdentityCheck(assurance) || state.status === 'passed') return [];
  const face = faceAvailable && state.status !== 'unavailable' && state.failures < FACE_MAX_ATTEMPTS;
  return [...(face ? (['face'] as const) : []), 'staff', 'window'];
}

/**
 * The options the screen gives the same (primary) weight: the first one, and for `card+face-or-staff`
 * the face check and staff together.
 */
export function equalOptions(assurance: IdentityAssurance, options: readonly CheckOption[]): CheckOption[] {
  const first = options[0];
  if (!first) return [];
  return assurance === 'card+face-or-staff' ? options.filter((option) => option !== 'window') : [first];
}

/** Attempts left before staff is offered instead (for "还可以再试 N 次"). */
export function attemptsLeft(state: CheckState): number {
  return Math.max(0, FACE_MAX_ATTEMPTS - state.failures);
}
