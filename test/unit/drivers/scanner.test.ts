import { afterEach, describe, expect, it } from 'vitest';
import { KeyboardReportUnpacker } from '../../../drivers/protocols/hid-keyboard.js';
import { ScannerLineDecoder } from '../../../drivers/protocols/scanner-lines.js';
import { createDemoIdCardReader, createDemoScanner } from '../../../drivers/simulators/demo.js';
import type { CardRead } from '../../../drivers/devices/types.js';

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ScannerLineDecoder', () => {
  it('splits on CR, LF and CR LF without empty lines', () => {
    const decoder = new ScannerLineDecoder();
    const encoder = new TextEncoder();
    expect(decoder.push(encoder.encode('ABC\r\nDEF\rGH'))).toEqual(['ABC', 'DEF']);
    expect(decoder.push(encoder.encode('I\n'))).toEqual(['GHI']);
  });

  it('decodes UTF-8 split across chunks and GB18030 when configured', () => {
    const utf8 = new TextEncoder().encode('电子身份码:123\r');
    const decoder = new ScannerLineDecoder();
    expect([...decoder.push(utf8.subarray(0, 4)), ...decoder.push(utf8.subarray(4))]).toEqual(['电子身份码:123']);
    const gb = new ScannerLineDecoder({ encoding: 'gb18030' });
    // 泰安 in GB18030 is CC A9 B0 B2.
    expect(gb.push(Uint8Array.of(0xcc, 0xa9, 0xb0, 0xb2, 0x0d))).toEqual(['泰安']);
  });

  it('drops an over-long line instead of passing a truncated code on', () => {
    const decoder = new ScannerLineDecoder({ maxLength: 8 });
    expect(decoder.push(new TextEncoder().encode('0123456789\rOK\r'))).toEqual(['OK']);
  });
});

describe('KeyboardReportUnpacker', () => {
  it('types a keyboard-wedge scan, with shift, repeated letters and Enter', () => {
    const unpacker = new KeyboardReportUnpacker();
    const press = (modifier: number, usage: number) => Uint8Array.of(modifier, 0, usage, 0, 0, 0, 0, 0);
    const release = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0);
    // "Hi11" + Enter: H (shift+0x0B), i (0x0C), 1, 1 (0x1E twice with a release between), Enter (0x28).
    const reports = [press(0x02, 0x0b), release, press(0, 0x0c), release, press(0, 0x1e), release, press(0, 0x1e), release, press(0, 0x28), release];
    const text = reports.flatMap((report) => unpacker.push(report)).map((bytes) => new TextDecoder().decode(bytes)).join('');
    expect(text).toBe('Hi11\r');
  });
});

describe('createDemoScanner', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('delivers a scan once and drops the same code repeated within the window', async () => {
    const demo = createDemoScanner({ baudRate: null, reader: { repeatWindowMs: 300 } });
    stop = () => demo.scanner.stop();
    const scans: string[] = [];
    demo.scanner.on('scan', ({ text }) => scans.push(text));
    await demo.scanner.start();
    expect(demo.scanner.status()).toMatchObject({ state: 'online', kind: 'qr-scanner', simulated: true });
    demo.scan('https://zwfw.sd.gov.cn/qr/abc');
    demo.scan('https://zwfw.sd.gov.cn/qr/abc');
    demo.scan('OTHER');
    await until(() => scans.length === 2);
    expect(scans).toEqual(['https://zwfw.sd.gov.cn/qr/abc', 'OTHER']);
  });

  it('paces the scan at the simulated baud rate', async () => {
    const demo = createDemoScanner({ baudRate: 9600 });
    stop = () => demo.scanner.stop();
    let arrived = 0;
    demo.scanner.on('scan', () => (arrived = performance.now()));
    await demo.scanner.start();
    const text = 'X'.repeat(95);
    const started = performance.now();
    demo.scan(text);
    await until(() => arrived > 0);
    // 96 bytes × 10 bits at 9600 baud = 100 ms on the wire.
    expect(arrived - started).toBeGreaterThanOrEqual(98);
  });
});

describe('createDemoIdCardReader', () => {
  it('lists the deck, reads a placed card and reports its removal', async () => {
    const demo = createDemoIdCardReader();
    const cards: CardRead[] = [];
    let removed = 0;
    demo.reader.on('card', (card) => cards.push(card));
    demo.reader.on('card-removed', () => removed++);
    try {
      await demo.reader.start();
      expect(demo.listCards().map((card) => card.id)).toContain('resident-zhang');
      expect(demo.placeCard('no-such-card')).toBe(false);
      expect(demo.placeCard('resident-zhang')).toBe(true);
      await until(() => cards.length === 1);
      expect(demo.reader.status()).toMatchObject({ simulated: true, media: 'present' });
      expect(demo.removeCard()).toBe(true);
      await until(() => removed === 1);
    } finally {
      await demo.reader.stop();
    }
  });
});
