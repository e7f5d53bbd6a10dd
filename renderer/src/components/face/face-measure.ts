/**
 * The face check's measurements that need no DOM (unit-tested, and run by the face bench under Node):
 * which camera is the face camera, and what the liveness check reads from one analysed face.
 */
import type { FaceResult } from '@vladmandic/human';
import type { FaceFrame } from '../../composables/face-liveness.js';

/** Labels document cameras give themselves (as composables/camera-choice.ts): the face camera is another one. */
const DOCUMENT_CAMERA = /高拍|文档|document|doc ?cam|visuali[sz]er|scanner|eloam|liangtian|良田|紫光/i;

/** The face camera among several (a kiosk also has a 高拍仪); null keeps the default camera. */
export function pickFaceCamera(devices: readonly { kind: string; label: string; deviceId: string }[]): string | null {
  const cameras = devices.filter((device) => device.kind === 'videoinput');
  if (cameras.length < 2) return null;
  return cameras.find((camera) => !DOCUMENT_CAMERA.test(camera.label))?.deviceId ?? null;
}

/** Lid gap over eye width for one eye, from FaceMesh points (MediaPipe indices: upper lid, lower lid, corners). */
function openness(mesh: FaceResult['mesh'], upper: number, lower: number, outer: number, inner: number): number {
  const gap = Math.abs((mesh[upper]?.[1] ?? 0) - (mesh[lower]?.[1] ?? 0));
  const width = Math.abs((mesh[outer]?.[0] ?? 0) - (mesh[inner]?.[0] ?? 0));
  return width > 0 ? gap / width : 0;
}

/**
 * Nose tip (MediaPipe 1) offset from the middle of the face's side edges (234 and 454, at the cheeks),
 * over the distance between them, in the picture's own (unmirrored) x: + when the nose points to +x.
 */
function noseOffset(mesh: FaceResult['mesh']): number {
  const left = mesh[234]?.[0] ?? 0;
  const right = mesh[454]?.[0] ?? 0;
  const width = right - left;
  return width !== 0 ? ((mesh[1]?.[0] ?? 0) - (left + right) / 2) / Math.abs(width) : 0;
}

/** What the liveness check needs from one analysed frame of `width` × `height` pixels. */
export function faceFrame(face: FaceResult | undefined, width: number, height: number, atMs: number): FaceFrame {
  if (!face || face.mesh.length < 468) return { atMs, face: null };
  const [x, y, boxWidth, boxHeight] = face.box;
  return {
    atMs,
    face: {
      centerX: (x + boxWidth / 2) / width,
      centerY: (y + boxHeight / 2) / height,
      width: boxWidth / width,
      eyeOpenness: (openness(face.mesh, 159, 145, 33, 133) + openness(face.mesh, 386, 374, 362, 263)) / 2,
      yawDeg: ((face.rotation?.angle.yaw ?? 0) * 180) / Math.PI,
      noseOffset: noseOffset(face.mesh),
    },
  };
}

