import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import renderer from './vite.config.js';

/**
 * Test-only build of the face check (renderer/face-harness.html) into dist/face-harness, kept apart
 * from dist/renderer so the citizen app never ships it. Served by the host's browser shell in the
 * face e2e test and the face benchmark (rendererDir). Otherwise the renderer's own build.
 */
export default mergeConfig(renderer, {
  build: {
    outDir: fileURLToPath(new URL('./dist/face-harness', import.meta.url)),
    rollupOptions: { input: fileURLToPath(new URL('./renderer/face-harness.html', import.meta.url)) },
  },
});
