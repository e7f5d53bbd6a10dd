import { afterEach, describe, expect, it } from 'vitest';
import { SamFrameDecoder, encodeCommand, encodeRequest, encodeSetBaudRate, encodeSetMaxRfBytes, fromHex, parseResponse, toHex } from '../../../drivers/protocols/sam-frame.js';
import { IdCardSimulator, INSTANT_PROCESSING } from '../../../drivers/simulators/id-card-simulator.js';
import { MemoryLink } from '../../../drivers/transports/memory-transport.js';

/**
 * The simulator as a third-party reader client sees it: raw request frames in, response frames out, in
 * the order public clients send them (status, set max RF bytes, then find / select / find / read on timers).
 */
async function client(options: ConstructorParameters<typeof IdCardSimulator>[0] = {}) {
  const simulator = new IdCardSimulator({ baudRate: null, processingMs: INSTANT_PROCESSING, ...options });
  const link = new MemoryLink('third-party', 115200);
  await link.a.open();
  await link.b.open();
  simulator.attach(link.b);
  const decoder = new SamFrameDecoder();
  const waiting: Array<(sw3: { sw3: number; data: Uint8Array; frame: Uint8Array }) => void> = [];
  link.a.on('data', (bytes) => {
    for (const output of decoder.push(bytes)) {
      if (output.kind !== 'frame') continue;
      const response = parseResponse(output.body);
      if (response) waiting.shift()?.({ sw3: response.sw3, data: response.data, frame: output.frame });
    }
  });
  const send = (frame: Uint8Array) =>
    new Promise<{ sw3: number; data: Uint8Array; frame: Uint8Array }>((resolve) => {
      waiting.push(resolve);
      void link.a.write(frame);
    });
  return { simulator, send, close: () => simulator.release() };
}

describe('IdCardSimulator', () => {
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  it('accepts "set max RF bytes" AA AA AA 96 69 00 04 61 FF 50 CA (regression: answered 0x21)', async () => {
    const rig = await client();
    close = rig.close;
    expect(toHex(encodeSetMaxRfBytes(0x50))).toBe('AA AA AA 96 69 00 04 61 FF 50 CA');
    const answer = await rig.send(fromHex('AA AA AA 96 69 00 04 61 FF 50 CA'));
    expect(toHex(answer.frame)).toBe('AA AA AA 96 69 00 04 00 00 90 94');
    expect(rig.simulator.maxRfBytes).toBe(0x50);
  });

  it('accepts "set baud" 60 04 and answers every later command at 9600 baud (regression: answered 0x21)', async () => {
    const rig = await client({ baudRate: 115200 });
    close = rig.close;
    expect(toHex(encodeSetBaudRate(9600))).toBe('AA AA AA 96 69 00 03 60 04 67');
    // The public client's 38400 frame (60 02, checksum 61) is the same encoding.
    expect(toHex(encodeSetBaudRate(38400))).toBe('AA AA AA 96 69 00 03 60 02 61');
    expect((await rig.send(encodeSetBaudRate(9600))).sw3).toBe(0x90);
    expect(rig.simulator.currentBaudRate).toBe(9600);
    // Later answers go at the new speed and arrive whole.
    const samId = await rig.send(encodeCommand('readSamId'));
    expect(samId.sw3).toBe(0x90);
    expect(samId.data).toHaveLength(16);
  });

  it('refuses set-up parameters no reader accepts with 0x21', async () => {
    const rig = await client();
    close = rig.close;
    expect((await rig.send(encodeRequest(0x60, 0x09))).sw3).toBe(0x21);
    expect((await rig.send(encodeRequest(0x61, 0x00, Uint8Array.of(0x50)))).sw3).toBe(0x21);
    expect((await rig.send(encodeRequest(0x61, 0xff))).sw3).toBe(0x21);
    expect((await rig.send(encodeRequest(0x7e, 0x01))).sw3).toBe(0x21);
  });

  it('keeps a selected card selected through a find, so the read after it succeeds (regression: the find demoted it, the read answered 0x41)', async () => {
    const rig = await client();
    close = rig.close;
    rig.simulator.placeCard('resident-zhang');
    expect((await rig.send(encodeCommand('samStatus'))).sw3).toBe(0x90);
    expect((await rig.send(encodeSetMaxRfBytes(0x50))).sw3).toBe(0x90);
    expect((await rig.send(encodeCommand('findCard'))).sw3).toBe(0x9f);
    expect((await rig.send(encodeCommand('selectCard'))).sw3).toBe(0x90);
    expect((await rig.send(encodeCommand('findCard'))).sw3).toBe(0x9f);
    const read = await rig.send(encodeCommand('readTextPhoto'));
    expect(read.sw3).toBe(0x90);
    expect(read.frame.length).toBe(1295);
    // After the read the card is halted: finds fail until it leaves, as on a real reader.
    expect((await rig.send(encodeCommand('findCard'))).sw3).toBe(0x80);
  });

  it('answers after the reader\'s own processing time per command, in order, and the time is settable', async () => {
    const rig = await client({ processingMs: { findCard: 400 } });
    close = rig.close;
    rig.simulator.placeCard('resident-li');
    const pending = Symbol('pending');
    const soon = <T>(promise: Promise<T>) => Promise.race([promise, new Promise<typeof pending>((resolve) => setTimeout(() => resolve(pending), 50))]);
    // A 400 ms find is not answered 50 ms later; a status sent behind it waits its turn.
    const find = rig.send(encodeCommand('findCard'));
    const status = rig.send(encodeCommand('samStatus'));
    expect(await soon(find)).toBe(pending);
    expect((await find).sw3).toBe(0x9f);
    expect((await status).sw3).toBe(0x90);
    rig.simulator.setProcessing('findCard', 0);
    expect((await rig.send(encodeCommand('findCard'))).sw3).toBe(0x9f);
  });
});
