import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CATALOG_DIR, loadCatalog } from '../../../catalog/load.js';
import { startCentralServer, type CentralServer } from '../../../central/server.js';

/**
 * The host bundle Electron's utilityProcess loads (dist/host/main.js), started under plain Node with a
 * configuration file, as the packaged kiosk starts it. Electron cannot run here; its host can.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('bundled host (dist/host/main.js)', () => {
  let dir: string;
  let central: CentralServer;
  let child: ChildProcess;
  let ready: { url: string; launchUrl: string };

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts'], { cwd: root, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'host-bundle-'));
    const secret = randomBytes(24).toString('hex');
    central = await startCentralServer({ dbFile: join(dir, 'central.sqlite'), catalog: loadCatalog(), terminals: [{ id: 'TA-BUNDLE-01', secret }] });
    const config = {
      mode: 'live',
      dataDir: join(dir, 'kiosk'),
      terminal: { id: 'TA-BUNDLE-01', hallName: '岱岳区便民服务中心', divisionCode: '370911' },
      central: { url: central.url, keyId: 'TA-BUNDLE-01', secret },
      devices: { idCardReader: { kind: 'simulated' } },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    // Started from another folder, as a packaged app is: nothing may depend on the working directory.
    child = spawn(process.execPath, [join(root, 'dist/host/main.js')], {
      cwd: dir,
      env: { ...process.env, KIOSK_CONFIG: join(dir, 'config.json'), KIOSK_CATALOG_DIR: CATALOG_DIR },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    ready = await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => resolve(JSON.parse(line) as { url: string; launchUrl: string }));
    });
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from its configuration file and answers the contract over its bridge', async () => {
    const token = /token=([\w-]+)/.exec(ready.launchUrl)?.[1] ?? '';
    const socket = new WebSocket(`${ready.url.replace('http', 'ws')}/bridge?token=${token}`, { headers: { origin: ready.url } });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const call = (id: number, channel: string) =>
      new Promise<{ id: number; result: { ok: boolean; value: Record<string, unknown> } }>((resolve) => {
        const listener = (data: WebSocket.RawData) => {
          const message = JSON.parse(data.toString()) as { id?: number };
          if (message.id === id) {
            socket.off('message', listener);
            resolve(message as never);
          }
        };
        socket.on('message', listener);
        socket.send(JSON.stringify({ id, channel, request: {} }));
      });
    const info = await call(1, 'kiosk:get-info');
    expect(info.result.value).toMatchObject({ terminalId: 'TA-BUNDLE-01', hallName: '岱岳区便民服务中心', mode: 'live' });
    const tree = await call(2, 'catalog:get-tree');
    expect((tree.result.value.services as unknown[]).length).toBeGreaterThanOrEqual(60);
    // Live mode: the demo-only simulator channels stay closed.
    const demo = await call(3, 'simulator:list-cards');
    expect(demo.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    socket.close();
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
