import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzEntryPoint } from '../support/entry-point-fuzz.js';
import { startFuzzedHost } from '../support/fuzz-targets.js';
import type { Figures } from './figures.js';

/**
 * entry_points.fuzz.requests: fuzzed inputs (HTTP requests, upgrades, WebSocket frame sequences) every
 * entry point answered with a 4xx, a close code or a clean close; entry_points.fuzz.crashes: inputs after
 * which a process was gone or stopped serving, or that got a 5xx or no answer (must be 0). The integration
 * test runs the same fuzzer with a bounded count on every CI run; this is the long run.
 */
export default async function bench(): Promise<Figures> {
  const count = Number(process.env.FUZZ_COUNT ?? 1_000);
  const seed = Number(process.env.FUZZ_SEED ?? 11);
  const dir = mkdtempSync(join(tmpdir(), 'taian-fuzz-bench-'));
  const { child, target } = await startFuzzedHost(join(dir, 'bridge'));
  let answered = 0;
  let failures = 0;
  try {
    const report = await fuzzEntryPoint(target, { count, seed });
    answered += report.answered;
    failures += report.failures.length;
    for (const failure of report.failures.slice(0, 10)) process.stderr.write(`  ${failure}\n`);
  } finally {
    child.process.kill('SIGTERM');
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    'entry_points.fuzz.requests': { value: answered, unit: 'answered' },
    'entry_points.fuzz.crashes': { value: failures, unit: 'count' },
  };
}
