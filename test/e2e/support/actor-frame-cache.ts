import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActorSegment } from '../../../scripts/make-face-videos.js';

/**
 * The face actor's encoded frames (support/face-actor.ts actorFrames) cached on disk between e2e processes.
 * Making them runs the FaceEngine on every frame (about 17 s per portrait on this machine), which every e2e
 * file that uses the actor paid again; now only the first face e2e file of a run (or of a changed tree) does.
 *
 * The cache sits next to the portraits it is made from (scripts/face-portraits.ts facePortraitDir:
 * `KIOSK_FACE_PORTRAITS` or `<tmp>/kiosk-face-portraits`), one file per key. The key is a SHA-256 over
 * everything that decides the frames: ACTOR_FRAMES_VERSION, the portrait's bytes, the framing, the JPEG
 * quality, the source of the code that makes them (ACTOR_FRAME_SOURCES) and the versions of the packages
 * it runs (ACTOR_FRAME_PACKAGES: the face model and its backend, the image codecs). A file is written under
 * a temporary name and renamed (atomic: e2e files run two at a time, and both may make the same frames);
 * one that does not parse, does not match its key or whose digest does not match its content is
 * rebuilt, never trusted. A lock file lets one process make a key's frames while the others wait for them.
 */

/** Bump when the cached format or the frames' meaning changes in a way the key cannot see. */
export const ACTOR_FRAMES_VERSION = 1;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The files whose code makes the frames (repository-relative): a change to any of them makes new frames. */
export const ACTOR_FRAME_SOURCES = ['scripts/make-face-videos.ts', 'scripts/face-images.ts', 'central/face/engine.ts', 'test/e2e/support/face-actor.ts'] as const;

/** The packages the frames are made with (the face model and its backend, the image codecs): their versions count. */
export const ACTOR_FRAME_PACKAGES = ['@vladmandic/human', '@tensorflow/tfjs-backend-wasm', 'jpeg-js', 'pngjs'] as const;

/** What decides one actor's frames, besides the code and packages above. */
export interface ActorFrameInputs {
  /** The portrait file's bytes (scripts/face-portraits.ts). */
  portrait: Buffer;
  /** actorSegments' framing: centre x, centre y (pixels of the portrait), scale. */
  framing: readonly [number, number, number];
  /** encodeJpeg's quality, 1…100. */
  jpegQuality: number;
}

/** The frames as face-actor.ts hands them to the page: per segment, one JPEG data URL per frame. */
export type ActorFrames = Record<ActorSegment, string[]>;

/** On disk: each distinct picture once (base64 JPEG), the segments as indices into `images`. */
interface CacheFile {
  key: string;
  /** SHA-256 (hex) of JSON.stringify([images, segments]). */
  digest: string;
  images: string[];
  segments: Record<string, number[]>;
}

const SEGMENTS: readonly ActorSegment[] = ['neutral', 'blink', 'turn-left', 'turn-right'];
const DATA_URL = 'data:image/jpeg;base64,';

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'missing';
  }
}

/** The cache key of one actor's frames (hex SHA-256); see the module comment for what goes in. */
export function actorFramesKey(inputs: ActorFrameInputs): string {
  const hash = createHash('sha256');
  const part = (label: string, value: string | Buffer) => {
    hash.update(`${label}\0${value.length}\0`);
    hash.update(value);
  };
  part('version', String(ACTOR_FRAMES_VERSION));
  part('portrait', createHash('sha256').update(inputs.portrait).digest('hex'));
  part('framing', JSON.stringify(inputs.framing));
  part('quality', String(inputs.jpegQuality));
  for (const source of ACTOR_FRAME_SOURCES) part(source, readFileSync(join(ROOT, source)));
  for (const name of ACTOR_FRAME_PACKAGES) part(name, packageVersion(name));
  return hash.digest('hex');
}

const digestOf = (images: readonly string[], segments: Record<string, number[]>) => createHash('sha256').update(JSON.stringify([images, segments])).digest('hex');

/** The cache file of `key` in `dir`. */
export function actorFramesFile(dir: string, key: string): string {
  return join(dir, `actor-frames-${key.slice(0, 32)}.json`);
}

/**
 * The frames cached in `file` for `key`, or null when there are none or the file is not a whole, matching
 * cache file (truncated, corrupt, another key, images that are not JPEG). Never throws on the file's content.
 */
export function readActorFrames(file: string, key: string): ActorFrames | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { key: storedKey, digest, images, segments } = parsed as Partial<CacheFile>;
  if (storedKey !== key || typeof digest !== 'string' || !Array.isArray(images) || typeof segments !== 'object' || segments === null) return null;
  if (!images.every((image): image is string => typeof image === 'string' && image.startsWith('/9j/'))) return null;
  const frames: Partial<ActorFrames> = {};
  for (const name of SEGMENTS) {
    const indices = (segments as Record<string, unknown>)[name];
    if (!Array.isArray(indices) || indices.length === 0) return null;
    if (!indices.every((index): index is number => Number.isInteger(index) && index >= 0 && index < images.length)) return null;
    frames[name] = indices.map((index) => `${DATA_URL}${images[index]}`);
  }
  if (Object.keys(segments).length !== SEGMENTS.length || digestOf(images, segments as Record<string, number[]>) !== digest) return null;
  return frames as ActorFrames;
}

/** Writes `frames` as the cache file of `key` (temporary name, then rename: readers see all of it or nothing). */
export function writeActorFrames(file: string, key: string, frames: ActorFrames): void {
  const images: string[] = [];
  const indexOf = new Map<string, number>();
  const segments: Record<string, number[]> = {};
  for (const name of SEGMENTS) {
    segments[name] = frames[name].map((url) => {
      if (!url.startsWith(DATA_URL)) throw new Error(`actor frames: ${name} holds a frame that is not a JPEG data URL`);
      let index = indexOf.get(url);
      if (index === undefined) {
        index = images.push(url.slice(DATA_URL.length)) - 1;
        indexOf.set(url, index);
      }
      return index;
    });
  }
  const content: CacheFile = { key, digest: digestOf(images, segments), images, segments };
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(content));
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** A lock older than this is taken for a crashed maker's and removed (making takes about 17 s; 40 s under load). */
export const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 250;

/** True if this process now holds `lock`; false if another does; null if no lock can be made there. */
function takeLock(lock: string): boolean | null {
  try {
    mkdirSync(dirname(lock), { recursive: true });
  } catch {
    return null;
  }
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? false : null;
  }
}

/** A lock whose maker is gone (no such process here) or that is older than LOCK_STALE_MS. */
function staleLock(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(lock, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH';
  }
}

/**
 * The frames of `inputs` from the cache in `dir`, or made with `make` and cached. One maker at a time
 * across processes (a lock file beside the cache file): an e2e file that finds another making the same
 * frames waits for them instead of making them too. A cache that cannot be written (e.g. a read-only
 * dir) costs only the time: the frames are still answered.
 */
export async function cachedActorFrames(dir: string, inputs: ActorFrameInputs, make: () => Promise<ActorFrames>): Promise<ActorFrames> {
  const key = actorFramesKey(inputs);
  const file = actorFramesFile(dir, key);
  const lock = `${file}.lock`;
  for (;;) {
    const cached = readActorFrames(file, key);
    if (cached) return cached;
    const taken = takeLock(lock);
    if (taken === null) return make();
    if (taken) {
      try {
        // Made by another process between the read above and the lock.
        const made = readActorFrames(file, key);
        if (made) return made;
        const started = performance.now();
        const frames = await make();
        // One line in the run's log: which file paid for the frames, and how much.
        process.stderr.write(`actor frames: made in ${((performance.now() - started) / 1000).toFixed(1)} s, cached as ${file}\n`);
        try {
          writeActorFrames(file, key, frames);
        } catch (error) {
          process.stderr.write(`actor frames: not cached (${(error as Error).message})\n`);
        }
        return frames;
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (staleLock(lock)) rmSync(lock, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}
