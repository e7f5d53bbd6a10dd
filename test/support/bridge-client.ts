import WebSocket from 'ws';
import { startDemoStack, type DemoOptions, type DemoStack } from '../../scripts/demo-stack.js';
import type { Service } from '../../contract/catalog.js';
import type { ApplicationDraft } from '../../contract/domain.js';
import { answerPaths, completeDraft } from '../unit/catalog/flow-walk.js';

/**
 * A test's view of a running host through its WebSocket bridge (the browser shell's path): calls
 * channels, collects events. Used against child host processes, where nothing else reaches in.
 */
export interface BridgeClient {
  call(channel: string, request: unknown, timeoutMs?: number): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  events: Array<{ event: string; payload: unknown }>;
  waitForEvent(event: string, timeoutMs: number): Promise<unknown>;
  close(): void;
}

export async function connectBridge(ready: { url: string; launchUrl: string }): Promise<BridgeClient> {
  const token = new URL(ready.launchUrl).hash.replace(/^#token=/, '');
  const socket = new WebSocket(`${ready.url.replace('http', 'ws')}/bridge?token=${token}`, { headers: { origin: ready.url } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (result: never) => void>();
  const events: BridgeClient['events'] = [];
  const eventWaiters = new Set<{ event: string; resolve: (payload: unknown) => void }>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: never; event?: string; payload?: unknown };
    if (typeof message.id === 'number') {
      waiting.get(message.id)?.(message.result as never);
      waiting.delete(message.id);
    } else if (message.event) {
      events.push({ event: message.event, payload: message.payload });
      for (const waiter of [...eventWaiters]) {
        if (waiter.event !== message.event) continue;
        eventWaiters.delete(waiter);
        waiter.resolve(message.payload);
      }
    }
  });
  const closed = new Promise<never>((_, reject) => socket.once('close', () => reject(new Error('bridge closed'))));
  closed.catch(() => undefined);
  return {
    call(channel, request, timeoutMs = 30_000) {
      const id = nextId++;
      return Promise.race([
        new Promise<never>((resolve) => {
          waiting.set(id, resolve);
          socket.send(JSON.stringify({ id, channel, request }));
        }),
        closed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${channel} timed out`)), timeoutMs).unref()),
      ]);
    },
    events,
    waitForEvent(event, timeoutMs) {
      const seen = events.find((entry) => entry.event === event);
      if (seen) return Promise.resolve(seen.payload);
      return Promise.race([
        new Promise<unknown>((resolve) => eventWaiters.add({ event, resolve })),
        closed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${event} event`)), timeoutMs).unref()),
      ]);
    },
    close: () => socket.terminate(),
  };
}

/** A service every draft of which the kiosk accepts without photos or signatures, and its draft. */
export function simpleDraft(services: readonly Service[]): ApplicationDraft {
  for (const service of services) {
    if (!service.flow) continue;
    const draft = completeDraft(service, answerPaths(service)[0] ?? {}, true);
    if (!draft.signature && Object.values(draft.materials).every((provision) => provision.kind !== 'photo')) return draft;
  }
  throw new Error('no simple service in the catalog');
}

/** Demo mode's staff account (host/services/demo-staff.ts), which the README documents with its PIN. */
export const DEMO_STAFF_CHECK = { number: '0001', pin: '246810' } as const;

/**
 * 人证核验 of the identity just read (issue 14), as hall staff do it in person: most applications ask for
 * it, and the host refuses a submission without it. Tests of the application path after the card use
 * this; tests of the check itself (test/integration/host/identity-check.integration.test.ts) do not.
 */
export async function confirmInPerson(bridge: BridgeClient): Promise<void> {
  const checked = await bridge.call('identity:staff-check', DEMO_STAFF_CHECK);
  if (!checked.ok) throw new Error(`人工核验 refused: ${JSON.stringify(checked)}`);
}

/**
 * A citizen lays their card and waits until the kiosk has read it. When the kiosk says it could not
 * read the card (identity:rejected: on a loaded machine a read can time out, and the reader reports it
 * once per placement), they do what the screen asks: lift the card and lay it again, up to `attempts`
 * times. Fails with the events seen when no read comes.
 */
export async function layCard(bridge: BridgeClient, cardId: string, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    bridge.events.splice(0);
    const read = bridge.waitForEvent('identity:read', 15_000).then(() => 'read' as const);
    const rejected = bridge.waitForEvent('identity:rejected', 15_000).then(() => 'rejected' as const);
    if (!(await bridge.call('simulator:place-card', { cardId })).ok) throw new Error(`card ${cardId} not placed`);
    const outcome = await Promise.race([read, rejected]).catch((error: unknown) => {
      throw new Error(`${(error as Error).message} after laying ${cardId}; events: ${bridge.events.map((entry) => entry.event).join(', ')}`, { cause: error });
    });
    read.catch(() => undefined);
    rejected.catch(() => undefined);
    if (outcome === 'read') return confirmInPerson(bridge);
    if (attempt >= attempts) throw new Error(`card ${cardId} refused ${attempts} times: ${JSON.stringify(bridge.events.find((entry) => entry.event === 'identity:rejected')?.payload)}`);
    bridge.events.splice(0);
    const lifted = bridge.waitForEvent('identity:card-removed', 15_000);
    await bridge.call('simulator:remove-card', {});
    await lifted;
  }
}

export async function startCitizenSession(bridge: BridgeClient, serviceId: string): Promise<void> {
  const cards = (await bridge.call('simulator:list-cards', {})) as { ok: boolean; value?: Array<{ id: string; label: string }> };
  const card = cards.value?.[0];
  if (!card) throw new Error('no demo card');
  // This placement's read, not one from an earlier session still in the event list.
  const since = bridge.events.length;
  await bridge.call('simulator:place-card', { cardId: card.id });
  const deadline = Date.now() + 15_000;
  while (!bridge.events.slice(since).some((entry) => entry.event === 'identity:read')) {
    if (Date.now() > deadline) throw new Error('no identity:read event');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await confirmInPerson(bridge);
  const started = await bridge.call('session:start', { serviceId });
  if (!started.ok) throw new Error(`session:start failed: ${JSON.stringify(started.error)}`);
}

/**
 * The next citizen at the kiosk: the session ends and a card is laid on the reader again. A session that
 * has submitted is finished (the host refuses a second submission), so each application needs its own.
 */
export async function nextCitizenSession(bridge: BridgeClient, serviceId: string): Promise<void> {
  await bridge.call('session:end', { reason: 'completed' });
  await startCitizenSession(bridge, serviceId);
}

export interface BridgedDemo {
  stack: DemoStack;
  bridge: BridgeClient;
  close(): Promise<void>;
}

/** The demo stack without the renderer, and a bridge client connected to it as the kiosk's UI would be. */
export async function startBridgedDemo(options: Omit<DemoOptions, 'bridge' | 'serveRenderer'> = {}): Promise<BridgedDemo> {
  const stack = await startDemoStack({ ...options, serveRenderer: false });
  const server = stack.host.bridge;
  if (!server) {
    await stack.close();
    throw new Error('demo stack started without its bridge');
  }
  const bridge = await connectBridge(server);
  return {
    stack,
    bridge,
    async close() {
      bridge.close();
      await stack.close();
    },
  };
}
