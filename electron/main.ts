import { app, BrowserWindow, ipcMain, session, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT, IPC_INVOKE } from './ipc-names.js';
import { unwrapOutboxKey } from './outbox-key.js';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, isAllowedPermission, isTrustedSender } from './security.js';

/**
 * Electron main: windows, lockdown, the host's lifecycle and the IPC relay. No business logic lives
 * here: the host (a utilityProcess running dist/host/main.js) does the work; a crash of the host or a
 * driver restarts the host, never the window.
 */
const appRoot = join(import.meta.dirname, '..');
const rendererIndex = join(appRoot, 'renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndex).href;
const hostEntry = join(appRoot, 'host', 'main.js');
const RESTART_DELAY_MS = 1_000;

let window: BrowserWindow | null = null;
let host: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, (result: unknown) => void>();

function startHost(): void {
  host = utilityProcess.fork(hostEntry, [], {
    serviceName: 'kiosk-host',
    stdio: 'inherit',
    env: {
      ...process.env,
      KIOSK_CONFIG: process.env.KIOSK_CONFIG ?? join(app.getPath('userData'), 'config.json'),
      // The catalog snapshot ships beside dist/ (electron-builder.yml `files`), not inside the host bundle.
      KIOSK_CATALOG_DIR: join(appRoot, '..', 'catalog'),
    },
  });
  const child = host;
  // The outbox key is the host's first message: only main may call safeStorage (the OS keyring).
  child.once('spawn', () => {
    void unwrapOutboxKey(join(app.getPath('userData'), 'outbox-key.safe'))
      .catch((error: unknown) => ({ type: 'outbox-key' as const, key: null, detail: `系统密钥环读取失败（${(error as Error).message}），改用密钥文件` }))
      .then((message) => child.postMessage(message));
  });
  host.on('message', (message: { id?: number; result?: unknown; event?: string; payload?: unknown }) => {
    if (typeof message.id === 'number') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else if (typeof message.event === 'string') {
      window?.webContents.send(IPC_EVENT, message.event, message.payload);
    }
  });
  host.on('exit', (code) => {
    host = null;
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'host-restarting', message: '终端正在恢复，请稍候再试' } });
    pending.clear();
    if (!app.isReady() || code === 0) return;
    setTimeout(startHost, RESTART_DELAY_MS);
  });
}

function createWindow(): void {
  window = new BrowserWindow({
    fullscreen: true,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7fb',
    webPreferences: {
      preload: join(appRoot, 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click (auxclick) could open a link in a new window; the kiosk has no use for it.
      disableBlinkFeatures: 'Auxclick',
      // The voice greets and guides before anyone touches the screen (Electron's default, pinned here).
      autoplayPolicy: 'no-user-gesture-required',
      devTools: !app.isPackaged,
    },
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, rendererIndexUrl)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadFile(rendererIndex);
}

app.on('web-contents-created', (_, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  // Denied by default; the kiosk window's renderer alone may use the document camera (video only).
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(contents === window?.webContents && isAllowedPermission(permission, details, rendererIndexUrl));
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission, _origin, details) => {
    return contents !== null && contents === window?.webContents && isAllowedPermission(permission, details, rendererIndexUrl);
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, request: unknown) => {
    const frame = event.senderFrame;
    if (!window || event.sender !== window.webContents || !isTrustedSender(frame?.url, frame === event.sender.mainFrame, rendererIndexUrl)) {
      return { ok: false, error: { code: 'forbidden-sender', message: '拒绝访问' } };
    }
    if (!host) return { ok: false, error: { code: 'host-restarting', message: '终端正在恢复，请稍候再试' } };
    const id = nextId++;
    const target = host;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      target.postMessage({ id, channel, request });
    });
  });
  startHost();
  createWindow();
});

app.on('window-all-closed', () => {
  host?.kill();
  app.quit();
});
