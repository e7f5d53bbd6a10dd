import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SamReportUnpacker, packReports } from '../../../drivers/protocols/hid-reports.js';
import { HidTransport, listHidDevices } from '../../../drivers/transports/hid-transport.js';
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
