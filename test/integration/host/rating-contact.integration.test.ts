import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { simpleDraft, startBridgedDemo, startCitizenSession, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';

/**
 * 不满意 asks for a phone for the 回访. Reached from 办件查询 there is no form to take it from, so the citizen
 * had to type a number central already holds (人口库 profile). The host now offers the profile's mobile.
 */
let demo: BridgedDemo | undefined;
let bridge: BridgeClient;

beforeAll(async () => {
  demo = await startBridgedDemo({ submitWaitMs: 500 });
  bridge = demo.bridge;
});

afterAll(async () => {
  await demo?.close();
});

describe('rating:contact', () => {
  it('gives nothing before a card is read', async () => {
    expect(await bridge.call('rating:contact', {})).toEqual({ ok: true, value: { mobile: null } });
  });

  it("gives the card holder's mobile from central's profile, and nothing while central cannot be reached", async () => {
    await startCitizenSession(bridge, simpleDraft(loadCatalog().services).serviceId);
    const online = await bridge.call('rating:contact', {});
    expect(online).toEqual({ ok: true, value: { mobile: expect.stringMatching(/^1385380\d{4}$/) as unknown } });

    demo?.stack.central.setFaults({ errorRate: 1, retryAfterSeconds: 2 });
    expect(await bridge.call('rating:contact', {})).toEqual({ ok: true, value: { mobile: null } });
    demo?.stack.central.setFaults({ errorRate: 0 });
  });
});
