import vue from '@vitejs/plugin-vue';
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

/** The renderer: built once, served by the browser shell or by Electron's app://kiosk protocol. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue(), contentSecurityPolicyMeta(), preloadBundledFonts()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    reportCompressedSize: false,
  },
});
