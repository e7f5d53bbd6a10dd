import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../../host/services/central-client.js';
import { Drainer } from '../../../host/services/drainer.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox, type OutboxItem } from '../../../host/services/outbox.js';
import { submissionBody, temporaryDirectories } from '../../support/central-fixture.js';
import { VirtualClock } from '../../support/virtual-clock.js';

const directories = temporaryDirectories();
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  directories.cleanup();
});

interface Call {
  path: string;
  idempotencyKey: string | undefined;
  localNumber: string;
  stateAtCall: string | undefined;
  at: number;
}

/** A drainer over a real outbox, a scripted central and virtual time. */
function rig(answer: (call: Call, index: number) => CallOutcome<unknown>, options: { random?: () => number } = {}) {
  const clock = new VirtualClock();
  const dir = directories.make();
  const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001', now: () => clock.now });
  const calls: Call[] = [];
  const staff: Array<{ item: OutboxItem; reason: string }> = [];
  const storageFailures: unknown[] = [];
  const client = {
    call: (_method: string, path: string, _schema: unknown, body?: unknown, extra: { idempotencyKey?: string } = {}) => {
      const localNumber = String((body as { localNumber?: string } | undefined)?.localNumber ?? '');
      const call = { path, idempotencyKey: extra.idempotencyKey, localNumber, stateAtCall: outbox.get(localNumber)?.state, at: clock.now };
      calls.push(call);
      return Promise.resolve(answer(call, calls.length - 1));
    },
  } as unknown as ConstructorParameters<typeof Drainer>[0]['client'];
  const drainer = new Drainer({
    outbox,
    client,
    log: createLogger({ dataDir: null, minLevel: 'error' }),
    policy: { baseMs: 1_000, capMs: 5 * 60_000 },
    random: options.random ?? (() => 0.5),
    now: () => clock.now,
    timers: clock.timers,
    onNeedsStaff: (item, reason) => staff.push({ item, reason }),
    onStorageFailure: (error) => storageFailures.push(error),
  });
  closers.push(() => outbox.close(), () => drainer.stop());
  const enqueue = () => outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) });
  return { clock, outbox, drainer, calls, staff, storageFailures, enqueue };
}

const ack = (call: Call): CallOutcome<unknown> => ({ kind: 'ok', status: 201, value: { caseNumber: `CASE-${call.localNumber}`, localNumber: call.localNumber, status: 'accepted', reasons: [] } });
const networkDown: CallOutcome<unknown> = { kind: 'retry', reason: 'network: TypeError', retryAfterMs: null };

describe('Drainer', () => {
  it('sends in order and marks an item delivered only after central acknowledged it', async () => {
    const { drainer, calls, outbox, enqueue, clock } = rig(ack);
    const items = [enqueue(), enqueue(), enqueue()];
    drainer.start();
    await clock.advance(10);
    expect(calls.map((call) => call.localNumber)).toEqual(items.map((item) => item.localNumber));
    expect(calls.every((call) => call.stateAtCall === 'pending')).toBe(true);
    expect(outbox.get(items[2]?.localNumber ?? '')).toMatchObject({ state: 'delivered', caseNumber: `CASE-${items[2]?.localNumber}` });
  });

  it('stops the pass at the first network failure and probes with one request per pause', async () => {
    const { drainer, calls, enqueue, clock } = rig(() => networkDown);
    for (let index = 0; index < 5; index++) enqueue();
    drainer.start();
    await clock.advance(10);
    expect(calls).toHaveLength(1);
    drainer.kick();
    enqueue();
    drainer.kick();
    await clock.advance(500);
    expect(calls).toHaveLength(1);
    await clock.advance(1_000);
    expect(calls).toHaveLength(2);
    expect(drainer.online).toBe(false);
  });

  it('makes few requests in an hour while central is down, and everything goes once it returns', async () => {
    let down = true;
    const { drainer, calls, enqueue, clock, outbox } = rig((call) => (down ? networkDown : ack(call)));
    for (let index = 0; index < 20; index++) enqueue();
    drainer.start();
    await clock.advance(3600_000);
    const probes = calls.length;
    // random = 0.5: pauses of 1, 2, 4 … 150 s, then 150 s each: about 30 in the hour, not thousands.
    expect(probes).toBeGreaterThan(5);
    expect(probes).toBeLessThan(40);
    down = false;
    await clock.advance(5 * 60_000);
    expect(outbox.depth().pending).toBe(0);
    expect(calls.length).toBe(probes + 20);
  });

  it('waits at least as long as Retry-After before asking again', async () => {
    const { drainer, calls, enqueue, clock } = rig((call, index) => (index === 0 ? { kind: 'retry', reason: 'unavailable', retryAfterMs: 30_000 } : ack(call)));
    enqueue();
    drainer.start();
    await clock.advance(29_000);
    expect(calls).toHaveLength(1);
    await clock.advance(2_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBeGreaterThanOrEqual((calls[0]?.at ?? 0) + 30_000);
  });

  it('redelivers with the same Idempotency-Key after a lost answer', async () => {
    const { drainer, calls, enqueue, clock, outbox } = rig((call, index) => (index === 0 ? { kind: 'retry', reason: 'unparseable-response', retryAfterMs: null } : ack(call)));
    const item = enqueue();
    drainer.start();
    await clock.advance(10_000);
    expect(calls.map((call) => call.idempotencyKey)).toEqual([item.idempotencyKey, item.idempotencyKey]);
    expect(outbox.get(item.localNumber)?.state).toBe('delivered');
  });

  it('moves needs-staff and permanent failures to the staff list with an alert, and carries on with the rest', async () => {
    const { drainer, calls, enqueue, clock, outbox, staff } = rig((call, index) =>
      index === 0 ? { kind: 'needs-staff', reason: 'signature-stale-timestamp' } : index === 1 ? { kind: 'permanent', reason: 'bad-request', status: 400 } : ack(call),
    );
    const [first, second, third] = [enqueue(), enqueue(), enqueue()];
    drainer.start();
    await clock.advance(10);
    expect(calls).toHaveLength(3);
    expect(outbox.list('needs-staff').map((item) => [item.localNumber, item.lastError])).toEqual([
      [first.localNumber, 'needs-staff: signature-stale-timestamp'],
      [second.localNumber, 'permanent: bad-request'],
    ]);
    expect(staff.map((alert) => alert.reason)).toEqual(['signature-stale-timestamp', 'bad-request']);
    expect(outbox.get(third.localNumber)?.state).toBe('delivered');
  });

  it('sends an item whose payload no longer opens to staff instead of failing the queue', async () => {
    const { drainer, enqueue, clock, outbox, staff, calls } = rig(ack);
    const broken = enqueue();
    const fine = enqueue();
    const payload = outbox.payload.bind(outbox);
    outbox.payload = (item) => {
      if (item.localNumber === broken.localNumber) throw new Error('Unsupported state or unable to authenticate data');
      return payload(item);
    };
    drainer.start();
    await clock.advance(10);
    expect(staff.map((alert) => [alert.item.localNumber, alert.reason])).toEqual([[broken.localNumber, 'payload-unreadable']]);
    expect(calls.map((call) => call.localNumber)).toEqual([fine.localNumber]);
  });

  it('reports a full disk, keeps the item pending and redelivers it with the same key later', async () => {
    const { drainer, enqueue, clock, outbox, storageFailures, calls } = rig(ack);
    const item = enqueue();
    const markDelivered = outbox.markDelivered.bind(outbox);
    let full = true;
    outbox.markDelivered = (...args) => {
      if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      markDelivered(...args);
    };
    drainer.start();
    await clock.advance(10);
    expect(storageFailures).toHaveLength(1);
    expect(outbox.get(item.localNumber)?.state).toBe('pending');
    full = false;
    await clock.advance(5_000);
    expect(outbox.get(item.localNumber)?.state).toBe('delivered');
    expect(calls.map((call) => call.idempotencyKey)).toEqual([item.idempotencyKey, item.idempotencyKey]);
  });
});
