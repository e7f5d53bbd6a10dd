import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { MyCases } from '../../../contract/channels.js';
import type { DemoStack } from '../../../scripts/demo-stack.js';
import { confirmInPerson, simpleDraft, startBridgedDemo, startCitizenSession, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';

/**
 * 读卡查询 lists the card holder's applications that are still waiting on this kiosk (submitted while
 * central was unreachable) beside central's records, with or without central, and each exactly once.
 */
let stack: DemoStack;
let bridge: BridgeClient;
let demo: BridgedDemo | undefined;

beforeAll(async () => {
  demo = await startBridgedDemo({ submitWaitMs: 500 });
  ({ stack, bridge } = demo);
});

afterAll(async () => {
  await demo?.close();
});

async function listMine(): Promise<MyCases> {
  const result = await bridge.call('case:list-mine', {});
  if (!result.ok) throw new Error(`case:list-mine: ${JSON.stringify(result.error)}`);
  return result.value as MyCases;
}

describe('读卡查询', () => {
  it('shows an application still waiting on the kiosk while central is down, and once central has it, once', async () => {
    const draft = simpleDraft(loadCatalog().services);
    await startCitizenSession(bridge, draft.serviceId);
    const before = (await listMine()).cases.length;
    stack.central.setFaults({ errorRate: 1, retryAfterSeconds: 2 });
    const submitted = await bridge.call('application:submit', draft);
    expect(submitted.ok).toBe(true);
    const localNumber = (submitted.value as { localNumber: string }).localNumber;
    expect(stack.host.outbox.get(localNumber)?.state).toBe('pending');

    // Central unreachable: the waiting application is listed, with a notice that the list is partial.
    const offline = await listMine();
    expect(offline.notice).toMatch(/网络暂时中断/);
    expect(offline.cases).toEqual([expect.objectContaining({ caseRef: localNumber, caseNumber: null, status: 'queued' })]);

    // Central back: listed once, whether the drainer has delivered it yet or not.
    stack.central.setFaults({ errorRate: 0 });
    const back = await listMine();
    expect(back.notice).toBeNull();
    expect(back.cases).toHaveLength(before + 1);

    // Delivered: central's record with its case number, the local entry gone.
    const deadline = Date.now() + 30_000;
    while (stack.host.outbox.get(localNumber)?.state !== 'delivered' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const caseNumber = stack.host.outbox.get(localNumber)?.caseNumber;
    expect(caseNumber).toMatch(/^TA\d{14}$/);
    const online = await listMine();
    expect(online.cases).toHaveLength(before + 1);
    expect(online.cases.some((item) => item.caseRef === localNumber)).toBe(false);
    expect(online.cases.filter((item) => item.caseNumber === caseNumber)).toHaveLength(1);
  });

  it('fails plainly when central is down and nothing waits on the kiosk', async () => {
    // The same card holder: the application above has been delivered, so nothing of theirs waits here.
    expect(stack.host.outbox.depth().pending).toBe(0);
    stack.central.setFaults({ errorRate: 1 });
    try {
      expect(await bridge.call('case:list-mine', {})).toMatchObject({ ok: false, error: { code: 'central-unavailable' } });
    } finally {
      stack.central.setFaults({ errorRate: 0 });
    }
  });

  it('refuses the query for a card just read until 人证核验 has passed (the host, not only the screen), then lists', async () => {
    await bridge.call('session:end', { reason: 'completed' });
    const cards = (await bridge.call('simulator:list-cards', {})) as { value?: Array<{ id: string }> };
    // The card read, and nothing more (layCard would have staff confirm the holder at once).
    bridge.events.splice(0);
    const read = bridge.waitForEvent('identity:read', 15_000);
    await bridge.call('simulator:place-card', { cardId: cards.value?.[0]?.id ?? '' });
    await read;
    const refused = await bridge.call('case:list-mine', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'identity-check-needed', message: expect.stringMatching(/确认是您本人/) } });
    // A failed face attempt does not open it either; staff confirming in person does.
    await bridge.call('identity:face-outcome', { outcome: 'liveness-failed' });
    expect(await bridge.call('case:list-mine', {})).toMatchObject({ ok: false, error: { code: 'identity-check-needed' } });
    await confirmInPerson(bridge);
    expect((await listMine()).cases.length).toBeGreaterThan(0);
  });
});
