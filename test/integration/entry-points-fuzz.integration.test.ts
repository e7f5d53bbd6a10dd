import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../support/central-fixture.js';
import type { ChildHost } from '../support/child-host.js';
import { fuzzEntryPoint } from '../support/entry-point-fuzz.js';
import { startFuzzedCentral, startFuzzedHost } from '../support/fuzz-targets.js';

/**
 * Every HTTP and WebSocket entry point answers bad input with a 4xx or a close and stays up (issue 11,
 * kind 1). The browser-shell bridge runs as it does in a hall, in its own host process, so "stays up"
 * is the process's own exit status, not this test's. FUZZ_SEED replays a run; FUZZ_COUNT sets its size.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const COUNT = Number(process.env.FUZZ_COUNT ?? 120);

const directories = temporaryDirectories();
const children: ChildHost[] = [];
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const child of children) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  for (const stop of stops) await stop();
  directories.cleanup();
});

describe('Entry points under fuzzed input', () => {
  it(`keep the browser-shell bridge up and answering 4xx or closing (seed ${SEED})`, async () => {
    const { child, target } = await startFuzzedHost(directories.make('taian-fuzz-'));
    children.push(child);
    const report = await fuzzEntryPoint(target, { count: COUNT, seed: SEED });
    expect(report.failures).toEqual([]);
    expect(target.alive()).toBe(true);
    expect(report.answered).toBe(COUNT * 3);
    // The inputs reached every kind of refusal, not just one.
    const outcomes = Object.keys(report.byOutcome).join(' ');
    expect(outcomes).toMatch(/http status:4xx/);
    expect(outcomes).toMatch(/upgrade status:4xx/);
    expect(outcomes).toMatch(/frames ws:close 100[279]/);
  });

  it(`keep central up and answering 4xx, signed or not (seed ${SEED})`, async () => {
    const central = await startFuzzedCentral(directories.make('taian-fuzz-central-'));
    stops.push(central.stop);
    const report = await fuzzEntryPoint(central.target, { count: COUNT, seed: SEED });
    expect(report.failures).toEqual([]);
    expect(central.target.alive()).toBe(true);
    expect(report.answered).toBe(COUNT * 2);
    const outcomes = Object.keys(report.byOutcome).join(' ');
    expect(outcomes).toMatch(/http status:4xx/);
  });
});
