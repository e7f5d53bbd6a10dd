import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildHost, writeChildConfig, type ChildHost } from './child-host.js';
import type { FuzzTarget } from './entry-point-fuzz.js';

/** The processes whose entry points are fuzzed (test/integration/entry-points-fuzz, test/bench/entry-points). */

/** A demo host in its own process (simulated reader, no printers, an unreachable central). */
export async function startFuzzedHost(dir: string): Promise<{ child: ChildHost; target: FuzzTarget }> {
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'kiosk');
  mkdirSync(dataDir);
  const configFile = writeChildConfig(dir, {
    mode: 'demo',
    dataDir,
    terminal: { id: 'TA-FUZZ-0001', hallName: '泰安市政务服务中心（模糊测试）', divisionCode: '370902' },
    central: { url: 'http://127.0.0.1:9/', keyId: 'TA-FUZZ-0001', secret: 'fuzz-secret-0123456789', timeoutMs: 500 },
    devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'none' }, receiptPrinter: { kind: 'none' }, documentPrinter: { kind: 'none' } },
  });
  // A renderer folder to serve, with a symlink that points out of it (it must never be followed).
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'secret.txt'));
  const child = startChildHost(configFile, { KIOSK_RENDERER_DIR: rendererDir });
  const ready = await child.ready;
  if (!ready) throw new Error(`host did not start: ${child.stderr()}`);
  const url = new URL(ready.url);
  const token = new URL(ready.launchUrl.replace('#token=', '?token=')).searchParams.get('token') ?? '';
  const origin = `http://127.0.0.1:${url.port}`;
  const target: FuzzTarget = {
    name: 'bridge',
    port: Number(url.port),
    host: `127.0.0.1:${url.port}`,
    headers: { Origin: origin },
    websocket: {
      target: `/bridge?token=${encodeURIComponent(token)}`,
      headers: { Host: `127.0.0.1:${url.port}`, Origin: origin },
      probe: JSON.stringify({ id: 424242, channel: 'outbox:get-depth', request: {} }),
    },
    stillServes: async () => {
      try {
        const response = await fetch(`${origin}/index.html`);
        const outside = await fetch(`${origin}/secret.txt`);
        return response.status === 200 && outside.status === 404;
      } catch {
        return false;
      }
    },
    alive: () => child.process.exitCode === null && child.process.signalCode === null,
  };
  return { child, target };
}

