import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The face check's test page (renderer/face-harness.html), built by `npm run build:renderer` into dist/face-harness. */
export const FACE_HARNESS_DIR = fileURLToPath(new URL('../../../dist/face-harness', import.meta.url));

export function assertFaceHarnessBuilt(): void {
  if (!existsSync(join(FACE_HARNESS_DIR, 'face-harness.html'))) throw new Error('dist/face-harness is missing: run `npm run build:renderer` first');
}
