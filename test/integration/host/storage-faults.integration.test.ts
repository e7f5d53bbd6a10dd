import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { KioskInfo } from '../../../contract/channels.js';
import type { OutboxEntry } from '../../../contract/domain.js';
import type { Diagnostics } from '../../../contract/staff.js';
import { simpleDraft, startBridgedDemo, startCitizenSession, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';
import { temporaryDirectories } from '../../support/central-fixture.js';
import { eventually } from '../../support/eventually.js';
import { checkpoint, corruptPage, pagesOf } from '../../support/storage-damage.js';

/**
 * Issue 10, kind 2 through the host: damaged local state never stops the host from starting; damage to
 * the outbox takes the kiosk out of service, lists what was lost for staff, and lasts until a technician
 * acknowledges it.
 */
const directories = temporaryDirectories();
const demos: BridgedDemo[] = [];
afterEach(async () => {
  for (const demo of demos.splice(0)) await demo.close();
  directories.cleanup();
});

async function start(dataDir: string, options: { integrityCheckMs?: number } = {}): Promise<BridgedDemo> {
  const demo = await startBridgedDemo({ dataDir, submitWaitMs: 2_000, ...(options.integrityCheckMs ? { hostTimings: { integrityCheckMs: options.integrityCheckMs } } : {}) });
  demos.push(demo);
  return demo;
}

async function info(bridge: BridgeClient): Promise<KioskInfo> {
  return (await bridge.call('kiosk:get-info', {})).value as KioskInfo;
}

async function signIn(bridge: BridgeClient, number = '9001', pin = '135790'): Promise<void> {
  const signed = await bridge.call('staff:sign-in', { number, pin });
  if (!signed.ok) throw new Error(`sign-in: ${JSON.stringify(signed.error)}`);
}

/** Submits `count` applications while central is down, so they stay queued; returns their local numbers. */
async function queue(demo: BridgedDemo, count: number): Promise<string[]> {
  const draft = simpleDraft(loadCatalog().services);
  demo.stack.central.setFaults({ errorRate: 1, retryAfterSeconds: 1 });
  await startCitizenSession(demo.bridge, draft.serviceId);
  const numbers: string[] = [];
  for (let index = 0; index < count; index++) {
    const outcome = await demo.bridge.call('application:submit', draft);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    numbers.push((outcome.value as { localNumber: string }).localNumber);
  }
  return numbers;
}

describe('host start-up with damaged local state', () => {
  it('starts with a 0-byte catalog-cache.json (was: exit 1, forever under Electron\'s restart) and the other state files empty', async () => {
    const dataDir = directories.make('taian-state-');
    const kioskDir = join(dataDir, 'kiosk');
    mkdirSync(kioskDir, { recursive: true, mode: 0o700 });
    for (const name of ['catalog-cache.json', 'device-overrides.json', 'local-numbers.json', 'pseudonym.salt']) writeFileSync(join(kioskDir, name), '');
    const demo = await start(dataDir);
    expect((await info(demo.bridge)).outOfService).toBeNull();
    expect((await demo.bridge.call('catalog:get-tree', {})).ok).toBe(true);
    const draft = simpleDraft(loadCatalog().services);
    await startCitizenSession(demo.bridge, draft.serviceId);
    expect((await demo.bridge.call('application:submit', draft)).ok).toBe(true);
  });

  it('goes out of service on a damaged outbox key file instead of refusing to start', async () => {
    const dataDir = directories.make('taian-state-');
    const kioskDir = join(dataDir, 'kiosk');
    mkdirSync(kioskDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(kioskDir, 'outbox.key'), '');
    const demo = await start(dataDir);
    expect((await info(demo.bridge)).outOfService).toMatch(/暂停服务/);
  });
});

describe('a damaged outbox', () => {
  it('is salvaged at start: out of service with an alert, lost applications on the staff list, back in service after a technician acknowledges it', async () => {
    const dataDir = directories.make('taian-damaged-');
    const first = await start(dataDir);
    const numbers = await queue(first, 6);
    await first.close();
    demos.splice(demos.indexOf(first), 1);
    const outboxFile = join(dataDir, 'kiosk', 'outbox.sqlite');
    checkpoint(outboxFile);
    const { pages, pageSize } = pagesOf(outboxFile, 'outbox');
    corruptPage(outboxFile, pages[0] ?? 2, pageSize);

    const second = await start(dataDir);
    expect((await info(second.bridge)).outOfService).toMatch(/暂停服务/);
    await signIn(second.bridge);
    const diagnostics = (await second.bridge.call('diagnostics:get', {})).value as Diagnostics;
    expect(diagnostics.storageFault?.lost.length).toBeGreaterThan(0);
    // Central is up again: every application is delivered, or listed for staff; none is simply gone.
    const listed = (await second.bridge.call('outbox:list-pending', {})).value as OutboxEntry[];
    const lostNumbers = listed.filter((entry) => entry.lastError?.startsWith('lost:')).map((entry) => entry.localNumber);
    expect(lostNumbers.sort()).toEqual([...(diagnostics.storageFault?.lost ?? [])].sort());
    await eventually(() => numbers.every((localNumber) => {
      const item = second.stack.host.outbox.get(localNumber);
      return item?.state === 'delivered' || (item?.state === 'needs-staff' && item.lastError === 'lost: not-on-central');
    }), 20_000, 'every application delivered or listed');
    // Still out of service after a restart: only a technician brings it back.
    await second.close();
    demos.splice(demos.indexOf(second), 1);
    const third = await start(dataDir);
    expect((await info(third.bridge)).outOfService).toMatch(/暂停服务/);
    const event = third.bridge.waitForEvent('kiosk:out-of-service', 5_000);
    await signIn(third.bridge);
    expect(await third.bridge.call('kiosk:acknowledge-storage-fault', {})).toEqual({ ok: true, value: { acknowledged: true } });
    expect(await event).toEqual({ message: null });
    expect((await info(third.bridge)).outOfService).toBeNull();
    expect(third.stack.host.outbox.audit.entries().some((entry) => entry.event === 'storage.fault-acknowledged' && entry.actor === 'staff:9001')).toBe(true);
  });

  it('goes out of service when the outbox file is deleted under the running host', async () => {
    const dataDir = directories.make('taian-deleted-');
    const demo = await start(dataDir, { integrityCheckMs: 200 });
    await queue(demo, 1);
    const kioskDir = join(dataDir, 'kiosk');
    for (const name of readdirSync(kioskDir)) if (name.startsWith('outbox.sqlite')) rmSync(join(kioskDir, name));
    expect(await demo.bridge.waitForEvent('kiosk:out-of-service', 10_000)).toMatchObject({ message: expect.stringMatching(/暂停服务/) });
    await signIn(demo.bridge);
    expect(await demo.bridge.call('kiosk:acknowledge-storage-fault', {})).toMatchObject({ ok: false, error: { code: 'storage-still-damaged' } });
  });
});
