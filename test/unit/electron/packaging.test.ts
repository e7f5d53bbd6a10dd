import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PAGE_CONTENT_SECURITY_POLICY } from '../../../electron/security.js';
import { contentSecurityPolicyMeta, preloadBundledFonts } from '../../../vite.config.js';

/**
 * What the packaged kiosk is: electron-builder.yml is read as electron-builder reads it (YAML), since the
 * packaging itself cannot run here (no Electron binary, no network).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const builder = parse(readFileSync(`${root}electron-builder.yml`, 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('flips the fuses that keep the binary from being a Node runtime or loading other code', () => {
    // Option names are electron-builder's FuseOptionsV1 (its @electron/fuses integration).
    expect(builder.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into an asar, which the integrity and OnlyLoadAppFromAsar fuses need', () => {
    expect(builder.asar).toBe(true);
    expect(JSON.stringify(builder)).not.toContain('disableIntegrity');
  });
});

describe('the built page', () => {
  it('carries the page CSP as the first element of <head>', () => {
    const plugin = contentSecurityPolicyMeta();
    const hook = plugin.transformIndexHtml as () => Array<{ tag: string; attrs: Record<string, string>; injectTo: string }>;
    expect(hook()).toEqual([{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }]);
  });

  it('preloads every font file of the bundle, in CORS mode as fonts are fetched, and nothing else', () => {
    const plugin = preloadBundledFonts();
    const hook = plugin.transformIndexHtml as { order: string; handler: (html: string, context: { bundle?: Record<string, unknown> }) => unknown };
    expect(hook.order).toBe('post');
    const bundle = { 'assets/index-1.js': {}, 'assets/index-2.css': {}, 'assets/NotoSansSC_700Bold-b.ttf': {}, 'assets/NotoSansSC_400Regular-a.ttf': {}, 'assets/x.woff2': {} };
    expect(hook.handler('', { bundle })).toEqual([
      { tag: 'link', attrs: { rel: 'preload', as: 'font', type: 'font/ttf', href: './assets/NotoSansSC_400Regular-a.ttf', crossorigin: '' }, injectTo: 'head' },
      { tag: 'link', attrs: { rel: 'preload', as: 'font', type: 'font/ttf', href: './assets/NotoSansSC_700Bold-b.ttf', crossorigin: '' }, injectTo: 'head' },
      { tag: 'link', attrs: { rel: 'preload', as: 'font', type: 'font/woff2', href: './assets/x.woff2', crossorigin: '' }, injectTo: 'head' },
    ]);
    // The development server has no bundle: nothing to preload.
    expect(hook.handler('', {})).toEqual([]);
  });
});
