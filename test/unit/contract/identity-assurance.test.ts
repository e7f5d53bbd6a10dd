import { describe, expect, it } from 'vitest';
import {
  FACE_MAX_ATTEMPTS,
  INITIAL_CHECK,
  IdentityCheckRecord,
  afterFaceAttempt,
  afterStaffCheck,
  attemptsLeft,
  checkOptions,
  equalOptions,
  checkSatisfies,
  needsIdentityCheck,
  type CheckState,
  type FaceAttemptOutcome,
} from '../../../contract/identity-assurance.js';

/** The state after a run of attempts, from the start. */
function run(...outcomes: FaceAttemptOutcome[]): CheckState {
  return outcomes.reduce<CheckState>(afterFaceAttempt, INITIAL_CHECK);
}

describe('identity assurance rules', () => {
  it('asks for a check for every level but card', () => {
    expect(needsIdentityCheck('card')).toBe(false);
    expect(needsIdentityCheck('card+face')).toBe(true);
    expect(needsIdentityCheck('card+face-or-staff')).toBe(true);
  });

  it('accepts a passed face or staff check for both check levels, and no check only for card', () => {
    const face = { method: 'face', outcome: 'passed' } as const;
    const staff = { method: 'staff', staffNumber: '0001', outcome: 'passed' } as const;
    for (const level of ['card+face', 'card+face-or-staff'] as const) {
      expect(checkSatisfies(level, null)).toBe(false);
      expect(checkSatisfies(level, face)).toBe(true);
      expect(checkSatisfies(level, staff)).toBe(true);
    }
    expect(checkSatisfies('card', null)).toBe(true);
  });

  it('records 人工核验 only with a 工号, and never carries anything but method, 工号 and outcome', () => {
    expect(IdentityCheckRecord.safeParse({ method: 'staff', outcome: 'passed' }).success).toBe(false);
    expect(IdentityCheckRecord.safeParse({ method: 'staff', staffNumber: '0001', outcome: 'passed' }).success).toBe(true);
    expect(IdentityCheckRecord.safeParse({ method: 'face', outcome: 'passed', score: 0.93 }).success).toBe(false);
    expect(IdentityCheckRecord.safeParse({ method: 'face', outcome: 'passed', image: 'AAAA' }).success).toBe(false);
    expect(IdentityCheckRecord.safeParse({ method: 'face', outcome: 'failed' }).success).toBe(false);
  });
});

describe('face check outcomes and retries', () => {
  it('passes on a match', () => {
    expect(run('match')).toEqual({ status: 'passed', method: 'face', failures: 0 });
    expect(run('no-match', 'match')).toEqual({ status: 'passed', method: 'face', failures: 1 });
  });

  it('counts no-match and a failed liveness check alike as 未能确认是本人', () => {
    expect(run('no-match')).toEqual({ status: 'not-confirmed', failures: 1 });
    expect(run('liveness-failed', 'no-match')).toEqual({ status: 'not-confirmed', failures: 2 });
  });

  it('offers the face check again until three attempts failed, then staff instead (card+face)', () => {
    expect(checkOptions('card+face', run('no-match'), true)).toEqual(['face', 'staff', 'window']);
    expect(checkOptions('card+face', run('no-match', 'no-match'), true)).toEqual(['face', 'staff', 'window']);
    const third = run('no-match', 'liveness-failed', 'no-match');
    expect(third.failures).toBe(FACE_MAX_ATTEMPTS);
    expect(attemptsLeft(third)).toBe(0);
    expect(checkOptions('card+face', third, true)).toEqual(['staff', 'window']);
    // A fourth report (a stray event, or a window that tries anyway) changes nothing, a match included.
    expect(afterFaceAttempt(third, 'no-match')).toBe(third);
    expect(afterFaceAttempt(third, 'match')).toBe(third);
  });

  it('says 无法核验 when the camera or service is missing, counts no failure, and offers staff or the window', () => {
    const state = run('unavailable');
    expect(state).toEqual({ status: 'unavailable', failures: 0 });
    expect(checkOptions('card+face', state, true)).toEqual(['staff', 'window']);
    expect(checkOptions('card+face-or-staff', state, true)).toEqual(['staff', 'window']);
  });

  it('offers staff beside the face check from the start (a citizen may decline the camera), never the face check alone', () => {
    expect(checkOptions('card+face-or-staff', INITIAL_CHECK, true)).toEqual(['face', 'staff', 'window']);
    expect(checkOptions('card+face', INITIAL_CHECK, true)).toEqual(['face', 'staff', 'window']);
    // card+face puts the face check first; card+face-or-staff shows both as equals.
    expect(equalOptions('card+face', ['face', 'staff', 'window'])).toEqual(['face']);
    expect(equalOptions('card+face-or-staff', ['face', 'staff', 'window'])).toEqual(['face', 'staff']);
    expect(equalOptions('card+face', ['staff', 'window'])).toEqual(['staff']);
    for (const level of ['card+face', 'card+face-or-staff'] as const) {
      expect(checkOptions(level, INITIAL_CHECK, true)).toContain('window');
    }
  });

  it('offers staff and the window before any attempt when this kiosk cannot do a face check', () => {
    expect(checkOptions('card+face', INITIAL_CHECK, false)).toEqual(['staff', 'window']);
  });

  it('stays passed after staff 人工核验, and offers nothing more', () => {
    const vouched = afterStaffCheck(run('no-match', 'no-match', 'no-match'));
    expect(vouched).toEqual({ status: 'passed', method: 'staff', failures: 3 });
    expect(afterFaceAttempt(vouched, 'no-match')).toBe(vouched);
    expect(checkOptions('card+face', vouched, true)).toEqual([]);
  });

  it('offers nothing for card', () => {
    expect(checkOptions('card', INITIAL_CHECK, true)).toEqual([]);
  });
});
