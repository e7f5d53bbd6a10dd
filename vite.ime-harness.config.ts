import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Test-only build of the input panels (renderer/ime-harness.html) into dist/ime-harness, kept apart
 * from dist/renderer so the citizen app never ships it. Served by the host's browser shell in the
 * panels' e2e test and the IME benchmark (rendererDir).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/ime-harness', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    reportCompressedSize: false,
    rollupOptions: { input: fileURLToPath(new URL('./renderer/ime-harness.html', import.meta.url)) },
  },
});
