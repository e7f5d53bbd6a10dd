/**
 * The face model in the kiosk window: `@vladmandic/human` (MIT) with its bundled BlazeFace detector,
 * FaceMesh and iris models on TF.js's WebAssembly backend (a hall kiosk has no usable GPU; WebGL on a
 * software rasteriser is slower than WASM). Loaded from the bundle's `face/` folder (vite.config.ts
 * faceModelAssets), never from a CDN. The descriptor model is not loaded here: the comparison runs at
 * central against central's reference photo, so the window needs only to find the face and watch it blink.
 */
import type { Config, Human } from '@vladmandic/human';
import type { FaceFrame } from '../../composables/face-liveness.js';
import { faceFrame } from './face-measure.js';

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
