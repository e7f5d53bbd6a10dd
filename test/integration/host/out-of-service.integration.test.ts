import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { KioskInfo } from '../../../contract/channels.js';
import type { DemoStack } from '../../../scripts/demo-stack.js';
import { connectBridge, simpleDraft, startBridgedDemo, startCitizenSession, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';

/**
 * A storage fault takes the kiosk out of service (暂停服务). The event reaches the windows open at that
 * moment; a window that loads later (an Electron reload, a refreshed browser shell) learns it from
 * `kiosk:get-info`, so it never shows a working kiosk over a store that can no longer keep "已提交".
 */
let stack: DemoStack;
let bridge: BridgeClient;
let demo: BridgedDemo | undefined;

beforeAll(async () => {
  demo = await startBridgedDemo({ submitWaitMs: 1_000 });
  ({ stack, bridge } = demo);
});

afterAll(async () => {
  await demo?.close();
});

describe('out of service', () => {
  it('is reported by kiosk:get-info after a storage fault, to windows that were not there for the event', async () => {
    const before = (await bridge.call('kiosk:get-info', {})).value as KioskInfo;
    expect(before.outOfService).toBeNull();

    stack.host.outbox.enqueue = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const draft = simpleDraft(loadCatalog().services);
    await startCitizenSession(bridge, draft.serviceId);
    const event = bridge.waitForEvent('kiosk:out-of-service', 10_000);
    const refused = await bridge.call('application:submit', draft);
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage-failed' } });
    expect(((await event) as { message: string }).message).toMatch(/暂停服务/);

    const late = await connectBridge(stack.host.bridge ?? { url: '', launchUrl: '' });
    try {
      const after = (await late.call('kiosk:get-info', {})).value as KioskInfo;
      expect(after.outOfService).toMatch(/暂停服务.*人工窗口/);
    } finally {
      late.close();
    }
  });
});
