import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Faults } from '../../../central/server.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { Drainer } from '../../../host/services/drainer.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox, type OutboxItem } from '../../../host/services/outbox.js';
import { startTestCentral, submissionBody, temporaryDirectories } from '../../support/central-fixture.js';
import { eventually } from '../../support/eventually.js';
import { startFaultProxy, type FaultProxy, type ProxyFaults } from '../../support/fault-proxy.js';

/**
 * The drainer against the real reference central through a TCP fault proxy: each fault of a hall
 * network, then the network heals, and every item must be on central exactly once.
 */
const directories = temporaryDirectories();
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  directories.cleanup();
});

const ITEMS = 4;

async function rig(proxyFaults: Partial<ProxyFaults>, centralFaults: Partial<Faults> = {}, timeoutMs = 3_000) {
  const dir = directories.make();
  const test = await startTestCentral(dir);
  closers.push(() => test.central.close());
  test.central.setFaults(centralFaults);
  const proxy = await startFaultProxy({ port: test.central.port }, proxyFaults);
  closers.push(() => proxy.close());
  const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), key: randomBytes(32), terminalId: test.key.keyId });
  closers.push(() => outbox.close());
  const drainer = new Drainer({
    outbox,
    client: new CentralClient({ baseUrl: proxy.url, key: test.key, timeoutMs }),
    log: createLogger({ dataDir: null, minLevel: 'error' }),
    policy: { baseMs: 50, capMs: 300 },
  });
  closers.push(() => drainer.stop());
  const items: OutboxItem[] = [];
  for (let index = 0; index < ITEMS; index++) {
    items.push(outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) }));
  }
  drainer.start();
  const allDelivered = async (withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline && outbox.depth().pending > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    return outbox.depth().pending === 0;
  };
  const onCentral = () => {
    const db = new Database(test.dbFile, { readonly: true });
    const rows = db.prepare<[], { local_number: string; copies: number }>('SELECT local_number, COUNT(*) AS copies FROM cases GROUP BY local_number').all();
    db.close();
    return Object.fromEntries(rows.map((row) => [row.local_number, row.copies]));
  };
  const expectExactlyOnce = () => {
    expect(onCentral()).toEqual(Object.fromEntries(items.map((item) => [item.localNumber, 1])));
    expect(test.central.stats().casesCreated).toBe(ITEMS);
    for (const item of items) expect(outbox.get(item.localNumber)?.state).toBe('delivered');
  };
  return { test, proxy, outbox, items, allDelivered, expectExactlyOnce };
}

async function healAndDrain(proxy: FaultProxy, test: { central: { setFaults(faults: Partial<Faults>): void } }, allDelivered: (ms: number) => Promise<boolean>) {
  proxy.heal();
  test.central.setFaults({ latencyMs: 0, errorRate: 0, resetAfterProcessingRate: 0, resetBeforeProcessingRate: 0, slowBodyBytesPerSecond: 0 });
  expect(await allDelivered(15_000)).toBe(true);
}

describe('Drainer through the fault proxy', () => {
  it('delivers over a slow link (200 ms each way)', async () => {
    const { allDelivered, expectExactlyOnce } = await rig({ latencyMs: 200 });
    expect(await allDelivered(15_000)).toBe(true);
    expectExactlyOnce();
  });

  it('delivers under a bandwidth cap of 2 kB/s', async () => {
    const { allDelivered, expectExactlyOnce } = await rig({ bytesPerSecond: 2_000 });
    expect(await allDelivered(30_000)).toBe(true);
    expectExactlyOnce();
  });

  it('delivers when every packet is sliced into 3-byte pieces', async () => {
    const { allDelivered, expectExactlyOnce, proxy } = await rig({ sliceBytes: 3 });
    expect(await allDelivered(30_000)).toBe(true);
    expectExactlyOnce();
    expect(proxy.stats().connections).toBeGreaterThan(0);
  });

  it('survives connections reset mid-exchange, then delivers each item once', async () => {
    const { allDelivered, expectExactlyOnce, proxy, test, outbox } = await rig({ resetRate: 1, resetWithinMs: 5 });
    // Regression (flaky on a busy machine): a fixed 500 ms wait was sometimes shorter than the first
    // reset and its recorded error; wait for exactly what is asserted.
    await eventually(() => proxy.stats().resets > 0, 15_000, 'a reset');
    await eventually(() => outbox.list('pending').some((item) => item.lastError?.startsWith('network')), 15_000, 'a network error recorded');
    await healAndDrain(proxy, test, allDelivered);
    expectExactlyOnce();
  });

  it('gives up on a request that never gets an answer (timeout) and delivers once the link returns', async () => {
    const { allDelivered, expectExactlyOnce, proxy, test, outbox } = await rig({ blackhole: true }, {}, 300);
    await eventually(() => outbox.list('pending').some((item) => item.lastError === 'network: TimeoutError'), 15_000, 'a timeout recorded');
    expect(outbox.depth().pending).toBe(ITEMS);
    await healAndDrain(proxy, test, allDelivered);
    expectExactlyOnce();
  });

  it('treats an answer closed mid-body as not acknowledged, and central absorbs the redelivery', async () => {
    const { allDelivered, expectExactlyOnce, proxy, test } = await rig({ closeResponseAfterBytes: 150, closeRate: 1 });
    await eventually(() => proxy.stats().cutResponses > 0, 15_000, 'a cut response');
    await healAndDrain(proxy, test, allDelivered);
    expectExactlyOnce();
    expect(test.central.stats().idempotentReplays).toBeGreaterThan(0);
  });

  it('absorbs acknowledgements lost after central committed (connection reset after processing)', async () => {
    const { allDelivered, expectExactlyOnce, proxy, test } = await rig({}, { resetAfterProcessingRate: 1 });
    await eventually(() => test.central.stats().casesCreated > 0, 15_000, 'a case created before the reset');
    await healAndDrain(proxy, test, allDelivered);
    expectExactlyOnce();
    expect(test.central.stats().idempotentReplays).toBeGreaterThan(0);
  });

  it('times out on a body that trickles too slowly, then replays the stored result', async () => {
    const { allDelivered, expectExactlyOnce, proxy, test, outbox } = await rig({}, { slowBodyBytesPerSecond: 40 }, 500);
    await eventually(() => outbox.list('pending').some((item) => item.lastError === 'network: TimeoutError'), 15_000, 'a timeout recorded');
    await healAndDrain(proxy, test, allDelivered);
    expectExactlyOnce();
    expect(test.central.stats().idempotentReplays).toBeGreaterThan(0);
  });

  it('honours 503 with Retry-After from a busy central and delivers when it recovers', async () => {
    const { allDelivered, expectExactlyOnce, proxy, test, outbox } = await rig({}, { errorRate: 1, retryAfterSeconds: 1 });
    await eventually(() => outbox.list('pending').some((item) => item.lastError === 'unavailable'), 15_000, 'a 503 recorded');
    // Within the second central asked for, nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const requestsWhileBusy = test.central.stats().requests;
    // One probe, then a pause of at least the second central asked for: no hammering.
    expect(requestsWhileBusy).toBeLessThanOrEqual(2);
    await healAndDrain(proxy, test, allDelivered);
    expectExactlyOnce();
  });
});
