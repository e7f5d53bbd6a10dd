import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The public-domain portraits the face check is tested and measured with, from scikit-image's bundled data
 * (Debian package python3-skimage 0.19; terms as its skimage/data/_fetchers.py docstrings state them):
 * - `astronaut.png`: Eileen Collins, NASA portrait, public domain (a work of the US government);
 * - `camera.png`: the 0.18+ "camera" photograph, CC0 by the photographer (Lav Varshney).
 * Fetched at test time with `apt-get download` (no root needed, nothing installed: the package would pull
 * in NumPy and SciPy) and unpacked with `dpkg-deb -x`; cached in `KIOSK_FACE_PORTRAITS` or the temp dir.
 */
export interface FacePortraits {
  /** 512×512 RGB PNG: the matching face (assigned to demo resident 李秀英). */
  astronaut: string;
  /** 512×512 grey PNG: the other face (assigned to demo resident 张建华). */
  cameraman: string;
}

const FILES = { astronaut: 'astronaut.png', cameraman: 'camera.png' } as const;

/** Where the portraits are cached. */
export function facePortraitDir(): string {
  return process.env.KIOSK_FACE_PORTRAITS ?? join(tmpdir(), 'kiosk-face-portraits');
}

/** The cached portraits, or null when they have not been fetched. */
export function cachedFacePortraits(dir = facePortraitDir()): FacePortraits | null {
  const portraits = { astronaut: join(dir, FILES.astronaut), cameraman: join(dir, FILES.cameraman) };
  return existsSync(portraits.astronaut) && existsSync(portraits.cameraman) ? portraits : null;
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
    try {
      execFileSync('apt-get', ['download', 'python3-skimage'], { cwd: work, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`face portraits: 'apt-get download python3-skimage' failed (${(error as Error).message.split('\n')[0]}); run it in ${dir} by hand`);
    }
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error('face portraits: apt-get download produced no .deb');
    execFileSync('dpkg-deb', ['-x', join(work, deb), join(work, 'x')], { stdio: 'pipe' });
    const data = join(work, 'x/usr/lib/python3/dist-packages/skimage/data');
    mkdirSync(dir, { recursive: true });
    for (const file of Object.values(FILES)) copyFileSync(join(data, file), join(dir, file));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const fetched = cachedFacePortraits(dir);
  if (!fetched) throw new Error('face portraits: the package no longer holds astronaut.png and camera.png');
  return fetched;
}
