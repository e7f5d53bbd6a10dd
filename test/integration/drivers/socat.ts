/**
 * A pseudo-terminal pair made by socat, started and stopped by the test. `kill()` is pulling the
 * cable; `restart()` plugs it back on the same link paths.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class SocatPair {
  readonly directory = mkdtempSync(join(tmpdir(), 'kiosk-pty-'));
  readonly a = join(this.directory, 'a');
  readonly b = join(this.directory, 'b');
  private process: ChildProcess | null = null;

  async start(): Promise<void> {
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.resume();
    this.process = child;
    const started = Date.now();
    while (!(existsSync(this.a) && existsSync(this.b))) {
      if (child.exitCode !== null) throw new Error(`socat exited with ${child.exitCode}`);
      if (Date.now() - started > 5000) throw new Error('socat did not create the pty links');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async kill(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** Waits for `condition`, polling every 5 ms; a generous limit, since a loaded CI machine once needed over 5 s. */
export async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
