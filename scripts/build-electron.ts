/**
 * Bundles what Electron loads: main (ESM), preload (CommonJS: sandboxed preloads cannot be modules)
 * and the host (ESM, run as a utilityProcess). Native modules stay external: electron-builder rebuilds
 * them for Electron's ABI at packaging time. So does wavefile: its bundler entry (ESM, named exports)
 * and its Node entry (CommonJS, one default) differ, and the host imports it the way Node and tsx see it.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const native = ['better-sqlite3', 'serialport', '@serialport/bindings-cpp', 'node-hid', 'pdfkit', '@expo-google-fonts/noto-sans-sc', 'koffi', 'wavefile'];

async function bundle(entry: string, fileName: string, format: 'es' | 'cjs', external: string[]): Promise<void> {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: true,
      target: 'node22',
      outDir: `dist/${fileName.split('/')[0]}`,
      emptyOutDir: false,
      minify: false,
      sourcemap: true,
      rollupOptions: {
        input: `${root}${entry}`,
        external: [...nodeBuiltins, 'electron', ...external],
        output: { format, entryFileNames: fileName.split('/')[1] },
      },
    },
    ssr: { noExternal: true },
  });
}

await bundle('electron/main.ts', 'electron/main.js', 'es', []);
await bundle('electron/preload.ts', 'electron/preload.cjs', 'cjs', []);
await bundle('host/main.ts', 'host/main.js', 'es', native);
process.stdout.write('built dist/electron/main.js, dist/electron/preload.cjs, dist/host/main.js\n');
