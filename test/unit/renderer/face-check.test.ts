import { describe, expect, it } from 'vitest';
import { LivenessCheck, randomChallenge, randomPauseMs, type FaceFrame, type LivenessAction } from '../../../renderer/src/composables/face-liveness.js';
import { outcomeOfVerification } from '../../../renderer/src/components/face/face-outcome.js';
import { faceFrame, pickFaceCamera } from '../../../renderer/src/components/face/face-measure.js';

/** A face in the oval (centred, near enough, facing the camera) with the given eye opening and nose offset. */
const inOval = (atMs: number, eyeOpenness = 0.45, noseOffset = 0): FaceFrame => ({ atMs, face: { centerX: 0.5, centerY: 0.5, width: 0.4, eyeOpenness, yawDeg: 0, noseOffset } });
/** The citizen's own left turn, as the camera's unmirrored picture shows it: the nose towards +x. */
const LEFT = 0.14;
const RIGHT = -0.14;

/** Feeds frames every 100 ms from `from`, and answers the last state. */
function feed(check: LivenessCheck, frames: Array<(atMs: number) => FaceFrame>, from = 0) {
  return frames.map((frame, index) => check.next(frame(from + index * 100))).at(-1);
}

/** `count` frames of the same face every 100 ms from `from`. */
const hold = (count: number, eyeOpenness = 0.45, noseOffset = 0) => Array.from({ length: count }, () => (atMs: number) => inOval(atMs, eyeOpenness, noseOffset));
/** A slow blink, as an elder blinks: closing over several frames and opening again (9 frames). */
const blink = [0.4, 0.3, 0.2, 0.18, 0.2, 0.3, 0.42, 0.45, 0.45].map((openness) => (atMs: number) => inOval(atMs, openness));
/** A slow turn and back (12 frames): to `offset` and hold, then to the front. */
const turn = (offset: number) => [0.3, 0.6, 1, 1, 1, 1, 1, 0.6, 0.3, 0, 0, 0].map((part) => (atMs: number) => inOval(atMs, 0.45, offset * part));

/** A check with fixed actions and 1 s pauses, already past the oval: the pause before the first prompt. */
function started(actions: LivenessAction[], options: { challengeMs?: number } = {}): LivenessCheck {
  const check = new LivenessCheck({ actions, pausesMs: actions.map(() => 1_000), ...options });
  feed(check, hold(3));
  return check;
}

describe('LivenessCheck', () => {
  it('asks to face the screen, then to come closer, then pauses, then asks the first action', () => {
    const check = new LivenessCheck({ actions: ['turn-right', 'blink'], pausesMs: [1_000, 1_000] });
    expect(check.next({ atMs: 0, face: null })).toEqual({ phase: 'position', prompt: '请正对屏幕' });
    expect(check.next({ atMs: 100, face: { centerX: 0.9, centerY: 0.5, width: 0.4, eyeOpenness: 0.45, yawDeg: 0, noseOffset: 0 } })).toMatchObject({ prompt: '请正对屏幕' });
    expect(check.next({ atMs: 200, face: { centerX: 0.5, centerY: 0.5, width: 0.1, eyeOpenness: 0.45, yawDeg: 0, noseOffset: 0 } })).toMatchObject({ prompt: '请靠近一点' });
    expect(feed(check, hold(3), 300)).toEqual({ phase: 'pause', prompt: '请正对屏幕' });
    expect(feed(check, hold(10), 600)).toEqual({ phase: 'challenge', prompt: '请慢慢向右转头', action: 'turn-right', step: 0, remainingMs: 10_000 });
  });

  it('passes the right actions in the asked order: a slow blink, then a slow turn to the citizen’s own left', () => {
    const check = started(['blink', 'turn-left']);
    expect(feed(check, hold(10), 300)).toMatchObject({ phase: 'challenge', prompt: '请眨眨眼' });
    expect(feed(check, blink, 1_300)).toEqual({ phase: 'pause', prompt: '请正对屏幕' });
    expect(feed(check, hold(11), 2_200)).toMatchObject({ phase: 'challenge', prompt: '请慢慢向左转头', step: 1 });
    expect(feed(check, turn(LEFT).slice(0, 3), 3_300)).toEqual({ phase: 'passed' });
  });

  it('passes right then left, waiting for the head to come back to the front between them', () => {
    const check = started(['turn-right', 'turn-left']);
    feed(check, hold(10), 300);
    expect(feed(check, turn(RIGHT).slice(0, 3), 1_300)).toMatchObject({ phase: 'pause' });
    // Still turned: the pause has not begun, however long the citizen stays turned (within the limit).
    expect(feed(check, hold(20, 0.45, RIGHT), 1_600)).toMatchObject({ phase: 'pause' });
    expect(feed(check, hold(11), 3_600)).toMatchObject({ phase: 'challenge', action: 'turn-left' });
    expect(feed(check, turn(LEFT).slice(0, 3), 4_700)).toEqual({ phase: 'passed' });
  });

  it('fails a turn the wrong way: 向左 is the citizen’s own left, so the mirror-image turn does not answer it', () => {
    const check = started(['turn-left', 'blink']);
    feed(check, hold(10), 300);
    expect(feed(check, turn(RIGHT).slice(0, 3), 1_300)).toEqual({ phase: 'failed', reason: 'wrong-action' });
  });

  it('fails a head turn while a blink is asked, and a turn during the pause', () => {
    const blinkAsked = started(['blink', 'turn-right']);
    feed(blinkAsked, hold(10), 300);
    expect(feed(blinkAsked, turn(LEFT).slice(0, 3), 1_300)).toEqual({ phase: 'failed', reason: 'wrong-action' });
    const inPause = started(['blink', 'turn-right']);
    expect(feed(inPause, turn(RIGHT).slice(0, 3), 300)).toEqual({ phase: 'failed', reason: 'wrong-action' });
  });

  it('does not count a blink already under way when the prompt appeared', () => {
    const check = started(['blink', 'turn-left']);
    feed(check, hold(9), 300);
    // The prompt appears with the eyes closing; they open again: no blink yet (never seen open first).
    expect(feed(check, blink.slice(2), 1_200)).toMatchObject({ phase: 'challenge', action: 'blink' });
    // A whole blink after the prompt answers it.
    expect(feed(check, blink, 2_000)).toMatchObject({ phase: 'pause' });
  });

  it('does not pass a looped recording of the holder blinking every 4 s when a turn is asked', () => {
    const check = started(['turn-left', 'blink']);
    const loop = [...hold(31), ...blink];
    const frames = [...loop, ...loop, ...loop, ...loop];
    expect(feed(check, frames, 300)).toEqual({ phase: 'failed', reason: 'challenge-timeout' });
  });

  it('does not pass a looped replay of a session doing every action in turn, whatever was asked', () => {
    // Recorded session: blink, left, right, one every 1.5 s; replayed on a loop from any point.
    const session = [...blink, ...hold(6), ...turn(LEFT), ...hold(3), ...turn(RIGHT), ...hold(3)];
    const challenges: LivenessAction[][] = [['blink', 'turn-left'], ['blink', 'turn-right'], ['turn-left', 'blink'], ['turn-right', 'blink'], ['turn-left', 'turn-right'], ['turn-right', 'turn-left']];
    let passed = 0;
    for (const actions of challenges) {
      for (let phase = 0; phase < session.length; phase += 3) {
        const check = started(actions);
        const frames = Array.from({ length: 300 }, (_, index) => session[(phase + index) % session.length] ?? hold(1)[0]!);
        if (feed(check, frames, 300)?.phase === 'passed') passed += 1;
      }
    }
    expect(passed).toBe(0);
  });

  it('fails a still photo: the same face, eyes never closing, head never turning, past the time limit', () => {
    const check = started(['blink', 'turn-left'], { challengeMs: 10_000 });
    const still = Array.from({ length: 120 }, () => (atMs: number) => inOval(atMs, 0.44 + (atMs % 300 === 0 ? 0.01 : 0), atMs % 500 === 0 ? 0.01 : 0));
    expect(feed(check, still, 300)).toEqual({ phase: 'failed', reason: 'challenge-timeout' });
  });

  it('does not pass on half-closed eyes that never open again, nor on eyes closed only', () => {
    const check = started(['blink', 'turn-left'], { challengeMs: 2_000 });
    feed(check, hold(10), 300);
    expect(feed(check, hold(25, 0.2), 1_300)).toEqual({ phase: 'failed', reason: 'challenge-timeout' });
  });

  it('gives an elder more time for each prompt, and keeps the clock when the face is lost for a moment', () => {
    const check = started(['turn-right', 'blink'], { challengeMs: 15_000 });
    feed(check, hold(10), 300);
    expect(check.next({ atMs: 6_200, face: null })).toMatchObject({ phase: 'challenge', remainingMs: 10_000 });
    expect(check.next(inOval(14_000))).toMatchObject({ phase: 'challenge' });
    // A slow turn at 14 s still counts for an elder; 10 s would have been too late.
    expect(feed(check, turn(RIGHT).slice(0, 3), 14_100)).toMatchObject({ phase: 'pause' });
    const normal = started(['turn-right', 'blink']);
    feed(normal, hold(10), 300);
    expect(feed(normal, [(atMs) => inOval(atMs), ...turn(RIGHT).slice(0, 3)], 11_400)).toEqual({ phase: 'failed', reason: 'challenge-timeout' });
  });

  it('fails when no face ever comes into the oval', () => {
    const check = new LivenessCheck({ positionMs: 1_000 });
    expect(check.next({ atMs: 0, face: null }).phase).toBe('position');
    expect(check.next({ atMs: 1_100, face: null })).toEqual({ phase: 'failed', reason: 'position-timeout' });
    // Once decided, it stays decided.
    expect(check.next(inOval(1_200))).toEqual({ phase: 'failed', reason: 'position-timeout' });
  });
});

describe('LivenessCheck: where the front is', () => {
  it('takes the front from a head held still, not from one still coming back from a turn (the timed-out attempt the bench caught)', () => {
    const check = new LivenessCheck({ actions: ['turn-left', 'blink'], pausesMs: [1_000, 1_000] });
    // Coming back from a turn to the right (within the oval's limits, but moving): no pause yet.
    expect(feed(check, [-0.1, -0.07, -0.05].map((nose) => (atMs: number) => inOval(atMs, 0.45, nose)), 0)).toMatchObject({ phase: 'position' });
    // Still, facing the camera: the front is here.
    expect(feed(check, hold(3, 0.45, -0.02), 300)).toMatchObject({ phase: 'pause' });
    feed(check, hold(10, 0.45, -0.02), 600);
    expect(check.state).toMatchObject({ phase: 'challenge', action: 'turn-left' });
    // A turn to the own left and back to where the head was still: the pause begins, the blink is asked.
    feed(check, turn(LEFT).map((frame) => (atMs: number) => ({ ...frame(atMs), face: { ...(frame(atMs).face as NonNullable<FaceFrame['face']>), noseOffset: (frame(atMs).face?.noseOffset ?? 0) - 0.02 } })), 1_600);
    expect(feed(check, hold(11, 0.45, -0.02), 2_800)).toMatchObject({ phase: 'challenge', action: 'blink' });
  });
});

describe('LivenessCheck.fitForComparison (the frame sent to central while the second action runs)', () => {
  /** Feeds frames every 100 ms from `from` and answers whether each was fit to compare. */
  const fits = (check: LivenessCheck, frames: Array<(atMs: number) => FaceFrame>, from: number) => frames.map((frame, index) => (check.next(frame(from + index * 100)), check.fitForComparison));

  it('offers no frame before the first action is answered, nor while it is being done', () => {
    const check = new LivenessCheck({ actions: ['turn-right', 'blink'], pausesMs: [1_000, 1_000] });
    expect(fits(check, hold(13), 0).some(Boolean)).toBe(false);
    expect(check.state).toMatchObject({ phase: 'challenge', action: 'turn-right' });
    expect(fits(check, turn(RIGHT).slice(0, 3), 1_300)).toEqual([false, false, false]);
    expect(check.answeredCount).toBe(1);
  });

  it('offers the frames of the pause after the first action once the face is back to the front with eyes open: never mid-turn, never mid-blink', () => {
    const check = started(['turn-right', 'blink']);
    feed(check, hold(10), 300);
    // Answered at the third frame of the turn; the head is still turned, then comes back.
    feed(check, turn(RIGHT).slice(0, 3), 1_300);
    expect(fits(check, hold(4, 0.45, RIGHT), 1_600)).toEqual([false, false, false, false]);
    expect(fits(check, hold(2, 0.45, RIGHT / 2), 2_000)).toEqual([false, false]);
    expect(fits(check, hold(1), 2_200)).toEqual([true]);
    // A blink nobody asked for, in the pause: not those frames.
    expect(fits(check, blink.slice(1, 6), 2_300)).toEqual([false, false, false, false, false]);
    expect(fits(check, hold(1), 2_800)).toEqual([true]);
    expect(check.state).toMatchObject({ phase: 'pause' });
  });

  it('offers the frame right after a blink only once the eyes are open again, and none while the second action is asked', () => {
    const check = started(['blink', 'turn-left']);
    feed(check, hold(10), 300);
    expect(fits(check, blink.slice(0, 7), 1_300)).toEqual([false, false, false, false, false, false, false]);
    expect(check.state).toMatchObject({ phase: 'pause' });
    expect(fits(check, hold(1), 2_000)).toEqual([true]);
    feed(check, hold(10), 2_100);
    expect(check.state).toMatchObject({ phase: 'challenge', action: 'turn-left' });
    expect(check.fitForComparison).toBe(false);
    // Passed on the turn itself: that frame is turned; the face back to the front is fit again.
    expect(fits(check, turn(LEFT).slice(0, 3), 3_200)).toEqual([false, false, false]);
    expect(check.state).toEqual({ phase: 'passed' });
    expect(fits(check, hold(1), 3_500)).toEqual([true]);
  });

  it('never offers a frame of a still photo, which cannot do the first action', () => {
    const check = started(['blink', 'turn-left']);
    expect(fits(check, hold(200), 300).some(Boolean)).toBe(false);
    expect(check.state).toMatchObject({ phase: 'failed' });
  });
});

describe('randomChallenge and randomPauseMs', () => {
  it('asks two different actions; every one of the six orders comes up from the crypto generator', () => {
    const seen = new Set<string>();
    for (let draw = 0; draw < 600; draw++) {
      const actions = randomChallenge();
      expect(actions).toHaveLength(2);
      expect(actions[0]).not.toBe(actions[1]);
      seen.add(actions.join(','));
    }
    expect(seen.size).toBe(6);
    expect(randomChallenge(() => 0)).toEqual(['blink', 'turn-left']);
    expect(randomChallenge((n) => n - 1)).toEqual(['turn-right', 'turn-left']);
    const pauses = Array.from({ length: 200 }, () => randomPauseMs());
    expect(Math.min(...pauses)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(2_000);
    expect(new Set(pauses).size).toBeGreaterThan(50);
    expect(new LivenessCheck().actions).toHaveLength(2);
  });
});

describe('outcomeOfVerification', () => {
  it('answers central’s outcome, and unavailable for any error', () => {
    expect(outcomeOfVerification({ ok: true, value: { outcome: 'match' } })).toEqual({ kind: 'match' });
    expect(outcomeOfVerification({ ok: true, value: { outcome: 'no-match' } })).toEqual({ kind: 'no-match' });
    expect(outcomeOfVerification({ ok: true, value: { outcome: 'unavailable' } })).toEqual({ kind: 'unavailable' });
    expect(outcomeOfVerification({ ok: false, error: { code: 'no-identity', message: '请先将身份证放在读卡区' } })).toEqual({ kind: 'unavailable' });
  });
});

describe('faceFrame', () => {
  it('measures the eye opening from FaceMesh lids and corners, and the box against the frame', () => {
    const mesh = Array.from({ length: 478 }, () => [0, 0, 0] as [number, number, number]);
    // Left eye: corners 33/133 40 px apart, lids 159/145 18 px apart; right eye the same.
    mesh[33] = [100, 200, 0]; mesh[133] = [140, 200, 0]; mesh[159] = [120, 191, 0]; mesh[145] = [120, 209, 0];
    mesh[362] = [180, 200, 0]; mesh[263] = [220, 200, 0]; mesh[386] = [200, 191, 0]; mesh[374] = [200, 209, 0];
    const face = { box: [80, 120, 160, 200], mesh, rotation: { angle: { yaw: Math.PI / 18, pitch: 0, roll: 0 } } } as unknown as Parameters<typeof faceFrame>[0];
    const frame = faceFrame(face, 320, 480, 7);
    expect(frame.atMs).toBe(7);
    expect(frame.face?.eyeOpenness).toBeCloseTo(0.45);
    expect(frame.face?.centerX).toBeCloseTo(0.5);
    expect(frame.face?.centerY).toBeCloseTo(0.458, 2);
    expect(frame.face?.width).toBeCloseTo(0.5);
    expect(frame.face?.yawDeg).toBeCloseTo(10);
    // Nose tip (1) 8 px right of the middle of the cheek edges (234, 454) 160 px apart: the citizen's own left.
    expect(frame.face?.noseOffset).toBe(0);
    mesh[234] = [80, 220, 0]; mesh[454] = [240, 220, 0]; mesh[1] = [168, 240, 0];
    expect(faceFrame(face, 320, 480, 7).face?.noseOffset).toBeCloseTo(0.05);
    expect(faceFrame(undefined, 320, 480, 8)).toEqual({ atMs: 8, face: null });
  });
});

describe('pickFaceCamera', () => {
  it('picks the camera that is not the 高拍仪, and keeps the default with one camera', () => {
    const document = { kind: 'videoinput', label: '良田高拍仪 S1800', deviceId: 'doc' };
    const face = { kind: 'videoinput', label: 'USB2.0 HD UVC WebCam', deviceId: 'face' };
    expect(pickFaceCamera([document, face, { kind: 'audioinput', label: 'mic', deviceId: 'mic' }])).toBe('face');
    expect(pickFaceCamera([face])).toBeNull();
  });
});
