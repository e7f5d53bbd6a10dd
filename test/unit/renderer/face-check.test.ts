import { describe, expect, it } from 'vitest';
import { LivenessCheck, type FaceFrame } from '../../../renderer/src/composables/face-liveness.js';
import { outcomeOfVerification } from '../../../renderer/src/components/face/face-outcome.js';
import { faceFrame, pickFaceCamera } from '../../../renderer/src/components/face/face-measure.js';

/** A face in the oval (centred, near enough, facing the camera) with the given eye opening and turn. */
const inOval = (atMs: number, eyeOpenness = 0.45, yawDeg = 0): FaceFrame => ({ atMs, face: { centerX: 0.5, centerY: 0.5, width: 0.4, eyeOpenness, yawDeg } });

/** Feeds frames every 100 ms from `from`, and answers the last state. */
function feed(check: LivenessCheck, frames: Array<(atMs: number) => FaceFrame>, from = 0) {
  return frames.map((frame, index) => check.next(frame(from + index * 100))).at(-1);
}

describe('LivenessCheck', () => {
  it('asks to face the screen, then to come closer, then to blink', () => {
    const check = new LivenessCheck();
    expect(check.next({ atMs: 0, face: null })).toEqual({ phase: 'position', prompt: '请正对屏幕' });
    expect(check.next({ atMs: 100, face: { centerX: 0.9, centerY: 0.5, width: 0.4, eyeOpenness: 0.45, yawDeg: 0 } })).toMatchObject({ prompt: '请正对屏幕' });
    expect(check.next({ atMs: 200, face: { centerX: 0.5, centerY: 0.5, width: 0.1, eyeOpenness: 0.45, yawDeg: 0 } })).toMatchObject({ prompt: '请靠近一点' });
    expect(feed(check, [inOval, inOval, inOval], 300)).toEqual({ phase: 'challenge', prompt: '请眨眨眼', remainingMs: 10_000 });
  });

  it('passes a slow blink: eyes closed over several frames, then open again', () => {
    const check = new LivenessCheck();
    feed(check, [inOval, inOval, inOval]);
    const closing = [0.4, 0.3, 0.2, 0.18, 0.2, 0.3].map((openness) => (atMs: number) => inOval(atMs, openness));
    expect(feed(check, closing, 1_000)?.phase).toBe('challenge');
    expect(check.next(inOval(2_000, 0.42))).toEqual({ phase: 'passed' });
  });

  it('passes a slight head turn instead of a blink', () => {
    const check = new LivenessCheck();
    feed(check, [inOval, inOval, inOval]);
    expect(check.next(inOval(1_000, 0.45, 8)).phase).toBe('challenge');
    expect(check.next(inOval(1_100, 0.45, 13))).toEqual({ phase: 'passed' });
  });

  it('fails a still photo: the same face, eyes never closing, past the time limit', () => {
    const check = new LivenessCheck({ challengeMs: 10_000 });
    const still = Array.from({ length: 110 }, () => (atMs: number) => inOval(atMs, 0.44 + (atMs % 300 === 0 ? 0.01 : 0)));
    expect(feed(check, still)).toEqual({ phase: 'failed' });
  });

  it('does not pass on half-closed eyes that never open again, nor on eyes closed only', () => {
    const check = new LivenessCheck({ challengeMs: 2_000 });
    feed(check, [inOval, inOval, inOval]);
    const closedOnly = Array.from({ length: 25 }, () => (atMs: number) => inOval(atMs, 0.2));
    expect(feed(check, closedOnly, 400)).toEqual({ phase: 'failed' });
  });

  it('gives an elder more time when asked, and keeps the clock when the face is lost for a moment', () => {
    const check = new LivenessCheck({ challengeMs: 15_000 });
    feed(check, [inOval, inOval, inOval]);
    expect(check.next({ atMs: 5_000, face: null })).toMatchObject({ phase: 'challenge', remainingMs: 10_200 });
    expect(check.next(inOval(14_000))).toMatchObject({ phase: 'challenge' });
    expect(check.next(inOval(15_300))).toEqual({ phase: 'failed' });
  });

  it('fails when no face ever comes into the oval', () => {
    const check = new LivenessCheck({ positionMs: 1_000 });
    expect(check.next({ atMs: 0, face: null }).phase).toBe('position');
    expect(check.next({ atMs: 1_100, face: null })).toEqual({ phase: 'failed' });
    // Once decided, it stays decided.
    expect(check.next(inOval(1_200))).toEqual({ phase: 'failed' });
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
