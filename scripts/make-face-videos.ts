import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RgbImage } from '../central/face/engine.js';
import { FaceEngine } from '../central/face/engine.js';
import { closeEyes, readImage, turnHead, view } from './face-images.js';
import { facePortraits } from './face-portraits.js';

/**
 * Chromium fake-camera clips for the face check (`--use-file-for-fake-video-capture=<file>.y4m`), made from
 * the public-domain portraits (scripts/face-portraits.ts). Y4M (YUV 4:2:0) because Chromium reads it with
 * no codec, and the file is written with no native tool. Chromium loops a clip; each is a few seconds.
 *
 * - `live.y4m`: 李秀英's face (the astronaut) that blinks slowly once a second and a half in, as a person
 *   asked to blink would; slight sway as a person breathing.
 * - `other.y4m`: another person (Grace Hopper) who blinks: alive, but not the card's holder.
 * - `still.y4m`: 李秀英's face as a printed photo held to the camera: the same picture, moving a little
 *   with the hand, never blinking.
 *
 * Usage: `tsx scripts/make-face-videos.ts <dir>`; tests call {@link makeFaceVideos}.
 */
export interface FaceVideos {
  live: string;
  other: string;
  still: string;
}

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 15;

/** One frame as planar YUV 4:2:0 (BT.601 full range, as Chromium's Y4M reader assumes 'C420jpeg'). */
export function toI420(image: RgbImage): Buffer {
  const { width, height, data } = image;
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const index = (row * width + column) * 3;
      const r = data[index] ?? 0;
      const g = data[index + 1] ?? 0;
      const b = data[index + 2] ?? 0;
      y[row * width + column] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      if (row % 2 === 0 && column % 2 === 0) {
        const chroma = (row / 2) * (width / 2) + column / 2;
        u[chroma] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
        v[chroma] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      }
    }
  }
  return Buffer.concat([y, u, v]);
}

/** Writes frames as a Y4M file. */
export function writeY4m(file: string, frames: Iterable<RgbImage>): void {
  const handle = openSync(file, 'w');
  try {
    writeSync(handle, `YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`);
    for (const frame of frames) {
      writeSync(handle, 'FRAME\n');
      writeSync(handle, toI420(frame));
    }
  } finally {
    closeSync(handle);
  }
}

/** How closed the eyes are in frame `index` of a clip whose blink starts at `start`: slow, as an elder blinks. */
export function blinkAt(index: number, start: number): number {
  const profile = [0.35, 0.7, 1, 1, 1, 1, 0.7, 0.35];
  return profile[index - start] ?? 0;
}

/** The portrait framed as a face camera at arm's length sees it: face about half the frame's width. */
function framed(portrait: RgbImage, centerX: number, centerY: number, scale: number, sway: number): RgbImage {
  return view(portrait, { width: WIDTH, height: HEIGHT, centerX: centerX + sway, centerY, scale });
}

/** Frames of a clip whose face blinks slowly once, 1.5 s in (4 s at 15 fps); the benches replay them too. */
export async function blinkingClip(engine: FaceEngine, portrait: RgbImage, centerX: number, centerY: number, scale: number): Promise<RgbImage[]> {
  // The eyes found once, in the frame without sway; each frame's sway moves them by whole pixels.
  const eyes = await engine.eyes(framed(portrait, centerX, centerY, scale, 0));
  if (!eyes) throw new Error('make-face-videos: no face in the clip');
  const frames: RgbImage[] = [];
  const total = FPS * 4;
  const blinkStart = Math.round(FPS * 1.5);
  for (let index = 0; index < total; index++) {
    const sway = Math.round(Math.sin(index / 9) * 2);
    const frame = framed(portrait, centerX, centerY, scale, sway);
    const closed = blinkAt(index, blinkStart);
    // The picture moves opposite to the source point under the centre: sway +2 shows the face 2 × scale px left.
    const shift = -sway * scale;
    frames.push(closed === 0 ? frame : closeEyes(frame, eyes.map((eye) => ({ ...eye, left: eye.left + shift, right: eye.right + shift })), closed));
  }
  return frames;
}

/** The actions a test actor can do in front of the camera (composables/face-liveness.ts's, plus sitting still). */
export type ActorSegment = 'neutral' | 'blink' | 'turn-left' | 'turn-right';

/**
 * How far the actor's head turns, degrees of the cylinder model (scripts/face-images.ts turnHead): Human
 * reads the test portraits turned this far as a nose offset of 0.10–0.22 of the face's width (the
 * liveness check's threshold is 0.08) and a yaw of only 4–9° (its yaw estimate is weak on a warped photo).
 */
export const ACTOR_TURN_DEG = 35;

/**
 * Frames of a person who can do what a prompt asks (the responsive test actor): each segment starts and
 * ends facing the camera, at FPS frames a second.
 * - `neutral`: sitting still, breathing (2 s of slight sway, looped while nothing is asked);
 * - `blink`: one slow blink, eyes shut for about half a second (1 s in all), as an elder blinks when asked;
 * - `turn-left` / `turn-right`: a slow turn to the person's OWN left / right and back (about 2 s). The
 *   frames are the camera's unmirrored picture: a person facing it who turns to their left moves their
 *   nose towards the picture's right (+x), so `turn-left` turns the portrait's features towards +x.
 */
export async function actorSegments(engine: FaceEngine, portrait: RgbImage, centerX: number, centerY: number, scale: number): Promise<Record<ActorSegment, RgbImage[]>> {
  const face = await engine.detectFace(portrait);
  const eyes = await engine.eyes(framed(portrait, centerX, centerY, scale, 0));
  if (!face || !eyes) throw new Error('make-face-videos: no face for the actor');
  const [boxX, , boxWidth] = face.box;
  // Frames that look the same are the same object (a test encodes each picture once).
  const once = <K>(make: (key: K) => RgbImage) => {
    const made = new Map<K, RgbImage>();
    return (key: K) => made.get(key) ?? (made.set(key, make(key)), made.get(key) as RgbImage);
  };
  const swayed = once((sway: number) => framed(portrait, centerX, centerY, scale, sway));
  const neutral = Array.from({ length: FPS * 2 }, (_, index) => swayed(Math.round(Math.sin((index / (FPS * 2)) * 2 * Math.PI) * 2)));
  const shut = once((closed: number) => (closed === 0 ? swayed(0) : closeEyes(swayed(0), eyes, closed)));
  const blink = [0.35, 0.7, 1, 1, 1, 1, 1, 1, 1, 1, 0.7, 0.35, 0, 0, 0].map(shut);
  // Slowly there (0.5 s), held (0.7 s), slowly back (0.6 s): no fast gesture.
  const ramp = [0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.85, 0.7, 0.55, 0.4, 0.25, 0.1, 0, 0];
  const turned = once((angleDeg: number) => framed(turnHead(portrait, { centerX: boxX + boxWidth / 2, radius: boxWidth * 0.55, angleDeg }), centerX, centerY, scale, 0));
  const turn = (sign: number) => ramp.map((part) => (part === 0 ? swayed(0) : turned(sign * ACTOR_TURN_DEG * part)));
  return { neutral, blink, 'turn-left': turn(1), 'turn-right': turn(-1) };
}

/** Writes the three clips into `dir` (about 28 MB each: raw video) and answers their paths. */
export async function makeFaceVideos(dir: string, engine = new FaceEngine({ iris: true })): Promise<FaceVideos> {
  mkdirSync(dir, { recursive: true });
  const portraits = facePortraits();
  const astronaut = readImage(portraits.astronaut);
  const hopper = readImage(portraits.hopper);
  const videos = { live: join(dir, 'live.y4m'), other: join(dir, 'other.y4m'), still: join(dir, 'still.y4m') };
  writeY4m(videos.live, await blinkingClip(engine, astronaut, 240, 150, 1.8));
  writeY4m(videos.other, await blinkingClip(engine, hopper, 262, 225, 1.25));
  writeStillClip(videos.still);
  return videos;
}

/**
 * Writes only `still.y4m` into `dir` and answers its path: 李秀英's photo held to the camera (the tests
 * whose live person is the responsive actor need no other clip, and no model to make it).
 */
export function makeStillVideo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'still.y4m');
  writeStillClip(file);
  return file;
}

/** A photo in a hand: drifts a few pixels, and slowly tilts, but is the same picture in every frame. */
function writeStillClip(file: string): void {
  const astronaut = readImage(facePortraits().astronaut);
  const still: RgbImage[] = [];
  for (let index = 0; index < FPS * 4; index++) {
    still.push(view(astronaut, { width: WIDTH, height: HEIGHT, centerX: 240 + Math.round(Math.sin(index / 7) * 3), centerY: 150 + Math.round(Math.cos(index / 11) * 2), scale: 1.8, angleDeg: Math.sin(index / 13) * 2 }));
  }
  writeY4m(file, still);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx scripts/make-face-videos.ts <output dir>');
  process.stdout.write(`${JSON.stringify(await makeFaceVideos(dir), null, 2)}\n`);
}
