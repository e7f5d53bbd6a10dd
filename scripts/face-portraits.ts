import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * The public-domain portraits the face check is tested and measured with, from two Debian packages' bundled
 * sample data (terms as the packages state them):
 * - `astronaut.png` (python3-skimage 0.19, skimage/data): Eileen Collins, NASA portrait, "no known
 *   copyright restrictions, released into the public domain";
 * - `camera.png` (same package): the 0.18+ "camera" photograph, CC0 by the photographer (Lav Varshney);
 * - `grace_hopper.jpg` (python-matplotlib-data 3.6, mpl-data/sample_data): Grace Hopper's official US
 *   Navy portrait, a work of the US government, public domain.
 * Fetched at test time with `apt-get download` (no root needed, nothing installed: the packages would pull
 * in NumPy and SciPy) and unpacked with `dpkg-deb -x`; cached in `KIOSK_FACE_PORTRAITS` or the temp dir.
 */
export interface FacePortraits {
  /** 512×512 RGB PNG, facing the camera: the matching face (demo resident 李秀英). */
  astronaut: string;
  /** 512×600 RGB JPEG, facing the camera: the other face (demo resident 孙桂兰). */
  hopper: string;
  /** 512×512 grey PNG, head turned about 35°: a third identity for the FAR/FRR set (demo resident 张建华). */
  cameraman: string;
}

/** Each portrait: the Debian package, and the file's path inside it. */
const SOURCES = {
  astronaut: { deb: 'python3-skimage', path: 'usr/lib/python3/dist-packages/skimage/data/astronaut.png' },
  cameraman: { deb: 'python3-skimage', path: 'usr/lib/python3/dist-packages/skimage/data/camera.png' },
  hopper: { deb: 'python-matplotlib-data', path: 'usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg' },
} as const;

/** Where the portraits are cached. */
export function facePortraitDir(): string {
  return process.env.KIOSK_FACE_PORTRAITS ?? join(tmpdir(), 'kiosk-face-portraits');
}

/** The cached portraits, or null when they have not been fetched. */
export function cachedFacePortraits(dir = facePortraitDir()): FacePortraits | null {
  const portraits = Object.fromEntries(Object.entries(SOURCES).map(([name, source]) => [name, join(dir, basename(source.path))])) as unknown as FacePortraits;
  return Object.values(portraits).every((file) => existsSync(file)) ? portraits : null;
}

/**
 * The portraits, fetched first if needed. Throws with the command to run when apt cannot download (no
 * Debian archive reachable): every face test needs them, and a silent skip would hide that.
 */
export function facePortraits(dir = facePortraitDir()): FacePortraits {
  const cached = cachedFacePortraits(dir);
  if (cached) return cached;
  const work = mkdtempSync(join(tmpdir(), 'kiosk-skimage-'));
  try {
    const packages = [...new Set(Object.values(SOURCES).map((source) => source.deb))];
    try {
      execFileSync('apt-get', ['download', ...packages], { cwd: work, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`face portraits: 'apt-get download ${packages.join(' ')}' failed (${(error as Error).message.split('\n')[0]}); is a Debian archive reachable?`, { cause: error });
    }
    for (const deb of readdirSync(work).filter((name) => name.endsWith('.deb'))) execFileSync('dpkg-deb', ['-x', join(work, deb), join(work, 'x')], { stdio: 'pipe' });
    mkdirSync(dir, { recursive: true });
    // Copied under a temporary name and renamed: e2e files run two at a time, and one may look for the
    // portraits while the other writes them (a rename is atomic; a half-copied PNG would not be).
    for (const source of Object.values(SOURCES)) {
      const target = join(dir, basename(source.path));
      copyFileSync(join(work, 'x', source.path), `${target}.${process.pid}.tmp`);
      renameSync(`${target}.${process.pid}.tmp`, target);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const fetched = cachedFacePortraits(dir);
  if (!fetched) throw new Error('face portraits: a package no longer holds its portrait');
  return fetched;
}
