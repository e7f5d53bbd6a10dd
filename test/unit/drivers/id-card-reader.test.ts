import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../contract/domain.js';
import { SamIdCardReader } from '../../../drivers/devices/id-card-reader.js';
import type { IdCardReaderOptions } from '../../../drivers/devices/id-card-reader.js';
import type { DriverLogEntry } from '../../../drivers/devices/log.js';
import type { CardRead } from '../../../drivers/devices/types.js';
import { ID_CARD_DECK } from '../../../drivers/simulators/id-card-deck.js';
import { IdCardSimulator } from '../../../drivers/simulators/id-card-simulator.js';
import type { IdCardSimulatorOptions } from '../../../drivers/simulators/id-card-simulator.js';
import { MemoryLink } from '../../../drivers/transports/memory-transport.js';

/** A reader wired to a simulator over an in-memory link; every (re)connect makes a new link. */
function rig(simulatorOptions: IdCardSimulatorOptions = {}, readerOptions: Partial<IdCardReaderOptions> = {}) {
  const simulator = new IdCardSimulator({ baudRate: null, ...simulatorOptions });
  const links: MemoryLink[] = [];
  let plugged = true;
  const events: Array<{ event: string; payload: unknown }> = [];
  const logs: DriverLogEntry[] = [];
  const reader = new SamIdCardReader({
    clock: () => new Date('2026-06-01T02:00:00Z'),
    reconnectInitialMs: 20,
    reconnectMaxMs: 50,
    commandTimeoutMs: 60,
    readTimeoutMs: 100,
    log: (entry) => logs.push(entry),
    ...readerOptions,
    transport: async () => {
      const link = new MemoryLink(`rig-${links.length}`);
      if (!plugged) link.unplug();
      links.push(link);
      await link.b.open().catch(() => undefined);
      simulator.attach(link.b);
      return link.a;
    },
  });
  for (const event of ['status', 'card', 'card-removed', 'read-error'] as const) {
    reader.on(event, (payload) => events.push({ event, payload }));
  }
  const cards = (): CardRead[] => events.filter((entry) => entry.event === 'card').map((entry) => entry.payload as CardRead);
  const count = (event: string): number => events.filter((entry) => entry.event === event).length;
  return {
    simulator, reader, events, logs, cards, count,
    unplug: () => {
      plugged = false;
      links.at(-1)?.unplug();
    },
    replug: () => {
      plugged = true;
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SamIdCardReader', () => {
  let current: ReturnType<typeof rig> | null = null;
  const make = (...args: Parameters<typeof rig>) => (current = rig(...args));
  afterEach(async () => {
    await current?.reader.stop();
    current = null;
  });

  it('reports the SAM ID as serial number and its version as firmware once online', async () => {
    const { reader, simulator } = make();
    await reader.start();
    await until(() => reader.status().state === 'online');
    expect(reader.status()).toMatchObject({ kind: 'id-card-reader', serialNumber: simulator.samId, firmware: 'SAM 05.01', media: 'notPresent', simulated: false });
  });

  it.each(ID_CARD_DECK.filter((card) => card.id !== 'resident-bad-check').map((card) => [card.id, card.fields.cardType]))(
    'reads %s as a %s identity with its raw photo',
    async (cardId) => {
      const { reader, simulator, cards } = make();
      await reader.start();
      simulator.placeCard(cardId);
      await until(() => cards().length === 1);
      const card = ID_CARD_DECK.find((entry) => entry.id === cardId)!;
      expect(cards()[0]!.identity.cardType).toBe(card.fields.cardType);
      expect(cards()[0]!.photoWlt).toEqual(card.photoWlt);
    },
  );

  it('reads a card left on the reader only once, and the next placement again', async () => {
    const { reader, simulator, cards, count } = make();
    await reader.start();
    simulator.placeCard('resident-zhang');
    await until(() => cards().length === 1);
    await settle(200);
    expect(cards()).toHaveLength(1);
    expect(count('card-removed')).toBe(0);
    expect(reader.status().media).toBe('present');
    simulator.removeCard();
    await until(() => count('card-removed') === 1);
    expect(reader.status().media).toBe('notPresent');
    simulator.placeCard('resident-li');
    await until(() => cards().length === 2);
    expect(cards()[1]!.identity.name).toBe('李秀英');
  });

  it('reads a card swapped in faster than the removal debounce', async () => {
    const { reader, simulator, cards } = make();
    await reader.start();
    simulator.placeCard('resident-zhang');
    await until(() => cards().length === 1);
    simulator.removeCard();
    simulator.placeCard('resident-li');
    await until(() => cards().length === 2, 3000);
    expect(cards().map((card) => card.identity.name)).toEqual(['张建华', '李秀英']);
  });

  it('gates a card on a reader that keeps finding it after the read', async () => {
    const { reader, simulator, cards } = make({ haltAfterRead: false });
    await reader.start();
    simulator.placeCard('resident-zhang');
    // Longer than the once-a-second re-check: the re-read sees the same card and stays quiet.
    await settle(1300);
    expect(cards()).toHaveLength(1);
  });

  it('computes expiry with the injected clock', async () => {
    const { reader, simulator, cards } = make({}, { clock: () => new Date('2020-04-20T03:00:00Z') });
    await reader.start();
    simulator.placeCard('resident-expired');
    await until(() => cards().length === 1);
    expect(cards()[0]!.identity.expired).toBe(false);
  });

  it('rejects the bad-check-digit card once per placement, in Chinese, and logs no personal data', async () => {
    const { reader, simulator, events, logs, count } = make();
    await reader.start();
    simulator.placeCard('resident-bad-check');
    await until(() => count('read-error') === 1);
    await settle(150);
    expect(count('read-error')).toBe(1);
    const error = events.find((entry) => entry.event === 'read-error')!.payload as { code: string; message: string };
    expect(error.code).toBe('id-number-check-digit');
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    const text = JSON.stringify(logs);
    expect(text).not.toContain('赵敏');
    expect(text).not.toMatch(/37098219770930204/);
  });

  it('reads through garbage before every response', async () => {
    const { reader, simulator, cards } = make();
    simulator.setFault('garbage', 'always');
    await reader.start();
    simulator.placeCard('hk-mo-tw-chen');
    await until(() => cards().length === 1);
    expect(cards()[0]!.identity.cardType).toBe('hk-mo-tw-residence');
  });

  it('retries a read whose response had a corrupted checksum', async () => {
    const { reader, simulator, cards, count } = make();
    await reader.start();
    await until(() => reader.status().state === 'online');
    simulator.placeCard('resident-zhang');
    // find, select, then the read: corrupt exactly the read response.
    simulator.setFault('corrupt-checksum', 'once');
    await until(() => cards().length === 1);
    expect(count('read-error')).toBe(0);
  });

  it('says the card was moved when it is lifted mid-read, then reports its removal', async () => {
    const { reader, simulator, events, count } = make();
    simulator.setFault('card-lifted', 'once');
    await reader.start();
    simulator.placeCard('resident-li');
    await until(() => count('read-error') === 1);
    expect((events.find((entry) => entry.event === 'read-error')!.payload as { code: string }).code).toBe('card-moved');
    await until(() => count('card-removed') === 1);
    expect(count('card')).toBe(0);
  });

  it('becomes offline when the reader falls silent and online again when it answers', async () => {
    const { reader, simulator } = make();
    await reader.start();
    await until(() => reader.status().state === 'online');
    simulator.setFault('silence', 'always');
    await until(() => reader.status().state === 'offline');
    expect(reader.status().detail).toBe('no-response');
    simulator.setFault('silence', 'off');
    await until(() => reader.status().state === 'online');
  });

  it('reports an unauthorised SAM as a hardware error and recovers when it is authorised', async () => {
    const { reader, simulator } = make({}, { samStatusIntervalMs: 50 });
    simulator.setFault('sam-not-authorised', 'always');
    await reader.start();
    await until(() => reader.status().state === 'hardwareError');
    expect(reader.status().detail).toBe('sam-not-authorised');
    simulator.setFault('sam-not-authorised', 'off');
    await until(() => reader.status().state === 'online', 4000);
  });

  it('notices an unplug within a poll and reconnects by itself', async () => {
    const { reader, simulator, cards, unplug, replug } = make();
    const states: DeviceStatus['state'][] = [];
    reader.on('status', (status) => states.push(status.state));
    await reader.start();
    await until(() => reader.status().state === 'online');
    unplug();
    await until(() => reader.status().state === 'noDevice');
    replug();
    await until(() => reader.status().state === 'online');
    simulator.placeCard('foreign-2023-kim');
    await until(() => cards().length === 1);
    expect(states).toContain('noDevice');
  });

  it('fires no event after stop()', async () => {
    const { reader, simulator, events } = make();
    await reader.start();
    await until(() => reader.status().state === 'online');
    await reader.stop();
    const before = events.length;
    simulator.placeCard('resident-zhang');
    await settle(100);
    expect(events.length).toBe(before);
    expect(reader.status().state).toBe('offline');
  });

  it('reads the appended address and fingerprints when asked', async () => {
    const { reader, simulator, cards } = make({}, { readAppendedAddress: true, readFingerprint: true });
    await reader.start();
    simulator.placeCard('resident-li');
    await until(() => cards().length === 1);
    expect(cards()[0]!.appendedAddress).toBe('山东省泰安市泰山区财源街道青年路9号');
    expect(cards()[0]!.fingerprint).toBeNull();
    simulator.removeCard();
    await settle(50);
    simulator.placeCard('resident-zhang');
    await until(() => cards().length === 2);
    expect(cards()[1]!.fingerprint?.length).toBe(1024);
    expect(cards()[1]!.appendedAddress).toBeUndefined();
  });

  it('discards late answers after the event loop was busy, so a card lying there is never counted as gone (issue 10, kind 6)', async () => {
    // A busy host (a PDF rendered, a certificate printed) lets command timeouts fire before the answers
    // that arrived meanwhile are read; each late answer was then taken for the next command's, and a halted
    // card's "find failed" answered select-card: two of those and the card counted as removed.
    const { reader, simulator, count, logs } = make({}, { commandTimeoutMs: 20, pollIntervalMs: 1 });
    await reader.start();
    simulator.placeCard('resident-zhang');
    await until(() => count('card') === 1, 5000);
    for (let round = 0; round < 15; round++) {
      const busyUntil = Date.now() + 60;
      while (Date.now() < busyUntil) {
        // the event loop is blocked, as by a synchronous render
      }
      await settle(15);
    }
    await settle(300);
    expect(count('card-removed')).toBe(0);
    expect(logs.some((entry) => entry.code === 'stray-answer')).toBe(true);
    simulator.removeCard();
    await until(() => count('card-removed') === 1, 5000);
  });
});
