/**
 * The kinds of file the built renderer (dist/renderer) is made of, and the Content-Type each is served
 * with, by either shell: the browser shell's static server (host/bridge/ws-server.ts) and Electron's
 * app://kiosk protocol (electron/app-protocol.ts). Anything else is served as application/octet-stream,
 * which `X-Content-Type-Options: nosniff` keeps from running.
 */
export const RENDERER_CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  // The face check's TF.js backend: WebAssembly.instantiateStreaming requires this type.
  '.wasm': 'application/wasm',
});
