import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import renderer from './vite.config.js';

/**
 * Test-only build of the input panels (renderer/ime-harness.html) into dist/ime-harness, kept apart
 * from dist/renderer so the citizen app never ships it. Served by the host's browser shell in the
 * panels' e2e test and the IME benchmark (rendererDir). Otherwise the renderer's own build.
 */
export default mergeConfig(renderer, {
  build: {
    outDir: fileURLToPath(new URL('./dist/ime-harness', import.meta.url)),
    rollupOptions: { input: fileURLToPath(new URL('./renderer/ime-harness.html', import.meta.url)) },
  },
});
