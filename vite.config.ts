import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
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

/** The renderer: built once, served by the browser shell or by Electron's app://kiosk protocol. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue(), contentSecurityPolicyMeta()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    reportCompressedSize: false,
  },
});
