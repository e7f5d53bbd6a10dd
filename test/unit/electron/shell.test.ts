import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../contract/derive.js';
import { methodName } from '../../../contract/define.js';
import { RENDERER_ENTRY_URL, serveAppRequest } from '../../../electron/app-protocol.js';
import { CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY, isAllowedNavigation, isAllowedPermission, isTrustedSender } from '../../../electron/security.js';
import { WindowSupervisor } from '../../../electron/window-supervisor.js';

/**
 * Electron cannot run on these machines, so the shell is tested against a recording stand-in for the
 * `electron` module: what main configures, what it refuses, and what the preload exposes.
 */
type Listener = (...args: unknown[]) => unknown;

const recorded = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; events: Map<string, Listener>; windowEvents: Map<string, Listener>; openHandler: Listener | null; loaded: string | null; webContents: unknown; reloads: number; crashes: number }>,
  appEvents: new Map<string, Listener>(),
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, Listener>(),
  relaunches: [] as unknown[],
  exits: [] as unknown[],
  readyBeforeSchemes: false,
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
    webContents: { on: (event: string, listener: Listener) => void; setWindowOpenHandler: (handler: Listener) => void; send: Listener; mainFrame: object; reload: () => void; forcefullyCrashRenderer: () => void };
    private readonly entry;
    constructor(options: Record<string, unknown>) {
      const entry = { options, events: new Map<string, Listener>(), windowEvents: new Map<string, Listener>(), openHandler: null as Listener | null, loaded: null as string | null, webContents: null as unknown, reloads: 0, crashes: 0 };
      this.entry = entry;
      this.webContents = {
        on: (event, listener) => entry.events.set(event, listener),
        setWindowOpenHandler: (handler) => (entry.openHandler = handler),
        send: () => undefined,
        mainFrame: {},
        reload: () => void (entry.reloads += 1),
        forcefullyCrashRenderer: () => void (entry.crashes += 1),
      };
      entry.webContents = this.webContents;
      recorded.windows.push(entry);
    }
    on(event: string, listener: Listener) {
      this.entry.windowEvents.set(event, listener);
    }
    loadURL(url: string) {
      this.entry.loaded = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      whenReady: () => {
        if (recorded.schemes.length === 0) recorded.readyBeforeSchemes = true;
        return Promise.resolve();
      },
      on: (event: string, listener: Listener) => recorded.appEvents.set(event, listener),
      isReady: () => true,
      isPackaged: true,
      getPath: () => recorded.userData,
      quit: () => undefined,
      relaunch: (options: unknown) => recorded.relaunches.push(options),
      exit: (code: unknown) => recorded.exits.push(code),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.schemes.push(...schemes),
      handle: (scheme: string, handler: Listener) => recorded.protocolHandlers.set(scheme, handler),
    },
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
  const index = RENDERER_ENTRY_URL;

  it('allows navigation only to the bundled renderer', () => {
    expect(index).toBe('app://kiosk/index.html');
    expect(isAllowedNavigation(index, index)).toBe(true);
    expect(isAllowedNavigation(`${index}#/x`, index)).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', index)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', index)).toBe(false);
    expect(isAllowedNavigation('file:///index.html', index)).toBe(false);
    expect(isAllowedNavigation('app://evil/index.html', index)).toBe(false);
    expect(isAllowedNavigation('app://user@kiosk/index.html', index)).toBe(false);
    expect(isAllowedNavigation('not a url', index)).toBe(false);
  });

  it('rejects a file: URL naming any host, with the renderer\'s own path (regression: file://attacker.example/C:/… passed)', () => {
    const fileIndex = 'file:///C:/Program%20Files/kiosk/resources/app.asar/dist/renderer/index.html';
    const attacker = 'file://attacker.example/C:/Program%20Files/kiosk/resources/app.asar/dist/renderer/index.html';
    expect(isAllowedNavigation(fileIndex, fileIndex)).toBe(true);
    expect(isAllowedNavigation(attacker, fileIndex)).toBe(false);
    expect(isTrustedSender(attacker, true, fileIndex)).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'], requestingUrl: attacker, isMainFrame: true }, fileIndex)).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video'], requestingUrl: 'app://attacker.example/index.html', isMainFrame: true }, index)).toBe(false);
  });

  it('trusts only the top frame showing the renderer', () => {
    expect(isTrustedSender(index, true, index)).toBe(true);
    expect(isTrustedSender(index, false, index)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true, index)).toBe(false);
    expect(isTrustedSender(undefined, true, index)).toBe(false);
  });

  it('allows camera and microphone (video help, issue 12) and nothing else, to the top frame showing the renderer', () => {
    const ask = { requestingUrl: index, isMainFrame: true };
    expect(isAllowedPermission('media', { ...ask, mediaTypes: ['video'] }, index)).toBe(true);
    expect(isAllowedPermission('media', { ...ask, mediaType: 'video' }, index)).toBe(true);
    expect(isAllowedPermission('media', { ...ask, mediaTypes: ['video', 'audio'] }, index)).toBe(true);
    expect(isAllowedPermission('media', { ...ask, mediaTypes: ['audio'] }, index)).toBe(true);
    expect(isAllowedPermission('media', { mediaTypes: ['video', 'audio'], requestingUrl: 'https://evil.example/', isMainFrame: true }, index)).toBe(false);
    expect(isAllowedPermission('clipboard-read', ask, index)).toBe(false);
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
    // Only the bundle's own files (the face check's models); no outside address.
    expect(CONTENT_SECURITY_POLICY).toMatch(/connect-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    // WebAssembly may compile (the face check's TF.js backend, 'wasm-unsafe-eval'); JavaScript eval may not.
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    // The photo being checked and the accepted thumbnail are JPEG data URLs.
    expect(CONTENT_SECURITY_POLICY).toMatch(/img-src [^;]*data:/);
  });

  it('has a page policy for the <meta> that runs no remote or inline code and connects only to the local bridge', () => {
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|script-src[^;]*unsafe-inline|https?:|\*\./);
    expect(PAGE_CONTENT_SECURITY_POLICY).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\* ws:\/\/localhost:\*(;|$)/);
    // A <meta> cannot carry frame-ancestors (browsers ignore it there): the headers do.
    expect(PAGE_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
  });
});

describe('electron/app-protocol', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kiosk-app-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'index.js'), 'export {};');
  });

  it('serves the renderer\'s regular files under app://kiosk with the kiosk CSP', async () => {
    const page = await serveAppRequest('app://kiosk/index.html', root);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body?.toString()).toContain('<title>kiosk</title>');
    expect((await serveAppRequest('app://kiosk/', root)).status).toBe(200);
    expect((await serveAppRequest('app://kiosk/assets/index.js', root)).headers['content-type']).toContain('javascript');
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses other hosts, bad encodings, traversal, folders and symlinks out of the root', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'kiosk-outside-'));
    writeFileSync(join(outside, 'secret'), 'x');
    symlinkSync(join(outside, 'secret'), join(root, 'secret'));
    try {
      expect((await serveAppRequest('app://attacker/index.html', root)).status).toBe(404);
      expect((await serveAppRequest('file:///etc/passwd', root)).status).toBe(404);
      expect((await serveAppRequest('app://kiosk/%ff', root)).status).toBe(400);
      expect((await serveAppRequest('app://kiosk/a%00b', root)).status).toBe(400);
      expect((await serveAppRequest('app://kiosk/..%2f..%2fetc%2fpasswd', root)).status).toBe(404);
      expect((await serveAppRequest('app://kiosk/assets', root)).status).toBe(404);
      expect((await serveAppRequest('app://kiosk/secret', root)).status).toBe(404);
      expect((await serveAppRequest('app://kiosk/missing.js', root)).body).toBeNull();
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('WindowSupervisor', () => {
  function supervised(now: { value: number }) {
    const actions: string[] = [];
    const records: Array<{ failure: string; action: string }> = [];
    const supervisor = new WindowSupervisor({
      now: () => now.value,
      reload: () => actions.push('reload'),
      relaunch: () => actions.push('relaunch'),
      crashRenderer: () => actions.push('crash'),
      record: ({ failure, action }) => records.push({ failure, action }),
    });
    return { supervisor, actions, records };
  }

  it('reloads after a crash, a GPU loss or a hang, and records each', () => {
    const now = { value: 0 };
    const { supervisor, actions, records } = supervised(now);
    supervisor.renderProcessGone('crashed', 139);
    now.value += 200_000;
    supervisor.childProcessGone('GPU', 'crashed');
    now.value += 200_000;
    supervisor.unresponsive();
    // The renderer we crashed ourselves reports its end: the same failure, not a second one.
    supervisor.renderProcessGone('killed', 9);
    expect(actions).toEqual(['reload', 'reload', 'crash', 'reload']);
    expect(records).toEqual([
      { failure: 'render-process-gone', action: 'reload' },
      { failure: 'gpu-process-gone', action: 'reload' },
      { failure: 'unresponsive', action: 'reload' },
    ]);
  });

  it('ignores a clean exit and other child processes', () => {
    const { supervisor, actions } = supervised({ value: 0 });
    supervisor.renderProcessGone('clean-exit', 0);
    supervisor.childProcessGone('Utility', 'crashed');
    supervisor.childProcessGone('GPU', 'clean-exit');
    expect(actions).toEqual([]);
  });

  it('relaunches the app on the third failure within two minutes, once', () => {
    const now = { value: 0 };
    const { supervisor, actions, records } = supervised(now);
    supervisor.renderProcessGone('crashed', 1);
    now.value += 30_000;
    supervisor.renderProcessGone('oom', 1);
    now.value += 30_000;
    supervisor.childProcessGone('GPU', 'crashed');
    supervisor.renderProcessGone('crashed', 1);
    expect(actions).toEqual(['reload', 'reload', 'relaunch']);
    expect(records.at(-1)).toEqual({ failure: 'gpu-process-gone', action: 'relaunch' });
  });

  it('forgets failures older than two minutes', () => {
    const now = { value: 0 };
    const { supervisor, actions } = supervised(now);
    for (let failure = 0; failure < 5; failure++) {
      supervisor.renderProcessGone('crashed', 1);
      now.value += 61_000;
    }
    expect(actions).toEqual(['reload', 'reload', 'reload', 'reload', 'reload']);
  });
});

describe('electron/main', () => {
  beforeEach(async () => {
    vi.resetModules();
    recorded.windows.length = 0;
    recorded.forks.length = 0;
    recorded.ipcHandlers.clear();
    recorded.appEvents.clear();
    recorded.schemes.length = 0;
    recorded.protocolHandlers.clear();
    recorded.relaunches.length = 0;
    recorded.exits.length = 0;
    recorded.readyBeforeSchemes = false;
    await import('../../../electron/main.js');
    await flush();
  });

  it('loads the renderer from the privileged app://kiosk protocol, registered before ready, never from file://', async () => {
    expect(recorded.readyBeforeSchemes).toBe(false);
    expect(recorded.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(recorded.windows[0]?.loaded).toBe('app://kiosk/index.html');
    const handler = recorded.protocolHandlers.get('app');
    const page = (await handler?.({ url: 'app://kiosk/index.html' })) as Response;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<div id="app">');
    expect(((await handler?.({ url: 'app://kiosk/../../package.json' })) as Response).status).toBe(404);
    expect(((await handler?.({ url: 'app://other/index.html' })) as Response).status).toBe(404);
  });

  it('reloads the window when its renderer or the GPU process is gone or it hangs, and records it in the host\'s audit', () => {
    const window = recorded.windows[0];
    const host = recorded.forks[0];
    window?.events.get('render-process-gone')?.({}, { reason: 'crashed', exitCode: 139 });
    expect(window?.reloads).toBe(1);
    // Held until the host says it is ready, then sent in order.
    expect(host?.sent.filter((message) => (message as { type?: string }).type === 'shell-event')).toEqual([]);
    host?.events.get('message')?.({ type: 'host-ready' });
    expect(host?.sent.filter((message) => (message as { type?: string }).type === 'shell-event')).toEqual([
      { type: 'shell-event', event: 'window.render-process-gone', outcome: 'reload: crashed (exit 139)' },
    ]);
    recorded.appEvents.get('child-process-gone')?.({}, { type: 'GPU', reason: 'crashed' });
    expect(window?.reloads).toBe(2);
    expect(host?.sent.at(-1)).toEqual({ type: 'shell-event', event: 'window.gpu-process-gone', outcome: 'reload: crashed' });
  });

  it('records in the audit that it was relaunched, once the new host is ready', async () => {
    vi.resetModules();
    recorded.forks.length = 0;
    const argv = process.argv;
    process.argv = [...argv, '--kiosk-relaunched-after=2026-01-01T00:00:00.000Z'];
    try {
      await import('../../../electron/main.js');
      await flush();
    } finally {
      process.argv = argv;
    }
    const host = recorded.forks.at(-1);
    host?.events.get('message')?.({ type: 'host-ready' });
    expect(host?.sent).toContainEqual({ type: 'shell-event', event: 'app.relaunched', outcome: 'after repeated window failures at 2026-01-01T00:00:00.000Z' });
  });

  it('relaunches the app after repeated failures (regression: the kiosk stayed white after render-process-gone)', () => {
    const window = recorded.windows[0];
    window?.events.get('render-process-gone')?.({}, { reason: 'crashed', exitCode: 1 });
    window?.windowEvents.get('unresponsive')?.();
    expect(window?.crashes).toBe(1);
    window?.events.get('render-process-gone')?.({}, { reason: 'killed', exitCode: 9 });
    window?.events.get('render-process-gone')?.({}, { reason: 'oom', exitCode: 1 });
    expect(window?.reloads).toBe(2);
    expect(recorded.relaunches).toHaveLength(1);
    expect(JSON.stringify(recorded.relaunches[0])).toContain('--kiosk-relaunched-after=');
    expect(recorded.exits).toEqual([0]);
  });

  it('opens one locked-down kiosk window on the bundled renderer', () => {
    expect(recorded.windows).toHaveLength(1);
    const window = recorded.windows[0];
    const preferences = window?.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick', autoplayPolicy: 'no-user-gesture-required' });
    expect(window?.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(window?.loaded).toBe(RENDERER_ENTRY_URL);
  });

  it('blocks navigation away from the renderer and every new window', () => {
    const window = recorded.windows[0];
    const preventDefault = vi.fn();
    window?.events.get('will-navigate')?.({ preventDefault }, 'https://evil.example/');
    expect(preventDefault).toHaveBeenCalled();
    expect(window?.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission but camera and microphone (video help, issue 12) to the kiosk window\'s renderer', () => {
    const window = recorded.windows[0];
    const contents = window?.webContents;
    const url = window?.loaded ?? '';
    const request = (sender: unknown, permission: string, details: Record<string, unknown>) => {
      const callback = vi.fn();
      recorded.permissionRequest?.(sender, permission, callback, details);
      return callback.mock.calls[0]?.[0] as boolean;
    };
    expect(request(contents, 'media', { mediaTypes: ['video'], requestingUrl: url, isMainFrame: true })).toBe(true);
    expect(request(contents, 'media', { mediaTypes: ['video', 'audio'], requestingUrl: url, isMainFrame: true })).toBe(true);
    expect(request(contents, 'media', { mediaTypes: ['audio'], requestingUrl: url, isMainFrame: true })).toBe(true);
    expect(request(contents, 'media', { mediaTypes: ['video', 'audio'], requestingUrl: url, isMainFrame: false })).toBe(false);
    expect(request(contents, 'media', { mediaTypes: ['video'], requestingUrl: url, isMainFrame: false })).toBe(false);
    expect(request(contents, 'media', { mediaTypes: ['video'], requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(request({}, 'media', { mediaTypes: ['video'], requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(request(contents, 'geolocation', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(request(contents, 'display-capture', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(recorded.permissionCheck?.(contents, 'media', 'file:///', { mediaType: 'video', requestingUrl: url, isMainFrame: true })).toBe(true);
    expect(recorded.permissionCheck?.(contents, 'media', 'file:///', { mediaType: 'audio', requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(recorded.permissionCheck?.(contents, 'geolocation', 'file:///', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(recorded.permissionCheck?.(null, 'media', 'file:///', { mediaType: 'video', requestingUrl: url, isMainFrame: true })).toBe(false);
  });

  it('relays a call from the kiosk window to the host and its answer back', async () => {
    const window = recorded.windows[0];
    const handler = recorded.ipcHandlers.get('kiosk:invoke');
    const contents = window?.webContents as { mainFrame: object };
    const frameUrl = window?.loaded ?? '';
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
      const frameUrl = window?.loaded ?? '';
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
