import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../contract/channels.js';
import { findDeckCard } from '../../../drivers/simulators/id-card-deck.js';
import { startBridgedDemo, type BridgeClient, type BridgedDemo } from '../../support/bridge-client.js';

/**
 * Demo mode's card buttons, tapped in quick succession (a trainer trying cards): each `simulator:place-card`
 * lifts the card lying there, waits for the reader to see the field empty, then lays its own. A placement
 * still waiting was not cancelled by a newer one: with cards A, B, C tapped 300 ms apart, C lay on the
 * reader while B's call still waited, and B's card was laid later, at the next lift, so the next citizen's
 * session started for B's holder. The newest placement wins; a superseded one answers `placed: false`.
 * Through the real handler, bridge and simulated reader (SAM frames paced at 115200 baud).
 */
let demo: BridgedDemo;
let bridge: BridgeClient;

const nameOf = (cardId: string): string => (findDeckCard(cardId)?.fields as { name: string }).name;
const [A, B, C, D] = ['resident-zhang', 'resident-li', 'resident-sun', 'resident-liu'];

beforeAll(async () => {
  demo = await startBridgedDemo({ config: { session: { idleTimeoutSeconds: 120, idleWarningSeconds: 30, cardAbsentGraceSeconds: 30 } } });
  bridge = demo.bridge;
});
afterAll(async () => {
  await demo.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Names of the holders the kiosk announced (`identity:read`), oldest first, since the test began. */
function holdersRead(): string[] {
  return bridge.events.filter((entry) => entry.event === 'identity:read').map((entry) => (entry.payload as { identity: { name: string } }).identity.name);
}

/** Waits until the kiosk has announced `cardId`'s holder; fails with what it announced instead. */
async function readOf(cardId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holdersRead().includes(nameOf(cardId))) {
    if (Date.now() > deadline) throw new Error(`no read of ${cardId}; read: ${holdersRead().join(', ')}`);
    await sleep(50);
  }
}

const place = (cardId: string) => bridge.call('simulator:place-card', { cardId });

describe('demo mode: card buttons tapped in quick succession', () => {
  it('lays only the newest card; a superseded placement is never laid later, and the next citizen gets their own session', async () => {
    bridge.events.splice(0);
    expect(await place(A)).toEqual({ ok: true, value: { placed: true } });
    await sleep(300);
    const b = place(B);
    await sleep(300);
    const c = place(C);
    expect(await c).toEqual({ ok: true, value: { placed: true } });
    await readOf(C);
    expect(((await bridge.call('session:get', {})).value as SessionView | null)?.identity?.name).toBe(nameOf(C));

    // C's holder is done, lifts the card; the next citizen lays theirs.
    await bridge.call('session:end', { reason: 'completed' });
    bridge.events.splice(0);
    const lifted = bridge.waitForEvent('identity:card-removed', 15_000);
    expect(await bridge.call('simulator:remove-card', {})).toEqual({ ok: true, value: { removed: true } });
    await lifted;
    expect(await place(D)).toEqual({ ok: true, value: { placed: true } });
    await readOf(D);
    expect(holdersRead()).toEqual([nameOf(D)]);
    expect(((await bridge.call('session:get', {})).value as SessionView | null)?.identity?.name).toBe(nameOf(D));
    expect(demo.stack.host.devices.simulators?.idCard?.cardPresent).toBe(true);
    expect(await b).toEqual({ ok: true, value: { placed: false } });
  });

  it('lets a lift supersede a placement still waiting for the field to empty', async () => {
    bridge.events.splice(0);
    expect(await place(C)).toEqual({ ok: true, value: { placed: true } });
    await readOf(C);
    // The placement of A lifts C and waits for the reader to see the field empty; meanwhile the hand lifts.
    const a = place(A);
    await sleep(50);
    expect((await bridge.call('simulator:remove-card', {})).ok).toBe(true);
    expect(await a).toEqual({ ok: true, value: { placed: false } });
    expect(demo.stack.host.devices.simulators?.idCard?.cardPresent).toBe(false);
  });
});
