import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetCentralReport } from './fleet-central.js';

const CENTRAL_SCRIPT = fileURLToPath(new URL('./fleet-central.ts', import.meta.url));

/** The fleet harness (test/support/fleet-central.ts) running in a child process, as the parent drives it. */
export interface FleetCentralProcess {
  child: ChildProcess;
  url: string;
  report(): Promise<FleetCentralReport>;
  /** SIGKILL one of the central worker processes (not replaced). */
  killWorker(index: number): void;
  close(): Promise<void>;
}

export async function startFleetCentral(options: {
  terminals: number;
  seed: string;
  database: string;
  workers?: number;
  leaseMs?: number;
  poolSize?: number;
  consoleDir?: string;
}): Promise<FleetCentralProcess> {
  const child = fork(CENTRAL_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FLEET_TERMINALS: String(options.terminals),
      FLEET_SEED: options.seed,
      FLEET_DB: options.database,
      FLEET_WORKERS: String(options.workers ?? 1),
      ...(options.leaseMs ? { FLEET_LEASE_MS: String(options.leaseMs) } : {}),
      ...(options.poolSize ? { FLEET_POOL: String(options.poolSize) } : {}),
      ...(options.consoleDir ? { FLEET_CONSOLE_DIR: options.consoleDir } : {}),
    },
    stdio: 'inherit',
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type: string; url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`fleet central exited ${code}`)));
  });
  return {
    child,
    url,
    report: () =>
      new Promise<FleetCentralReport>((resolve) => {
        child.once('message', (message: FleetCentralReport) => resolve(message));
        child.send({ type: 'report' });
      }),
    killWorker: (index) => child.send({ type: 'kill-worker', index }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}
