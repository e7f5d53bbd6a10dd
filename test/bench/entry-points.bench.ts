import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzEntryPoint } from '../support/entry-point-fuzz.js';
import { startFuzzedCentral, startFuzzedHost } from '../support/fuzz-targets.js';
import type { Figures } from './figures.js';

/**
 * entry_points.fuzz.requests: fuzzed inputs (HTTP requests, upgrades, WebSocket frame sequences; at
 * central half of them signed, to reach its parser and routes) the bridge and central answered with a 4xx, a close code or a clean close; entry_points.fuzz.crashes: inputs after
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
  const run = async (fuzzed: Parameters<typeof fuzzEntryPoint>[0]) => {
    const report = await fuzzEntryPoint(fuzzed, { count, seed });
    answered += report.answered;
    failures += report.failures.length;
    for (const failure of report.failures.slice(0, 10)) process.stderr.write(`  ${failure}\n`);
  };
  try {
    await run(target);
    const central = await startFuzzedCentral(join(dir, 'central'));
    try {
      await run(central.target);
    } finally {
      await central.stop();
    }
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
