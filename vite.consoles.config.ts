import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Central's web consoles (consoles/): built into dist/consoles, served by central at /console/. */
export default defineConfig({
  root: fileURLToPath(new URL('./consoles', import.meta.url)),
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/consoles', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome110',
    reportCompressedSize: false,
  },
});
