/**
 * The face model in the kiosk window: `@vladmandic/human` (MIT) with its bundled BlazeFace detector,
 * FaceMesh and iris models on TF.js's WebAssembly backend (a hall kiosk has no usable GPU; WebGL on a
 * software rasteriser is slower than WASM). Loaded from the bundle's `face/` folder (vite.config.ts
 * faceModelAssets), never from a CDN. The descriptor model is not loaded here: the comparison runs at
 * central against central's reference photo, so the window needs only to find the face and watch it blink.
 */
import type { Config, FaceResult, Human } from '@vladmandic/human';
import type { FaceFrame } from '../../composables/face-liveness.js';

/** Labels document cameras give themselves (as composables/camera-choice.ts): the face camera is another one. */
const DOCUMENT_CAMERA = /高拍|文档|document|doc ?cam|visuali[sz]er|scanner|eloam|liangtian|良田|紫光/i;

/** The face camera among several (a kiosk also has a 高拍仪); null keeps the default camera. */
export function pickFaceCamera(devices: readonly { kind: string; label: string; deviceId: string }[]): string | null {
  const cameras = devices.filter((device) => device.kind === 'videoinput');
  if (cameras.length < 2) return null;
  return cameras.find((camera) => !DOCUMENT_CAMERA.test(camera.label))?.deviceId ?? null;
}

function config(base: string): Partial<Config> {
  return {
    backend: 'wasm',
    wasmPath: base,
    modelBasePath: base,
    // No warm-up run at load: on CPU it costs as much as the first real frame.
    warmup: 'none',
    debug: false,
    // Every frame analysed afresh: a cached result would hide the blink.
    cacheSensitivity: 0,
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    gesture: { enabled: false },
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 1, minConfidence: 0.5, skipFrames: 0, skipTime: 0 },
      mesh: { enabled: true },
      iris: { enabled: true },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  } as Partial<Config>;
}

let loading: Promise<Human> | null = null;

/** The one Human of this window, loaded on first use (about a second); a failed load is tried again next time. */
export function loadFaceModel(): Promise<Human> {
  loading ??= (async () => {
    const { Human: HumanClass } = await import('@vladmandic/human');
    const human = new HumanClass(config(new URL('./face/', window.location.href).href));
    await human.load();
    return human;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** Lid gap over eye width for one eye, from FaceMesh points (MediaPipe indices: upper lid, lower lid, corners). */
function openness(mesh: FaceResult['mesh'], upper: number, lower: number, outer: number, inner: number): number {
  const gap = Math.abs((mesh[upper]?.[1] ?? 0) - (mesh[lower]?.[1] ?? 0));
  const width = Math.abs((mesh[outer]?.[0] ?? 0) - (mesh[inner]?.[0] ?? 0));
  return width > 0 ? gap / width : 0;
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
    },
  };
}

/** Analyses the video's current frame. */
export async function analyse(human: Human, video: HTMLVideoElement): Promise<FaceFrame> {
  const result = await human.detect(video);
  return faceFrame(result.face[0], video.videoWidth, video.videoHeight, performance.now());
}

/** The video's current frame as base64 JPEG (no data-URL prefix), long side at most 1280 px; null if it cannot be drawn. */
export function captureJpeg(video: HTMLVideoElement): string | null {
  const scale = Math.min(1, 1280 / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  try {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0) return null;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/jpeg', 0.85);
    return url.slice(url.indexOf(',') + 1);
  } finally {
    // A face: release the pixels now rather than whenever the canvas is collected.
    canvas.width = 0;
    canvas.height = 0;
  }
}
