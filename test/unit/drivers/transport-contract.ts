/**
 * One contract suite for every transport (drivers/transports/transport.ts), run against the
 * in-memory link and HID (unit) and against the serial transport on a real pty (integration),
 * as serialport runs one suite against its mock and real bindings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeResponse } from '../../../drivers/protocols/sam-frame.js';
import type { Transport } from '../../../drivers/transports/transport.js';
import { TransportError } from '../../../drivers/transports/transport.js';

export interface TransportHarness {
  /** Unopened transport under test. */
  transport: Transport;
  /** The far end: send bytes toward the transport, read what it wrote. */
  peerSend(bytes: Uint8Array): Promise<void>;
  peerReceived(): Uint8Array;
  /** Pull the cable. */
  unplug(): Promise<void>;
  dispose(): Promise<void>;
}

/** SAM frames: meaningful to every transport (HID unpacks reports by frame length). */
const FRAMES = [encodeResponse(0x9f, new Uint8Array(4)), encodeResponse(0x90, Uint8Array.from({ length: 1284 }, (_, index) => index & 0xff))];

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function describeTransportContract(name: string, makeHarness: () => Promise<TransportHarness>): void {
  describe(`Transport contract: ${name}`, () => {
    let harness: TransportHarness | null = null;
    const make = async (): Promise<TransportHarness> => (harness = await makeHarness());

    afterEach(async () => {
      await harness?.transport.close();
      await harness?.dispose();
      harness = null;
    });

    it('rejects a write before open with not-open', async () => {
      const { transport } = await make();
      await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'not-open' });
    });

    it('delivers received bytes in order and intact', async () => {
      const { transport, peerSend } = await make();
      const received: number[] = [];
      transport.on('data', (bytes) => received.push(...bytes));
      await transport.open();
      expect(transport.isOpen).toBe(true);
      for (const frame of FRAMES) await peerSend(frame);
      const expected = FRAMES.flatMap((frame) => Array.from(frame));
      await until(() => received.length >= expected.length);
      expect(received).toEqual(expected);
    });

    it('hands written bytes to the far end', async () => {
      const { transport, peerReceived } = await make();
      await transport.open();
      await transport.write(FRAMES[0]!);
      await until(() => peerReceived().length >= FRAMES[0]!.length);
      expect(Array.from(peerReceived().subarray(0, FRAMES[0]!.length))).toEqual(Array.from(FRAMES[0]!));
    });

    it('fires close once, without disconnected, after close(); is single-use afterwards', async () => {
      const { transport, peerSend } = await make();
      const closes: Array<{ disconnected: boolean }> = [];
      const data: number[] = [];
      transport.on('close', (event) => closes.push(event));
      transport.on('data', (bytes) => data.push(...bytes));
      await transport.open();
      await transport.close();
      await transport.close();
      await peerSend(FRAMES[0]!).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closes).toEqual([{ disconnected: false }]);
      expect(data).toEqual([]);
      expect(transport.isOpen).toBe(false);
      await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'not-open' });
      await expect(transport.open()).rejects.toBeInstanceOf(TransportError);
    });

    it('fires close with disconnected when unplugged, noticed at the latest on the next write', async () => {
      const { transport, unplug } = await make();
      const closes: Array<{ disconnected: boolean }> = [];
      transport.on('close', (event) => closes.push(event));
      await transport.open();
      await unplug();
      // Some links (a pty, USB-serial) only report the loss when written to.
      await until(() => closes.length > 0 || !transport.isOpen, 200).catch(() => transport.write(Uint8Array.of(0)).catch((error: unknown) => error));
      await until(() => closes.length > 0, 3000);
      expect(closes).toEqual([{ disconnected: true }]);
      await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'not-open' });
    });
  });
}
