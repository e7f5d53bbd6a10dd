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
  return (loading ??= openModel());
}

function openModel(): Promise<Human> {
  return (async () => {
    const { Human: HumanClass } = await import('@vladmandic/human');
    const human = new HumanClass(config(new URL('./face/', window.location.href).href));
    await human.load();
    return human;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
}

/** Analyses a picture: the video's current frame, or a frame held on a canvas ({@link holdFrame}). */
export async function analyse(human: Human, source: HTMLVideoElement | HTMLCanvasElement): Promise<FaceFrame> {
  const result = await human.detect(source);
  const [width, height] = source instanceof HTMLCanvasElement ? [source.width, source.height] : [source.videoWidth, source.videoHeight];
  return faceFrame(result.face[0], width, height, performance.now());
}

/**
 * Draws the video's current frame onto `canvas` (long side at most 1280 px), so that the frame analysed
 * is exactly the frame that may be sent (the video moves on while the model runs); false if it cannot be
 * drawn. The canvas then holds a face: the caller clears it ({@link releaseFrame}) when the check ends.
 */
export function holdFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): boolean {
  const scale = Math.min(1, 1280 / Math.max(video.videoWidth, video.videoHeight));
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  if (width === 0 || height === 0) return false;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return false;
  context.drawImage(video, 0, 0, width, height);
  return true;
}

/** The held frame as base64 JPEG (no data-URL prefix), quality 0.85; null if the canvas is empty. */
export function heldFrameJpeg(canvas: HTMLCanvasElement): string | null {
  if (canvas.width === 0 || canvas.height === 0) return null;
  const url = canvas.toDataURL('image/jpeg', 0.85);
  return url.slice(url.indexOf(',') + 1);
}

/** Drops the held frame's pixels now rather than whenever the canvas is collected. */
export function releaseFrame(canvas: HTMLCanvasElement): void {
  canvas.width = 0;
  canvas.height = 0;
}
