import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectBridge, nextCitizenSession, simpleDraft } from '../support/bridge-client.js';
import { startTestCentral, temporaryDirectories } from '../support/central-fixture.js';
import { startChildHost, writeChildConfig, type ChildHost } from '../support/child-host.js';

/**
 * Disk full on the kiosk: its data directory is a size-limited tmpfs (mount needs root; without it this
 * test is skipped and says so, and the drainer's unit test with an injected SQLITE_FULL still runs).
 * Filled up mid-service, the host must refuse new submissions, tell the UI it is out of service, keep
 * its database intact and lose nothing it already acknowledged.
 */
const directories = temporaryDirectories();
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) execFileSync('umount', ['-l', mount]);
  directories.cleanup();
});

function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    mounts.push(dir);
    return true;
  } catch {
    return false;
  }
}

/** Writes zeros until the file system refuses: what a runaway log or a camera dump does to a kiosk. */
function fill(dir: string): string {
  const file = join(dir, 'filler.bin');
  const descriptor = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(descriptor, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(descriptor);
  }
  return file;
}

const probe = directories.make('taian-tmpfs-probe-');
const canMount = mountTmpfs(probe, '64k');
if (!canMount) process.stdout.write('disk-full: cannot mount tmpfs here (needs root): skipped; see test/unit/outbox/drainer.test.ts for the injected SQLITE_FULL\n');

describe('Outbox on a full disk', () => {
  it.skipIf(!canMount)('goes out of service, keeps the database intact and loses nothing acknowledged', async () => {
    const dir = directories.make('taian-disk-full-');
    const test = await startTestCentral(dir, { terminalId: 'TA-DISK-0001' });
    const dataDir = join(dir, 'kiosk-disk');
    mkdirSync(dataDir);
    expect(mountTmpfs(dataDir, '3m')).toBe(true);
    const configFile = writeChildConfig(dir, {
      mode: 'demo',
      dataDir,
      terminal: { id: 'TA-DISK-0001', hallName: '泰安市政务服务中心（磁盘测试）', divisionCode: '370902' },
      central: { url: test.central.url, keyId: 'TA-DISK-0001', secret: test.key.secret, timeoutMs: 2_000 },
      devices: { idCardReader: { kind: 'simulated' }, scanner: { kind: 'none' }, receiptPrinter: { kind: 'none' }, documentPrinter: { kind: 'none' } },
    });
    let child: ChildHost | null = null;
    try {
      child = startChildHost(configFile);
      const ready = await child.ready;
      if (!ready) throw new Error(`host did not start: ${child.stderr()}`);
      const bridge = await connectBridge(ready);
      const draft = simpleDraft(test.catalog.services);

      const acknowledged: string[] = [];
      // Each application is the next citizen's: a session that has submitted refuses a second.
      const submit = async () => {
        await nextCitizenSession(bridge, draft.serviceId);
        const outcome = await bridge.call('application:submit', draft);
        const localNumber = (outcome.value as { localNumber?: string } | undefined)?.localNumber;
        if (outcome.ok && localNumber) acknowledged.push(localNumber);
        return outcome;
      };
      expect((await submit()).ok).toBe(true);

      // Central busy from here on: these two get offline receipts and are still queued when the disk fills.
      test.central.setFaults({ errorRate: 1, retryAfterSeconds: 1 });
      expect((await submit()).ok).toBe(true);
      expect((await submit()).ok).toBe(true);
      const filler = fill(dataDir);
      let refusal: Awaited<ReturnType<typeof submit>> | null = null;
      // SQLite reuses WAL space it already has, so a few more may fit; the disk refuses soon after.
      for (let attempt = 0; attempt < 400 && !refusal; attempt++) {
        const outcome = await submit();
        if (!outcome.ok) refusal = outcome;
      }
      if (refusal?.error?.code !== 'storage-failed') console.error('host stderr', child.stderr().slice(-4000));
      expect(refusal?.error?.code).toBe('storage-failed');
      expect(refusal?.error?.message).toMatch(/人工窗口/);
      const outOfService = (await bridge.waitForEvent('kiosk:out-of-service', 10_000)) as { message: string | null };
      expect(outOfService.message).toMatch(/暂停服务/);
      expect(child.process.exitCode).toBeNull();

      // The database survived the refused writes.
      const outbox = new Database(join(dataDir, 'outbox.sqlite'), { readonly: true });
      expect(outbox.pragma('integrity_check', { simple: true })).toBe('ok');
      outbox.close();

      // Space comes back, central recovers: everything acknowledged arrives, once.
      rmSync(filler);
      test.central.setFaults({ errorRate: 0 });
      const deadline = Date.now() + 120_000;
      let onCentral = new Map<string, number>();
      while (Date.now() < deadline) {
        const central = new Database(test.dbFile, { readonly: true });
        const rows = central.prepare<[], { local_number: string; copies: number }>('SELECT local_number, COUNT(*) AS copies FROM cases GROUP BY local_number').all();
        central.close();
        onCentral = new Map(rows.map((row) => [row.local_number, row.copies]));
        if (acknowledged.every((localNumber) => onCentral.has(localNumber))) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(3);
      expect(acknowledged.filter((localNumber) => onCentral.get(localNumber) !== 1)).toEqual([]);
      bridge.close();
      child.process.kill('SIGTERM');
      await child.exited;
      const reopened = new Database(join(dataDir, 'outbox.sqlite'), { readonly: true });
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      reopened.close();
    } finally {
      if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await test.central.close();
    }
  });
});
