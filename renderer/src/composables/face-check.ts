import type { Component } from 'vue';

/**
 * Where the face check (刷脸核验, issue 14) plugs into the 请确认是本人办理 screen. The check itself (camera,
 * liveness, comparison) is a self-contained component that emits `outcome` with
 * `{ kind: 'match' | 'no-match' | 'liveness-failed' | 'unavailable' }` for one attempt and releases the
 * camera itself (renderer/src/components/face/FaceCheck.vue, built apart). Until it is registered here
 * the kiosk cannot do a face check, and the screen says 无法核验 and offers staff or the window: the
 * outcome the issue asks for when the camera or the service is missing.
 *
 * To wire it in: `registerFaceCheck(FaceCheck)` once in renderer/main.ts (or set FACE_CHECK below).
 */
let faceCheck: Component | null = null;

/** Registers the face-check component (once, at start). */
export function registerFaceCheck(component: Component): void {
  faceCheck = component;
}

/** The registered face-check component, or null. */
export function faceCheckComponent(): Component | null {
  return faceCheck;
}

/**
 * Whether this kiosk can offer 刷脸核验 now: a face-check component is registered and the window sees a
 * video input. Enumerating devices never opens the camera (no getUserMedia here): the camera turns on
 * only once the citizen has chosen the face check.
 */
export async function faceCheckAvailable(): Promise<boolean> {
  if (!faceCheck) return false;
  const devices = await globalThis.navigator?.mediaDevices?.enumerateDevices?.().catch(() => []);
  return (devices ?? []).some((device) => device.kind === 'videoinput');
}
