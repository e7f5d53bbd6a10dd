import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDepth } from '../../../contract/domain.js';
import { startBridgedDemo, startCitizenSession, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';
import { proxyForDemoCentral, type FaultProxy } from '../../support/fault-proxy.js';

/**
 * The host against the real reference central through a TCP fault proxy: the status pill's state follows
 * central's reachability within 10 s whether or not anything is queued, and an e-licence look-up that
 * cannot reach central says so (`central-unavailable`), never "none found" (issue 9 item 5).
 */
const WITHIN_MS = 10_000;
let demo: BridgedDemo | undefined;
let bridge: BridgeClient;
let proxy: FaultProxy;

beforeAll(async () => {
  const proxied = await proxyForDemoCentral();
  proxy = proxied.proxy;
  demo = await startBridgedDemo({ centralUrlFor: proxied.centralUrlFor });
  bridge = demo.bridge;
});

afterAll(async () => {
  await demo?.close();
  await proxy?.close();
});

/** Waits for the next `outbox:depth-changed` saying `online`, counting from now; returns how long it took. */
async function nextDepth(online: boolean): Promise<number> {
  const start = Date.now();
  const from = bridge.events.length;
  while (Date.now() - start < WITHIN_MS + 5_000) {
    const seen = bridge.events.slice(from).some((entry) => entry.event === 'outbox:depth-changed' && (entry.payload as OutboxDepth).online === online);
    if (seen) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no outbox:depth-changed with online=${online}`);
}

async function depth(): Promise<OutboxDepth> {
  const result = await bridge.call('outbox:get-depth', {});
  return result.value as OutboxDepth;
}

describe('Central reachability through the fault proxy', () => {
  it('reports central unreachable within 10 s with nothing queued, and reachable again within 10 s', async () => {
    await expect.poll(async () => (await depth()).online, { timeout: WITHIN_MS }).toBe(true);
    expect((await depth()).pending).toBe(0);

    // A cable pulled behind a switch: connections open and nothing ever answers.
    proxy.setFaults({ blackhole: true });
    proxy.cutAll();
    expect(await nextDepth(false)).toBeLessThan(WITHIN_MS);
    expect((await depth()).online).toBe(false);

    proxy.heal();
    expect(await nextDepth(true)).toBeLessThan(WITHIN_MS);

    // Refused outright (central's host down, a firewall's RST).
    proxy.setFaults({ refuse: true });
    proxy.cutAll();
    expect(await nextDepth(false)).toBeLessThan(WITHIN_MS);
    proxy.heal();
    expect(await nextDepth(true)).toBeLessThan(WITHIN_MS);
  });

  it('answers an e-licence look-up it cannot make with central-unavailable, not an empty list', async () => {
    await startCitizenSession(bridge, 'senior-preferential-card');
    const found = await bridge.call('licence:lookup', { licenceType: 'household-register' });
    expect(found).toMatchObject({ ok: true, value: [expect.objectContaining({ licenceType: 'household-register' })] });
    // Central answered and holds none of this type: that, and only that, is "not found".
    expect(await bridge.call('licence:lookup', { licenceType: 'no-such-licence' })).toMatchObject({ ok: false, error: { code: 'licence-not-found' } });
    expect(await bridge.call('materials:check-shared', { serviceId: 'senior-preferential-card' })).toEqual({ ok: true, value: { verified: ['id-card', 'photo'] } });

    proxy.setFaults({ blackhole: true });
    proxy.cutAll();
    const offline = await bridge.call('licence:lookup', { licenceType: 'household-register' });
    expect(offline).toEqual({ ok: false, error: { code: 'central-unavailable', message: expect.stringMatching(/连不上.*告知承诺.*窗口补交/) as string } });
    expect(await bridge.call('materials:check-shared', { serviceId: 'senior-preferential-card' })).toMatchObject({ ok: false, error: { code: 'central-unavailable' } });
    // The failed look-up was evidence enough: the pill does not wait for the next scheduled probe.
    await expect.poll(async () => (await depth()).online, { timeout: WITHIN_MS }).toBe(false);

    proxy.heal();
    await expect.poll(async () => (await depth()).online, { timeout: WITHIN_MS }).toBe(true);
    expect(await bridge.call('licence:lookup', { licenceType: 'household-register' })).toMatchObject({ ok: true });
    await bridge.call('session:end', { reason: 'cancelled' });
  });
});
