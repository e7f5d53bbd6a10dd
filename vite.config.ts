import vue from '@vitejs/plugin-vue';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import { PAGE_CONTENT_SECURITY_POLICY } from './electron/security.js';

/**
 * The page's own Content-Security-Policy as the first element of <head>: it holds in both shells and
 * wherever a response header does not reach (Electron checklist: define a CSP; the headers narrow it).
 */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'kiosk-content-security-policy-meta',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

const FONT_TYPES: Readonly<Record<string, string>> = { '.ttf': 'font/ttf', '.woff2': 'font/woff2' };

/**
 * A `<link rel="preload" as="font">` for each font file in the built bundle (the bundled Noto Sans SC
 * weights, renderer/src/styles.css). Without it Chromium asks for a font only once the script has built
 * the screen and laid out its text, and `font-display: block` keeps that text invisible until the file is
 * in: after a crash the home screen showed its buttons blank for another ~200 ms. Preloaded, the fonts
 * load while the script runs. `crossorigin` because fonts are always fetched in CORS mode; without it
 * Chromium fetches each file twice.
 */
export function preloadBundledFonts(): Plugin {
  return {
    name: 'kiosk-preload-bundled-fonts',
    transformIndexHtml: {
      order: 'post',
      handler: (_html, context): HtmlTagDescriptor[] =>
        Object.keys(context.bundle ?? {})
          .filter((file) => Object.keys(FONT_TYPES).some((extension) => file.endsWith(extension)))
          .sort()
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'preload', as: 'font', type: FONT_TYPES[file.slice(file.lastIndexOf('.'))] ?? '', href: `./${file}`, crossorigin: '' },
            injectTo: 'head',
          })),
    },
  };
}

/** The face check's model and WebAssembly files, as `face/<name>` in the bundle (renderer/src/components/face/face-model.ts). */
export const FACE_ASSET_FILES: Readonly<Record<string, string>> = Object.freeze({
  'blazeface.json': '@vladmandic/human/models/blazeface.json',
  'blazeface.bin': '@vladmandic/human/models/blazeface.bin',
  'facemesh.json': '@vladmandic/human/models/facemesh.json',
  'facemesh.bin': '@vladmandic/human/models/facemesh.bin',
  'iris.json': '@vladmandic/human/models/iris.json',
  'iris.bin': '@vladmandic/human/models/iris.bin',
  'tfjs-backend-wasm.wasm': '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm': '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
});

/**
 * Copies the face check's models (from @vladmandic/human's package) and TF.js's WebAssembly binaries into
 * the bundle under `face/`, so the kiosk loads them from itself: a hall kiosk reaches no CDN, and the
 * page's CSP allows only 'self'. The detection models only: the descriptor model runs at central.
 */
export function faceModelAssets(): Plugin {
  const modules = fileURLToPath(new URL('./node_modules/', import.meta.url));
  return {
    name: 'kiosk-face-model-assets',
    apply: 'build',
    generateBundle() {
      for (const [name, source] of Object.entries(FACE_ASSET_FILES)) {
        this.emitFile({ type: 'asset', fileName: `face/${name}`, source: readFileSync(modules + source) });
      }
    },
  };
}

/** The renderer: built once, served by the browser shell or by Electron's app://kiosk protocol. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue(), contentSecurityPolicyMeta(), preloadBundledFonts(), faceModelAssets()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    reportCompressedSize: false,
  },
});
