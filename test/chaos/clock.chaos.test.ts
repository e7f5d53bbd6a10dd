import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../contract/channels.js';
import { connectBridge, simpleDraft, startCitizenSession, type BridgeClient } from '../support/bridge-client.js';
import { startTestCentral, temporaryDirectories } from '../support/central-fixture.js';
import { startChildHost, writeChildConfig, type ChildHost } from '../support/child-host.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 10, kind 3 on a real host process whose wall clock is stepped from outside, as NTP or a technician
 * steps it: libfaketime (Debian's libfaketime, LD_PRELOAD) moves the process's CLOCK_REALTIME by what a file
 * says, re-read every second, while its monotonic clock (what Node's timers run on) is left alone. Steps of
 * −30 days, −8 hours, +48 hours then corrected, and a clock 10 minutes fast, each while an application is
 * queued and a citizen session runs: the application reaches central within the backoff cap once central is
 * healthy, none goes to the staff list, the session survives, and no timer overflows.
 */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const available = existsSync(LIBFAKETIME);
if (!available) process.stdout.write(`clock: ${LIBFAKETIME} not installed (Debian package libfaketime): skipped\n`);

const directories = temporaryDirectories();
afterAll(() => directories.cleanup());

/** The production backoff cap times the Retry-After allowance: the longest any plan may be (backoff.ts). */
const BACKOFF_PLAN_LIMIT_MS = 4 * 5 * 60_000;

describe('Host across steps of its wall clock', () => {
  it.skipIf(!available)('delivers what is queued within the backoff cap after every step, with no staff work and no timer overflow', async () => {
    const dir = directories.make('taian-clock-');
    const terminal = 'TA-CLOCK-0001';
    const test = await startTestCentral(dir, { terminalId: terminal });
    const dataDir = join(dir, 'kiosk');
    mkdirSync(dataDir);
    const shiftFile = join(dir, 'faketime');
    const shift = (offset: string) => writeFileSync(shiftFile, `${offset}\n`);
    shift('+0');
    const configFile = writeChildConfig(dir, {
      mode: 'demo',
      dataDir,
      terminal: { id: terminal, hallName: '泰安市政务服务中心（时钟测试）', divisionCode: '370902' },
      central: { url: test.central.url, keyId: terminal, secret: test.key.secret, timeoutMs: 2_000 },
      devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'none' }, receiptPrinter: { kind: 'none' }, documentPrinter: { kind: 'none' } },
      session: { idleTimeoutSeconds: 600, idleWarningSeconds: 60 },
    });
    let child: ChildHost | null = null;
    let bridge: BridgeClient | null = null;
    try {
      child = startChildHost(configFile, {
        env: { LD_PRELOAD: LIBFAKETIME, FAKETIME_TIMESTAMP_FILE: shiftFile, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' },
      });
      const ready = await child.ready;
      if (!ready) throw new Error(`host did not start: ${child.stderr()}`);
      const client = await connectBridge(ready);
      bridge = client;
      const draft = simpleDraft(test.catalog.services);
      await startCitizenSession(client, draft.serviceId);
      const depth = async () => (await client.call('outbox:get-depth', {})).value as { pending: number; needsStaff: number };

      const steps: Array<{ name: string; during: string; after: string }> = [
        { name: 'back 30 days', during: '+0', after: '-30d' },
        { name: 'back 8 hours', during: '+0', after: '-8h' },
        { name: '48 hours fast offline, then corrected', during: '+48h', after: '+0' },
        { name: '10 minutes fast', during: '+10m', after: '+10m' },
      ];
      for (const step of steps) {
        shift(step.during);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        // Central is unwell: the application is acknowledged to the citizen and stays queued.
        test.central.setFaults({ errorRate: 1, retryAfterSeconds: 1 });
        await client.call('session:touch', {});
        const outcome = await client.call('application:submit', draft);
        expect(outcome.ok, step.name).toBe(true);
        expect((await depth()).pending, step.name).toBeGreaterThan(0);
        shift(step.after);
        test.central.setFaults({ errorRate: 0 });
        const healthyAt = Date.now();
        await eventually(async () => (await depth()).pending === 0, BACKOFF_PLAN_LIMIT_MS, `delivery after "${step.name}"`);
        process.stdout.write(`clock step "${step.name}": delivered ${Math.round((Date.now() - healthyAt) / 1000)} s after central recovered\n`);
        expect((await depth()).needsStaff, step.name).toBe(0);
        // The citizen's session is still there: its idle time runs on the monotonic clock.
        expect(((await client.call('session:get', {})).value as SessionView | null)?.identity, step.name).not.toBeNull();
      }
      expect(child.stderr()).not.toContain('TimeoutOverflowWarning');
      expect(child.process.exitCode).toBeNull();
    } finally {
      bridge?.close();
      if (child && child.process.exitCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
      await test.central.close();
    }
  });
});
