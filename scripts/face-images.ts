import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { decodeImage, type RgbImage } from '../central/face/engine.js';

/**
 * Pixel operations for the face check's test material (scripts/make-face-videos.ts, the FAR/FRR set of
 * scripts/face-set.ts, the integration tests): pure functions on RGB images, no native image library.
 */

/** A PNG or JPEG file as RGB (grey and palette PNGs expanded). */
export function readImage(path: string): RgbImage {
  return decodeImage(readFileSync(path));
}

/** JPEG bytes of an image, `quality` 1…100. */
export function encodeJpeg(image: RgbImage, quality = 85): Buffer {
  const rgba = Buffer.alloc(image.width * image.height * 4);
  for (let source = 0, target = 0; source < image.data.length; source += 3, target += 4) {
    rgba[target] = image.data[source] ?? 0;
    rgba[target + 1] = image.data[source + 1] ?? 0;
    rgba[target + 2] = image.data[source + 2] ?? 0;
    rgba[target + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: image.width, height: image.height }, quality).data;
}

/** How one view of a portrait differs from the original: the augmentations of the labelled set. */
export interface ViewChange {
  /** Output size, px (default the source's). */
  width?: number;
  height?: number;
  /** Zoom about the point (`centerX`, `centerY`) of the source: 1 keeps the size, 0.7 shows the face smaller. */
  scale?: number;
  /** Rotation in the image plane, degrees (head tilt). */
  angleDeg?: number;
  /** Horizontal squeeze of one side, −0.2…0.2: a crude head turn (yaw) by perspective. */
  yaw?: number;
  /** Source point placed at the output's centre (default the source's centre). */
  centerX?: number;
  centerY?: number;
  /** Multiplies every channel (light), and adds `offset` (0…255). */
  gain?: number;
  offset?: number;
}

/** A new image seen through `change`: nearest-neighbour resampling, grey outside the source. */
export function view(source: RgbImage, change: ViewChange): RgbImage {
  const width = change.width ?? source.width;
  const height = change.height ?? source.height;
  const scale = change.scale ?? 1;
  const angle = ((change.angleDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const centerX = change.centerX ?? source.width / 2;
  const centerY = change.centerY ?? source.height / 2;
  const gain = change.gain ?? 1;
  const offset = change.offset ?? 0;
  const yaw = change.yaw ?? 0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x - width / 2) / scale;
      const v = (y - height / 2) / scale;
      // Perspective squeeze: one side of the face a little nearer than the other.
      const depth = 1 + yaw * (u / (source.width / 2));
      const sourceX = Math.round(centerX + (cos * u + sin * v) / depth);
      const sourceY = Math.round(centerY + (-sin * u + cos * v) / depth);
      const target = (y * width + x) * 3;
      if (sourceX < 0 || sourceY < 0 || sourceX >= source.width || sourceY >= source.height) {
        data.fill(128, target, target + 3);
        continue;
      }
      const from = (sourceY * source.width + sourceX) * 3;
      for (let channel = 0; channel < 3; channel++) {
        data[target + channel] = Math.max(0, Math.min(255, Math.round((source.data[from + channel] ?? 0) * gain + offset)));
      }
    }
  }
  return { width, height, data };
}

/** An eye's outline in image pixels: its corners and its lids. */
export interface EyeRegion {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The image with both eyes closed: each eye's box painted with the skin just below it, with a dark lid line
 * where the lids meet. `closed` 0…1 closes part way (the lids moving), 1 fully.
 */
export function closeEyes(source: RgbImage, eyes: readonly EyeRegion[], closed = 1): RgbImage {
  const data = new Uint8Array(source.data);
  for (const eye of eyes) {
    const middle = (eye.top + eye.bottom) / 2;
    const half = ((eye.bottom - eye.top) / 2) * closed;
    const skinY = Math.min(source.height - 1, Math.round(eye.bottom + (eye.bottom - eye.top) * 0.9));
    for (let y = Math.round(middle - half - 1); y <= Math.round(middle + half + 1); y++) {
      for (let x = Math.round(eye.left - 2); x <= Math.round(eye.right + 2); x++) {
        if (x < 0 || y < 0 || x >= source.width || y >= source.height) continue;
        const target = (y * source.width + x) * 3;
        const from = (skinY * source.width + x) * 3;
        const lid = Math.abs(y - middle) < 1.2;
        for (let channel = 0; channel < 3; channel++) data[target + channel] = lid ? Math.round((source.data[from + channel] ?? 0) * 0.35) : (source.data[from + channel] ?? 0);
      }
    }
  }
  return { width: source.width, height: source.height, data };
}

/** A head turn (yaw) on a flat portrait: where the head is, its half-width, and the turn. */
export interface HeadTurn {
  /** The head's vertical axis and half-width in the source, px. */
  centerX: number;
  radius: number;
  /** Turn, degrees; positive moves the face's features towards the image's right (+x). */
  angleDeg: number;
}

/**
 * The portrait with the head turned about its vertical axis, the head taken as a cylinder of `radius`
 * around `centerX`: a point at angle φ on the cylinder (x = r·sin φ) is seen at r·sin(φ + θ), so the
 * features move towards one side and crowd against that edge while the far cheek widens — what a camera
 * sees of a real turn, and what FaceMesh's depth estimate reads as yaw (a flat perspective squeeze, as
 * {@link ViewChange.yaw}, reads as only 2–5°). Outside the cylinder the source is kept.
 */
export function turnHead(source: RgbImage, turn: HeadTurn): RgbImage {
  const theta = (turn.angleDeg * Math.PI) / 180;
  const data = new Uint8Array(source.data);
  for (let x = 0; x < source.width; x++) {
    const seen = (x - turn.centerX) / turn.radius;
    if (Math.abs(seen) >= 1) continue;
    const phi = Math.asin(seen) - theta;
    // Points turned beyond the visible half of the cylinder: the head's far side, shown as its edge.
    const sourceX = Math.round(turn.centerX + turn.radius * Math.sin(Math.max(-Math.PI / 2, Math.min(Math.PI / 2, phi))));
    if (sourceX < 0 || sourceX >= source.width) continue;
    for (let y = 0; y < source.height; y++) {
      const target = (y * source.width + x) * 3;
      const from = (y * source.width + sourceX) * 3;
      data[target] = source.data[from] ?? 0;
      data[target + 1] = source.data[from + 1] ?? 0;
      data[target + 2] = source.data[from + 2] ?? 0;
    }
  }
  return { width: source.width, height: source.height, data };
}
