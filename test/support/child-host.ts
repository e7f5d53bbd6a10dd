import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskConfigInput } from '../../host/config.js';

/**
 * A kiosk host as its own process, started exactly as a hall starts it without Electron:
 * `node --import tsx host/main.ts` with KIOSK_CONFIG (node directly, not npx, so SIGKILL hits the host
 * and not a wrapper). It prints one JSON ready line with its bridge URL.
 */
const HOST_ENTRY = fileURLToPath(new URL('../../host/main.ts', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildHost {
  process: ChildProcess;
  /** Resolves with the ready line, or null if the process died first. */
  ready: Promise<{ url: string; launchUrl: string } | null>;
  exited: Promise<void>;
  stderr(): string;
}

export function writeChildConfig(dir: string, config: KioskConfigInput): string {
  const file = join(dir, 'kiosk-config.json');
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}

export interface ChildHostOptions {
  /** Extra node flags (`--expose-gc`, `--inspect=127.0.0.1:0`). */
  nodeArgs?: string[];
  /** Extra environment (LD_PRELOAD of libfaketime for clock steps). */
  env?: Record<string, string>;
}

export function startChildHost(configFile: string, options: ChildHostOptions = {}): ChildHost {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', HOST_ENTRY], {
    cwd: REPOSITORY,
    env: { ...process.env, ...options.env, KIOSK_CONFIG: configFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<{ url: string; launchUrl: string } | null>((resolve) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => candidate.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line) as { url: string; launchUrl: string });
    });
    void exited.then(() => resolve(null));
  });
  return { process: child, ready, exited, stderr: () => stderr };
}
