import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SamReportUnpacker, packReports } from '../../../drivers/protocols/hid-reports.js';
import { idCardReaderTransport } from '../../../drivers/devices/detect.js';
import { SamFrameDecoder, encodeCommand, fromHex } from '../../../drivers/protocols/sam-frame.js';
import { HidTransport, listHidDevices } from '../../../drivers/transports/hid-transport.js';
import { parseConfig } from '../../../host/config.js';
import { ReaderSetting } from '../../../contract/staff.js';
import type { HidHandle } from '../../../drivers/transports/hid-transport.js';
import { MemoryLink } from '../../../drivers/transports/memory-transport.js';
import { hidRecording } from './fixtures.js';
import { describeTransportContract } from './transport-contract.js';

describeTransportContract('memory', async () => {
  const link = new MemoryLink('contract');
  await link.b.open();
  const received: number[] = [];
  link.b.on('data', (bytes) => received.push(...bytes));
  return {
    transport: link.a,
    peerSend: (bytes) => link.b.write(bytes),
    peerReceived: () => Uint8Array.from(received),
    unplug: async () => link.unplug(),
    dispose: () => link.b.close(),
  };
});

/** A node-hid handle that behaves like a 64-byte-report SAM reader: what the transport writes is recorded. */
class FakeHidHandle extends EventEmitter implements HidHandle {
  readonly written: Uint8Array[] = [];
  closed = false;

  write(values: number[] | Buffer): number {
    if (this.closed) throw new Error('device closed');
    this.written.push(Uint8Array.from(values));
    return values.length;
  }

  /** The reader sends a frame: it starts a report and pads the last one with zeros. */
  sendFrame(frame: Uint8Array): void {
    for (let offset = 0; offset < frame.length; offset += 64) {
      const report = Buffer.alloc(64);
      report.set(frame.subarray(offset, offset + 64));
      this.emit('data', report);
    }
  }

  close(): void {
    this.closed = true;
  }
}

describeTransportContract('hid (recorded reports)', async () => {
  const handle = new FakeHidHandle();
  return {
    transport: new HidTransport({ vendorId: 0x0400, productId: 0xc35a, unpacker: new SamReportUnpacker(), openDevice: async () => handle }),
    peerSend: async (bytes) => {
      setImmediate(() => handle.sendFrame(bytes));
    },
    // Each written report is [report ID, 64 bytes]; the stream is the payloads joined.
    peerReceived: () => Uint8Array.from(handle.written.flatMap((report) => Array.from(report.subarray(1)))),
    unplug: async () => {
      handle.emit('error', new Error('could not read from HID device'));
    },
    dispose: async () => undefined,
  };
});

/** A reader with numbered reports: every report, in and out, starts with its report ID (here 2). */
class NumberedHidHandle extends FakeHidHandle {
  constructor(private readonly reportId: number) {
    super();
  }

  override sendFrame(frame: Uint8Array): void {
    for (let offset = 0; offset < frame.length; offset += 64) {
      const report = Buffer.alloc(65);
      report[0] = this.reportId;
      report.set(frame.subarray(offset, offset + 64), 1);
      this.emit('data', report);
    }
  }
}

describe('HidTransport with numbered reports', () => {
  const response = (): Uint8Array => fromHex(readFileSync(fileURLToPath(new URL('../../fixtures/drivers/sam/response-read-resident-zhang.hex', import.meta.url)), 'utf8'));

  async function receiveThrough(transport: HidTransport, handle: FakeHidHandle, frame: Uint8Array): Promise<ReturnType<SamFrameDecoder['push']>> {
    const decoder = new SamFrameDecoder();
    const outputs: ReturnType<SamFrameDecoder['push']> = [];
    transport.on('data', (bytes) => outputs.push(...decoder.push(bytes)));
    await transport.open();
    handle.sendFrame(frame);
    await transport.close();
    return outputs;
  }

  it('strips the report ID of every input report, continuation reports too (regression: bad-checksum on a 1295-byte read)', async () => {
    const handle = new NumberedHidHandle(2);
    const frame = response();
    expect(frame.length).toBe(1295);
    const outputs = await receiveThrough(new HidTransport({ vendorId: 0x0400, productId: 0xc35a, reportId: 2, unpacker: new SamReportUnpacker(), openDevice: async () => handle }), handle, frame);
    expect(outputs.filter((output) => output.kind === 'error')).toEqual([]);
    expect(outputs.filter((output) => output.kind === 'frame').map((output) => (output.kind === 'frame' ? output.frame : null))).toEqual([frame]);
  });

  it('reads such a reader wrongly without its report ID configured: the setting is needed', async () => {
    const handle = new NumberedHidHandle(2);
    const outputs = await receiveThrough(new HidTransport({ vendorId: 0x0400, productId: 0xc35a, unpacker: new SamReportUnpacker(), openDevice: async () => handle }), handle, response());
    expect(outputs.some((output) => output.kind === 'error' && output.code === 'bad-checksum')).toBe(true);
  });

  it('prefixes the report ID to every output report, and drops input reports with another ID', async () => {
    const handle = new NumberedHidHandle(2);
    const transport = new HidTransport({ vendorId: 0x0400, productId: 0xc35a, reportId: 2, unpacker: new SamReportUnpacker(), openDevice: async () => handle });
    const received: number[] = [];
    transport.on('data', (bytes) => received.push(...bytes));
    await transport.open();
    await transport.write(encodeCommand('readSamId'));
    expect(handle.written.map((report) => report[0])).toEqual([2]);
    handle.emit('data', Buffer.from([7, 0xaa, 0xaa, 0xaa, 0x96, 0x69]));
    expect(received).toEqual([]);
    expect(transport.foreignReports).toBe(1);
    await transport.close();
  });

  it('takes the report ID from the reader configuration and from a technician\'s setting', async () => {
    expect(parseConfig({ ...minimalConfig, devices: { idCardReader: { kind: 'hid', vendorId: 0x0400, productId: 0xc35a, reportId: 2 } } }).devices.idCardReader).toEqual({ kind: 'hid', vendorId: 0x0400, productId: 0xc35a, reportId: 2 });
    expect(parseConfig({ ...minimalConfig, devices: { idCardReader: { kind: 'hid', vendorId: 1, productId: 2 } } }).devices.idCardReader).toMatchObject({ reportId: 0 });
    expect(() => parseConfig({ ...minimalConfig, devices: { idCardReader: { kind: 'hid', vendorId: 1, productId: 2, reportId: 256 } } })).toThrow(/reportId/);
    expect(ReaderSetting.parse({ kind: 'hid', vendorId: 1, productId: 2, reportId: 3 })).toEqual({ kind: 'hid', vendorId: 1, productId: 2, reportId: 3 });
    const handle = new NumberedHidHandle(3);
    const transport = await idCardReaderTransport({ mode: 'hid', vendorId: 1, productId: 2, reportId: 3, openDevice: async () => handle })();
    const outputs = await receiveThrough(transport as HidTransport, handle, response());
    expect(outputs.filter((output) => output.kind === 'frame')).toHaveLength(1);
  });
});

const minimalConfig = {
  mode: 'live',
  dataDir: '/var/lib/kiosk',
  terminal: { id: 'TA-0001', hallName: '泰安市政务服务中心', divisionCode: '370902' },
  central: { url: 'https://central.example/', keyId: 'TA-0001', secret: 'a-secret-of-sixteen' },
};

describe('SamReportUnpacker', () => {
  it.each(['find-card', 'read-text-photo', 'idle-reports-between-frames', 'abandoned-frame'])('reassembles the recorded %s reports', (name) => {
    const recording = hidRecording(name);
    const unpacker = new SamReportUnpacker();
    const frames = recording.reports.flatMap((report) => unpacker.push(report));
    expect(frames).toEqual(recording.frames);
  });

  it('counts the frame it abandoned when the reader started over', () => {
    const unpacker = new SamReportUnpacker();
    for (const report of hidRecording('abandoned-frame').reports) unpacker.push(report);
    expect(unpacker.dropped).toBe(1);
  });

  it('reassembles a 1295-byte frame only after 7 + Len bytes, from 21 reports', () => {
    const recording = hidRecording('read-text-photo');
    expect(recording.reports).toHaveLength(21);
    const unpacker = new SamReportUnpacker();
    const outputs = recording.reports.map((report) => unpacker.push(report).length);
    expect(outputs.slice(0, 20).every((count) => count === 0)).toBe(true);
    expect(outputs[20]).toBe(1);
  });
});

describe('packReports', () => {
  it('prefixes the report ID and pads to the report size', () => {
    const reports = packReports(Uint8Array.from({ length: 70 }, (_, index) => index + 1), 64);
    expect(reports).toHaveLength(2);
    expect(reports[0]!.length).toBe(65);
    expect(reports[0]![0]).toBe(0);
    expect(reports[0]![1]).toBe(1);
    expect(Array.from(reports[1]!.subarray(1, 8))).toEqual([65, 66, 67, 68, 69, 70, 0]);
  });
});

describe('node-hid', () => {
  it('loads and enumerates devices (none on this machine is fine)', async () => {
    const devices = await listHidDevices();
    expect(Array.isArray(devices)).toBe(true);
    for (const device of devices) expect(typeof device.vendorId).toBe('number');
  });
});
