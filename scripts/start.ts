/**
 * `npm start`: the kiosk in demo mode on any machine, with no hardware and no network.
 * Electron when its binary is installed; otherwise the browser shell (Chromium in app/kiosk mode when
 * a display and Chromium are present, else the URL is printed), saying in one line why it fell back.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDemoStack } from './demo-stack.js';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const CHROMIUM_FLAGS = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--noerrdialogs',
  '--disable-translate',
  '--overscroll-history-navigation=0',
  // The voice greets and guides before anyone touches the screen (composables/speech-browser.ts).
  '--autoplay-policy=no-user-gesture-required',
  // A kiosk has nobody to answer a camera prompt; this profile opens only the 127.0.0.1 kiosk page.
  '--use-fake-ui-for-media-stream',
  // Demo mode has no hardware: Chromium's test pattern stands in for the document camera
  // (KIOSK_REAL_CAMERA=1 uses the machine's own camera instead).
  ...(process.env.KIOSK_REAL_CAMERA === '1' ? [] : ['--use-fake-device-for-media-stream']),
];

/**
 * Where `npx install-electron` put the binary (electron's path.txt names it inside dist/), or null.
 * Not `require('electron')`: since Electron 40 that starts a download when the binary is missing,
 * which a hall or a build machine without internet must never attempt.
 */
function electronBinary(): string | null {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

const electron = electronBinary();
const stack = await startDemoStack({ bridge: electron ? 'none' : 'websocket' });
say(`演示数据目录 (demo data): ${stack.dataDir}`);
say(`中心服务 (reference central): ${stack.central.url}`);

let child: ReturnType<typeof spawn> | null = null;
/** Chromium's profile for this run (its cache may hold what the screens showed): removed on exit. */
let profile: string | null = null;
if (electron) {
  // Electron runs its own host as a utilityProcess; this process keeps only central.
  await stack.host.close();
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts'], { stdio: 'inherit' });
  const configFile = join(stack.dataDir, 'kiosk-config-electron.json');
  writeFileSync(configFile, JSON.stringify(stack.config), { mode: 0o600 });
  say('Starting the kiosk in Electron.');
  child = spawn(electron, ['dist/electron/main.js'], { stdio: 'inherit', env: { ...process.env, KIOSK_CONFIG: configFile } });
} else {
  const bridge = stack.host.bridge;
  if (!bridge) throw new Error('browser shell needs the WebSocket bridge');
  say('Electron binary not installed: run `npx install-electron` on a machine with internet; starting the browser shell.');
  const chromium = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  const display = process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY;
  if (chromium && display && process.env.KIOSK_NO_BROWSER !== '1') {
    profile = mkdtempSync(join(tmpdir(), 'taian-kiosk-browser-'));
    child = spawn(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--kiosk', `--app=${bridge.launchUrl}`], { stdio: 'ignore' });
    say(`Kiosk opened in Chromium (${chromium}). Close the window or press Ctrl+C to stop.`);
  } else {
    say(`${chromium ? 'No display' : 'Chromium not found'}: open this address in a browser on this machine:`);
    say(bridge.launchUrl);
  }
}

async function shutdown(): Promise<void> {
  child?.kill();
  // The demo folder (central's database with the demo citizens, the outbox and its key) goes with the run.
  await stack.close().catch(() => undefined);
  if (profile) rmSync(profile, { recursive: true, force: true });
  process.exit(0);
}
child?.on('exit', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
