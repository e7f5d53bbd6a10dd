import { afterEach, describe, expect, it } from 'vitest';
import { detectIdCardReader, idCardReaderTransport } from '../../../drivers/devices/detect.js';
import { SamIdCardReader } from '../../../drivers/devices/id-card-reader.js';
import type { CardRead } from '../../../drivers/devices/types.js';
import { ID_CARD_DECK } from '../../../drivers/simulators/id-card-deck.js';
import { IdCardSimulator } from '../../../drivers/simulators/id-card-simulator.js';
import type { IdCardSimulatorOptions } from '../../../drivers/simulators/id-card-simulator.js';
import { SerialTransport } from '../../../drivers/transports/serial-transport.js';
import { SocatPair, until } from './socat.js';

/** Simulator on one end of a real pty pair (through the real serialport binding), reader on the other. */
async function rig(simulatorOptions: IdCardSimulatorOptions = {}, baudRate = 115200) {
  const pair = new SocatPair();
  await pair.start();
  const simulator = new IdCardSimulator({ baudRate, ...simulatorOptions });
  let far: SerialTransport | null = null;
  const attach = async (): Promise<void> => {
    far = new SerialTransport({ path: pair.b, baudRate, watchIntervalMs: 100 });
    await far.open();
    simulator.attach(far);
  };
  await attach();
  const reader = new SamIdCardReader({
    transport: idCardReaderTransport({ mode: 'serial', path: pair.a, baudRate }),
    clock: () => new Date('2026-06-01T02:00:00Z'),
    reconnectInitialMs: 50,
    reconnectMaxMs: 200,
    samStatusIntervalMs: 200,
  });
  const cards: CardRead[] = [];
  const errors: Array<{ code: string }> = [];
  let removed = 0;
  reader.on('card', (card) => cards.push(card));
  reader.on('read-error', (error) => errors.push(error));
  reader.on('card-removed', () => removed++);
  return {
    pair, simulator, reader, cards, errors, attach,
    removed: () => removed,
    dispose: async () => {
      await reader.stop();
      simulator.release();
      await far?.close();
      await pair.dispose();
    },
  };
}

describe('SamIdCardReader over a pty', () => {
  let dispose: (() => Promise<void>) | null = null;
  const make = async (...args: Parameters<typeof rig>) => {
    const made = await rig(...args);
    dispose = made.dispose;
    return made;
  };
  afterEach(async () => {
    await dispose?.();
    dispose = null;
  });

  it('detects the reader by its SAM ID and skips excluded ports', async () => {
    // A pty carries bytes whatever baud rate each end sets, so the first rate tried (115200) answers.
    const { pair, simulator } = await make({}, 9600);
    const found = await detectIdCardReader({ serialPaths: [pair.a, `${pair.directory}/missing`], listSerial: false, listHid: async () => [], probeTimeoutMs: 200 });
    expect(found).toEqual({ location: { kind: 'serial', path: pair.a, baudRate: 115200 }, samId: simulator.samId });
    expect(await detectIdCardReader({ serialPaths: [pair.a], excludePaths: [pair.a], listSerial: false, listHid: async () => [] })).toBeNull();
  });

  it('reads every card type placed on it, each placement once', async () => {
    const { simulator, reader, cards, errors, removed } = await make();
    await reader.start();
    await until(() => reader.status().state === 'online');
    expect(reader.status()).toMatchObject({ serialNumber: simulator.samId, port: expect.stringContaining('@115200') });
    for (const [index, card] of ID_CARD_DECK.filter((entry) => entry.id !== 'resident-bad-check').entries()) {
      simulator.placeCard(card.id);
      await until(() => cards.length === index + 1);
      expect(cards[index]!.identity.cardType).toBe(card.fields.cardType);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(cards).toHaveLength(index + 1);
      simulator.removeCard();
      await until(() => removed() === index + 1);
    }
    expect(errors).toEqual([]);
  });

  it('survives each fault switch and says what happened', async () => {
    const { simulator, reader, cards, errors } = await make();
    await reader.start();
    await until(() => reader.status().state === 'online');

    simulator.setFault('garbage', 'always');
    simulator.placeCard('resident-zhang');
    await until(() => cards.length === 1);
    simulator.setFault('garbage', 'off');
    simulator.removeCard();
    await until(() => reader.status().media === 'notPresent');

    simulator.setFault('card-lifted', 'once');
    simulator.placeCard('resident-li');
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe('card-moved');
    await until(() => reader.status().media === 'notPresent');

    simulator.placeCard('resident-li');
    simulator.setFault('corrupt-checksum', 'once');
    await until(() => cards.length === 2);
    simulator.removeCard();

    simulator.setFault('silence', 'always');
    await until(() => reader.status().state === 'offline');
    simulator.setFault('silence', 'off');
    await until(() => reader.status().state === 'online');

    simulator.setFault('sam-not-authorised', 'always');
    await until(() => reader.status().detail === 'sam-not-authorised');
    expect(reader.status().state).toBe('hardwareError');
    simulator.setFault('sam-not-authorised', 'off');
    await until(() => reader.status().state === 'online');
  });

  it('recovers by itself after socat is killed and restarted on the same paths', async () => {
    const { pair, simulator, reader, cards, attach } = await make();
    const details: Array<string | undefined> = [];
    reader.on('status', (status) => details.push(status.detail));
    await reader.start();
    await until(() => reader.status().state === 'online');
    await pair.kill();
    await until(() => reader.status().state === 'noDevice');
    expect(details).toContain('disconnected');
    await pair.start();
    await attach();
    await until(() => reader.status().state === 'online', 10_000);
    simulator.placeCard('foreign-2017-miller');
    await until(() => cards.length === 1);
    expect(cards[0]!.identity.nationality).toBe('USA');
  });
});
