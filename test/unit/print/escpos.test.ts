import { describe, expect, it } from 'vitest';
import { EscPosDecoder, decodeStatus, encodeStatus, isStatusByte } from '../../../drivers/protocols/escpos.js';
import { statusFromBits } from '../../../drivers/devices/receipt-printer.js';
import { wrapText } from '../../../print-templates/blocks.js';
import { columnsOf, encodeText, escpos, renderBlocksToEscPos } from '../../../print-templates/escpos.js';
import { ReceiptData, renderReceiptEscPos } from '../../../print-templates/receipt.js';
import { sampleReceipt } from './sample-data.js';

const hex = (bytes: Iterable<number>): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');

describe('ESC/POS encoder (print-templates/escpos)', () => {
  it('enters and leaves Chinese mode with FS & and FS .', () => {
    expect(hex(escpos.chineseOn())).toBe('1c 26');
    expect(hex(escpos.chineseOff())).toBe('1c 2e');
  });

  it('encodes Chinese text as GB18030 (GBK two-byte range)', () => {
    expect(hex(encodeText('受理回执'))).toBe('ca dc c0 ed bb d8 d6 b4');
  });

  it('prints the yuan sign as fullwidth ￥ (A3 A4), not the four-byte GB18030 ¥', () => {
    expect(hex(encodeText('¥5'))).toBe('a3 a4 35');
    expect(hex(encodeText('￥'))).toBe('a3 a4');
  });

  it('turns control characters in data into spaces so text cannot inject commands', () => {
    expect(hex(encodeText('a\u001dV\u0000b'))).toBe('61 20 56 20 62');
  });

  it('writes the five GS ( k functions for a model 2 QR code', () => {
    expect(hex(escpos.qr('AB', 6, 'M'))).toBe(
      [
        '1d 28 6b 04 00 31 41 32 00',
        '1d 28 6b 03 00 31 43 06',
        '1d 28 6b 03 00 31 45 31',
        '1d 28 6b 05 00 31 50 30 41 42',
        '1d 28 6b 03 00 31 51 30',
      ].join(' '),
    );
  });

  it('cuts with GS V 66 0 (feed to cutter, partial cut)', () => {
    expect(hex(escpos.cut())).toBe('1d 56 42 00');
  });

  it('starts a job with ESC @ and FS & and ends it with a feed, a cut and FS .', () => {
    const job = renderBlocksToEscPos([{ kind: 'rule' }]);
    expect(hex(job.subarray(0, 4))).toBe('1b 40 1c 26');
    expect(hex(job.subarray(-9))).toBe('1b 64 02 1d 56 42 00 1c 2e');
  });

  it('counts Chinese characters as two columns and wraps receipt lines at 48', () => {
    expect(columnsOf('受理A')).toBe(5);
    const lines = wrapText('一'.repeat(30), 48, columnsOf);
    expect(lines.map(columnsOf)).toEqual([48, 12]);
  });

  it('keeps closing punctuation off the start of a line', () => {
    const lines = wrapText('一二三四，五', 8, columnsOf);
    expect(lines[0]).toBe('一二三四，');
    expect(lines[1]).toBe('五');
  });
});

describe('ESC/POS decoder (drivers/protocols/escpos)', () => {
  it('decodes the encoder output of a whole receipt without unknown bytes, however it is split', () => {
    const job = renderReceiptEscPos(sampleReceipt);
    const decoder = new EscPosDecoder();
    const commands = [];
    for (let offset = 0; offset < job.length; offset += 7) commands.push(...decoder.push(job.subarray(offset, offset + 7)));
    expect(commands.filter((command) => command.kind === 'unknown')).toEqual([]);
    expect(commands.map((command) => command.kind)).toContain('qr-print');
    expect(commands.at(-2)).toEqual({ kind: 'cut', partial: true });
  });

  it('skips garbage one byte at a time and resynchronises', () => {
    const commands = new EscPosDecoder().push(Uint8Array.of(0x00, 0xff, 0x10, 0x04, 0x04));
    expect(commands.map((command) => command.kind)).toEqual(['unknown', 'text', 'status-request']);
  });

  it('decodes DLE EOT answers per bit (cover open, paper end, near end, cutter)', () => {
    expect(decodeStatus([0x1a, 0x16, 0x12, 0x12])).toMatchObject({ offline: true, coverOpen: true, paperEnd: false });
    expect(decodeStatus([0x1a, 0x32, 0x12, 0x72])).toMatchObject({ stoppedByPaperEnd: true, paperEnd: true });
    expect(decodeStatus([0x12, 0x12, 0x12, 0x1e])).toMatchObject({ paperNearEnd: true, paperEnd: false, offline: false });
    expect(decodeStatus([0x1a, 0x52, 0x1a, 0x12])).toMatchObject({ cutterError: true, errorOccurred: true });
  });

  it('maps status bits to the common vocabulary with detail codes', () => {
    const clear = decodeStatus([0x12, 0x12, 0x12, 0x12]);
    expect(statusFromBits(clear)).toEqual({ state: 'online', paper: 'full' });
    expect(statusFromBits({ ...clear, paperNearEnd: true })).toEqual({ state: 'online', paper: 'low', detail: 'paper-near-end' });
    expect(statusFromBits({ ...clear, offline: true, paperEnd: true })).toEqual({ state: 'userError', paper: 'out', detail: 'paper-out' });
    expect(statusFromBits({ ...clear, offline: true, coverOpen: true })).toEqual({ state: 'userError', paper: 'full', detail: 'cover-open' });
    expect(statusFromBits({ ...clear, cutterError: true })).toMatchObject({ state: 'hardwareError', detail: 'cutter-error' });
  });

  it('round-trips status bits and recognises a status byte by its fixed bits', () => {
    const bits = decodeStatus([0x1a, 0x36, 0x1a, 0x7e]);
    expect(encodeStatus(bits)).toEqual([0x1a, 0x36, 0x1a, 0x7e]);
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x0c)).toBe(false);
    expect(isStatusByte(0x00)).toBe(false);
  });
});

describe('ReceiptData', () => {
  it('accepts the sample receipt', () => {
    expect(ReceiptData.safeParse(sampleReceipt).success).toBe(true);
  });

  it('rejects an unmasked 18-digit ID number, in the ID field or anywhere else', () => {
    expect(ReceiptData.safeParse({ ...sampleReceipt, applicantIdMasked: '11010519491231002X' }).success).toBe(false);
    expect(ReceiptData.safeParse({ ...sampleReceipt, statusLine: '申请人 11010519491231002X 已受理' }).success).toBe(false);
    expect(ReceiptData.safeParse({ ...sampleReceipt, progressQr: 'https://x/q?id=11010519491231002X' }).success).toBe(false);
  });

  it('rejects an unmasked name', () => {
    expect(ReceiptData.safeParse({ ...sampleReceipt, applicantName: '张三' }).success).toBe(false);
  });

  it('does not mistake a case number for an ID number', () => {
    expect(ReceiptData.safeParse({ ...sampleReceipt, caseNumber: '11010519491231002X', progressQr: 'https://x/q/11010519491231002X' }).success).toBe(true);
  });
});

describe('ESC/POS decoder and simulator: raster lines', () => {
  it('decodes GS v 0 as one raster command however it is split, and the simulator shows it as an image line', async () => {
    const { renderBlocksToEscPos: render } = await import('../../../print-templates/escpos.js');
    const job = render([{ kind: 'note', text: '王𠮷' }, { kind: 'note', text: '之后' }]);
    const decoder = new EscPosDecoder();
    const commands = [];
    for (let offset = 0; offset < job.length; offset += 5) commands.push(...decoder.push(job.subarray(offset, offset + 5)));
    expect(commands.filter((command) => command.kind === 'unknown')).toEqual([]);
    const raster = commands.find((command) => command.kind === 'raster');
    expect(raster).toMatchObject({ kind: 'raster', mode: 0, widthBytes: 72, height: 24 });
    expect(commands.filter((command) => command.kind === 'text').map((command) => (command.kind === 'text' ? iconvDecode(command.bytes) : ''))).toEqual(['之后']);
  });
});

function iconvDecode(bytes: Uint8Array): string {
  return new TextDecoder('gb18030').decode(bytes);
}
