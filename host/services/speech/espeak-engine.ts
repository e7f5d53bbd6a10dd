import { spawn } from 'node:child_process';
import type { SpeechEngineInfo } from '../../../contract/speech.js';
import { SpeechEngineError, type SpeechEngine } from './speech-engine.js';

export interface EspeakOptions {
  /** The espeak-ng binary (a bare name is looked up on PATH). */
  binary: string;
  /** espeak-ng voice, `cmn` for Mandarin. */
  voice: string;
  /** Words per minute (espeak-ng `-s`). */
  rate: number;
  /** A prompt taking longer than this to synthesise is killed (ms). */
  timeoutMs?: number;
  /** Largest WAV accepted from the engine, in bytes; more is killed. */
  maxBytes: number;
}

const STDERR_KEEP = 2_000;

/**
 * espeak-ng (https://github.com/espeak-ng/espeak-ng, GPL-3.0, Debian package `espeak-ng`) run as a
 * child process per prompt: `espeak-ng -v cmn -s <rate> -b 1 --stdout`, the prompt on stdin as UTF-8
 * (`-b 1`), never on the command line (no quoting, nothing in `ps`). `--stdout` writes a WAV whose RIFF
 * and data sizes are placeholders (0x7FFFF000: a pipe cannot seek back), which the service rewrites.
 */
export class EspeakEngine implements SpeechEngine {
  private info: Promise<SpeechEngineInfo> | null = null;
  private readonly timeoutMs: number;

  constructor(private readonly options: EspeakOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Asks the binary for its version and whether the voice is installed; once (the answer is cached). */
  describe(): Promise<SpeechEngineInfo> {
    this.info ??= this.probe();
    return this.info;
  }

  synthesise(text: string): Promise<Uint8Array> {
    const { binary, voice, rate, maxBytes } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(binary, ['-v', voice, '-s', String(rate), '-b', '1', '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let failure: SpeechEngineError | null = null;
      const stop = (error: SpeechEngineError) => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => stop(new SpeechEngineError('timeout', `espeak-ng took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) stop(new SpeechEngineError('too-large', `espeak-ng wrote more than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        stop(error.code === 'ENOENT' ? new SpeechEngineError('not-installed', `${binary} not found`) : new SpeechEngineError('failed', error.message));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (failure) reject(failure);
        else if (code !== 0) reject(new SpeechEngineError('failed', `espeak-ng exited with ${code}: ${stderr.trim().slice(0, 200)}`));
        else resolve(new Uint8Array(Buffer.concat(chunks)));
      });
      // A closed stdin (the binary died at once) must not crash the host with an EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(text, 'utf8');
    });
  }

  private async probe(): Promise<SpeechEngineInfo> {
    const { binary, voice } = this.options;
    const base = { name: 'espeak-ng', voice };
    const version = await run(binary, ['--version'], this.timeoutMs);
    if (!version.ok) {
      return { ...base, version: null, available: false, problem: version.missing ? `未安装 espeak-ng（找不到 ${binary}），请安装 Debian 软件包 espeak-ng` : `espeak-ng 无法运行：${version.output.slice(0, 120)}` };
    }
    // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/…"
    const number = /text-to-speech:\s*([\w.-]+)/.exec(version.output)?.[1] ?? null;
    const voices = await run(binary, [`--voices=${voice}`], this.timeoutMs);
    const listed = voices.ok && voices.output.split('\n').some((line) => line.trim().split(/\s+/)[1] === voice);
    return listed
      ? { ...base, version: number, available: true, problem: null }
      : { ...base, version: number, available: false, problem: `espeak-ng 缺少语音 ${voice}（普通话），请安装完整的 espeak-ng-data` };
  }
}

/** Runs a short command and collects its output (bounded); never rejects. */
function run(binary: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; missing: boolean; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const finish = (result: { ok: boolean; missing: boolean; output: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, missing: false, output: 'timed out' });
    }, timeoutMs);
    const collect = (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, missing: error.code === 'ENOENT', output: error.message }));
    child.on('close', (code) => finish({ ok: code === 0, missing: false, output }));
  });
}
