import { pathToFileURL } from 'node:url';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../contract/derive.js';
import { methodName } from '../../../contract/define.js';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, isAllowedPermission, isTrustedSender } from '../../../electron/security.js';

/**
 * Electron cannot run on these machines, so the shell is tested against a recording stand-in for the
 * `electron` module: what main configures, what it refuses, and what the preload exposes.
 */
type Listener = (...args: unknown[]) => unknown;

const recorded = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; events: Map<string, Listener>; openHandler: Listener | null; loaded: string | null; webContents: unknown }>,
  forks: [] as Array<{ events: Map<string, Listener>; sent: unknown[] }>,
  ipcHandlers: new Map<string, Listener>(),
  permissionRequest: null as Listener | null,
  permissionCheck: null as Listener | null,
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  keyringBackend: 'basic_text',
  userData: '/tmp',
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: { on: (event: string, listener: Listener) => void; setWindowOpenHandler: (handler: Listener) => void; send: Listener; mainFrame: object };
    constructor(options: Record<string, unknown>) {
      const entry = { options, events: new Map<string, Listener>(), openHandler: null as Listener | null, loaded: null as string | null, webContents: null as unknown };
      this.webContents = {
        on: (event, listener) => entry.events.set(event, listener),
        setWindowOpenHandler: (handler) => (entry.openHandler = handler),
        send: () => undefined,
        mainFrame: {},
      };
      entry.webContents = this.webContents;
      recorded.windows.push(entry);
    }
    loadFile(file: string) {
      const last = recorded.windows.at(-1);
      if (last) last.loaded = file;
      return Promise.resolve();
    }
  }
  return {
    app: { whenReady: () => Promise.resolve(), on: () => undefined, isReady: () => true, isPackaged: true, getPath: () => recorded.userData, quit: () => undefined },
    BrowserWindow,
    ipcMain: { handle: (channel: string, handler: Listener) => recorded.ipcHandlers.set(channel, handler) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (recorded.permissionRequest = handler),
        setPermissionCheckHandler: (handler: Listener) => (recorded.permissionCheck = handler),
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    utilityProcess: {
      fork: () => {
        const child = { events: new Map<string, Listener>(), sent: [] as unknown[] };
        recorded.forks.push(child);
        const listen = (event: string, listener: Listener) => child.events.set(event, listener);
        return { on: listen, once: listen, postMessage: (message: unknown) => child.sent.push(message), kill: () => undefined };
      },
    },
    safeStorage: {
      getSelectedStorageBackend: () => recorded.keyringBackend,
      isAsyncEncryptionAvailable: () => Promise.resolve(true),
      encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`wrapped:${text}`)),
      decryptStringAsync: (data: Buffer) => Promise.resolve({ result: data.toString().replace(/^wrapped:/, ''), shouldReEncrypt: false }),
    },
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => recorded.exposed.set(name, api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        recorded.invoked.push(args);
        return Promise.resolve({ ok: true, value: { pending: 0, needsStaff: 0, online: true } });
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('electron/security', () => {
  const index = pathToFileURL('/opt/kiosk/renderer/index.html').href;

  it('allows navigation only to the bundled renderer', () => {
    expect(isAllowedNavigation(index, index)).toBe(true);
    expect(isAllowedNavigation(`${index}#/x`, index)).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', index)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', index)).toBe(false);
    expect(isAllowedNavigation('not a url', index)).toBe(false);
  });

  it('trusts only the top frame showing the renderer', () => {
    expect(isTrustedSender(index, true, index)).toBe(true);
    expect(isTrustedSender(index, false, index)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true, index)).toBe(false);
    expect(isTrustedSender(undefined, true, index)).toBe(false);
  });

  it('allows the camera alone, video only, to the top frame showing the renderer', () => {
    const ask = { requestingUrl: index, isMainFrame: true };
    expect(isAllowedPermission('media', { ...ask, mediaTypes: ['video'] }, index)).toBe(true);
    expect(isAllowedPermission('media', { ...ask, mediaType: 'video' }, index)).toBe(true);
    expect(isAllowedPermission('media', { ...ask, mediaTypes: ['video', 'audio'] }, index)).toBe(false);
    expect(isAllowedPermission('media', { ...ask, mediaTypes: ['audio'] }, index)).toBe(false);
    expect(isAllowedPermission('media', { ...ask, mediaType: 'unknown' }, index)).toBe(false);
    // Electron leaves mediaTypes empty when it cannot tell what is asked (e.g. a bare check): deny.
    expect(isAllowedPermission('media', { ...ask, mediaTypes: [] }, index)).toBe(false);
    expect(isAllowedPermission('media', ask, index)).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'], requestingUrl: index, isMainFrame: false }, index)).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'], requestingUrl: 'https://evil.example/', isMainFrame: true }, index)).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'], isMainFrame: true }, index)).toBe(false);
    for (const other of ['display-capture', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal']) {
      expect(isAllowedPermission(other, { ...ask, mediaTypes: ['video'] }, index)).toBe(false);
    }
  });

  it('has a policy with no remote code, no framing and no outside connections', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    // The photo being checked and the accepted thumbnail are JPEG data URLs.
    expect(CONTENT_SECURITY_POLICY).toMatch(/img-src [^;]*data:/);
  });
});

describe('electron/main', () => {
  beforeEach(async () => {
    vi.resetModules();
    recorded.windows.length = 0;
    recorded.forks.length = 0;
    recorded.ipcHandlers.clear();
    await import('../../../electron/main.js');
    await flush();
  });

  it('opens one locked-down kiosk window on the bundled renderer', () => {
    expect(recorded.windows).toHaveLength(1);
    const window = recorded.windows[0];
    const preferences = window?.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick', autoplayPolicy: 'no-user-gesture-required' });
    expect(window?.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(window?.loaded?.endsWith(join('renderer', 'index.html'))).toBe(true);
  });

  it('blocks navigation away from the renderer and every new window', () => {
    const window = recorded.windows[0];
    const preventDefault = vi.fn();
    window?.events.get('will-navigate')?.({ preventDefault }, 'https://evil.example/');
    expect(preventDefault).toHaveBeenCalled();
    expect(window?.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission but the camera (video only) to the kiosk window\'s renderer', () => {
    const window = recorded.windows[0];
    const contents = window?.webContents;
    const url = pathToFileURL(window?.loaded ?? '').href;
    const request = (sender: unknown, permission: string, details: Record<string, unknown>) => {
      const callback = vi.fn();
      recorded.permissionRequest?.(sender, permission, callback, details);
      return callback.mock.calls[0]?.[0] as boolean;
    };
    expect(request(contents, 'media', { mediaTypes: ['video'], requestingUrl: url, isMainFrame: true })).toBe(true);
    expect(request(contents, 'media', { mediaTypes: ['video', 'audio'], requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(request(contents, 'media', { mediaTypes: ['audio'], requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(request(contents, 'media', { mediaTypes: ['video'], requestingUrl: url, isMainFrame: false })).toBe(false);
    expect(request(contents, 'media', { mediaTypes: ['video'], requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(request({}, 'media', { mediaTypes: ['video'], requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(request(contents, 'geolocation', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(request(contents, 'display-capture', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(recorded.permissionCheck?.(contents, 'media', 'file:///', { mediaType: 'video', requestingUrl: url, isMainFrame: true })).toBe(true);
    expect(recorded.permissionCheck?.(contents, 'media', 'file:///', { mediaType: 'audio', requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(recorded.permissionCheck?.(contents, 'geolocation', 'file:///', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(recorded.permissionCheck?.(null, 'media', 'file:///', { mediaType: 'video', requestingUrl: url, isMainFrame: true })).toBe(false);
  });

  it('relays a call from the kiosk window to the host and its answer back', async () => {
    const window = recorded.windows[0];
    const handler = recorded.ipcHandlers.get('kiosk:invoke');
    const contents = window?.webContents as { mainFrame: object };
    const frameUrl = pathToFileURL(window?.loaded ?? '').href;
    const answer = handler?.({ sender: contents, senderFrame: Object.assign(contents.mainFrame, { url: frameUrl }) }, 'outbox:get-depth', {}) as Promise<unknown>;
    const host = recorded.forks[0];
    expect(host?.sent).toEqual([{ id: 1, channel: 'outbox:get-depth', request: {} }]);
    host?.events.get('message')?.({ id: 1, result: { ok: true, value: 'from host' } });
    expect(await answer).toEqual({ ok: true, value: 'from host' });
  });

  it('refuses calls from any other sender or frame', async () => {
    const handler = recorded.ipcHandlers.get('kiosk:invoke');
    const stranger = { mainFrame: {} };
    const result = await handler?.({ sender: stranger, senderFrame: stranger.mainFrame }, 'outbox:get-depth', {});
    expect(result).toEqual({ ok: false, error: { code: 'forbidden-sender', message: '拒绝访问' } });
    expect(recorded.forks[0]?.sent).toEqual([]);
  });

  it('hands the host no key where Linux has only basic_text, so the host keeps its 0600 key file', async () => {
    recorded.forks[0]?.events.get('spawn')?.();
    await flush();
    expect(recorded.forks[0]?.sent[0]).toMatchObject({ type: 'outbox-key', key: null });
    expect((recorded.forks[0]?.sent[0] as { detail: string }).detail).toContain('basic_text');
  });

  it('wraps a new outbox key with the OS keyring and posts it as the host\'s first message, the same key after a restart', async () => {
    recorded.keyringBackend = 'gnome_libsecret';
    recorded.userData = mkdtempSync(join(tmpdir(), 'kiosk-shell-'));
    try {
      recorded.forks[0]?.events.get('spawn')?.();
      await flush();
      const first = recorded.forks[0]?.sent[0] as { type: string; key: string };
      expect(first.type).toBe('outbox-key');
      expect(Buffer.from(first.key, 'base64')).toHaveLength(32);
      const wrapped = join(recorded.userData, 'outbox-key.safe');
      expect(readFileSync(wrapped, 'utf8')).toBe(`wrapped:${first.key}`);
      expect(statSync(wrapped).mode & 0o777).toBe(0o600);
      vi.useFakeTimers();
      try {
        recorded.forks[0]?.events.get('exit')?.(1);
        await vi.advanceTimersByTimeAsync(1_500);
      } finally {
        vi.useRealTimers();
      }
      recorded.forks[1]?.events.get('spawn')?.();
      await flush();
      expect(recorded.forks[1]?.sent[0]).toMatchObject({ type: 'outbox-key', key: first.key });
    } finally {
      recorded.keyringBackend = 'basic_text';
      recorded.userData = '/tmp';
    }
  });

  it('restarts the host when it dies, and answers pending calls meanwhile', async () => {
    vi.useFakeTimers();
    try {
      const window = recorded.windows[0];
      const contents = window?.webContents as { mainFrame: object };
      const frameUrl = pathToFileURL(window?.loaded ?? '').href;
      const pending = recorded.ipcHandlers.get('kiosk:invoke')?.({ sender: contents, senderFrame: Object.assign(contents.mainFrame, { url: frameUrl }) }, 'session:get', {}) as Promise<unknown>;
      recorded.forks[0]?.events.get('exit')?.(1);
      expect(await pending).toMatchObject({ ok: false, error: { code: 'host-restarting' } });
      await vi.advanceTimersByTimeAsync(1_500);
      expect(recorded.forks).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('electron/preload', () => {
  it('exposes exactly the contract-derived methods, never ipcRenderer', async () => {
    vi.resetModules();
    recorded.exposed.clear();
    await import('../../../electron/preload.js');
    const api = recorded.exposed.get('kiosk') as Record<string, unknown>;
    expect([...recorded.exposed.keys()]).toEqual(['kiosk']);
    expect(Object.keys(api).sort()).toEqual([...channelNames.map(methodName), 'on'].sort());
    expect(Object.values(api).some((value) => typeof value === 'object')).toBe(false);
    const result = await (api.outboxGetDepth as (request: object) => Promise<unknown>)({});
    expect(recorded.invoked.at(-1)).toEqual(['kiosk:invoke', 'outbox:get-depth', {}]);
    expect(result).toEqual({ ok: true, value: { pending: 0, needsStaff: 0, online: true } });
  });
});
