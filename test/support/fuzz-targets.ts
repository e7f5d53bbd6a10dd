import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CENTRAL_PATHS } from '../../contract/central/api.js';
import { signRequest, type SigningKey } from '../../contract/central/signing.js';
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
  const child = startChildHost(configFile, { env: { KIOSK_RENDERER_DIR: rendererDir } });
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


/**
 * The reference central in its own process (real HTTP, real SQLite), with one registered terminal whose
 * key signs half the fuzzed requests, so that they reach the body parser and the routes.
 */
export async function startFuzzedCentral(dir: string): Promise<{ process: ChildProcess; target: FuzzTarget; stop(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const script = `
    const { startTestCentral } = await import(${JSON.stringify(`${root}test/support/central-fixture.ts`)});
    const test = await startTestCentral(${JSON.stringify(dir)}, { extra: { staff: [{ staffNumber: 'A0012', name: '王芳', role: 'staff', pin: '482913' }] } });
    process.stdout.write(JSON.stringify({ ready: true, port: test.central.port, key: test.key }) + '\\n');
    process.on('SIGTERM', () => void test.central.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ port: number; key: SigningKey } | null>((resolve) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => candidate.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line) as { port: number; key: SigningKey });
    });
    void exited.then(() => resolve(null));
  });
  if (!ready) throw new Error('central did not start');
  const { port, key } = ready;
  const target: FuzzTarget = {
    name: 'central',
    port,
    host: `127.0.0.1:${port}`,
    sign: (method, pathWithQuery, body) => signRequest(key, method, pathWithQuery, body),
    apiPaths: [...Object.values(CENTRAL_PATHS).flatMap((path) => (typeof path === 'string' ? [path] : [])), CENTRAL_PATHS.caseByRef('TA-1'), '/v1/cases/%E4%B8%AD', '/v1/cases/%ff'],
    stillServes: async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
      } catch {
        return false;
      }
    },
    alive: () => child.exitCode === null && child.signalCode === null,
  };
  return {
    process: child,
    target,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
