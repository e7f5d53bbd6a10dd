import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceiptBlock } from '../../../print-templates/blocks.js';
import { ESC_POS_PAPER, columnsOf, escPosLayout, renderBlocksToEscPos, type PaperWidth } from '../../../print-templates/escpos.js';
import { onMissingGlyph, type MissingGlyphReport } from '../../../print-templates/fonts.js';
import { receiptLayout, type ReceiptData } from '../../../print-templates/receipt.js';
import { renderTestPageEscPos, testPageLayout } from '../../../print-templates/test-page.js';
import { inkedCells, printOnHead, type HeadLine } from './escpos-head.js';
import { sampleOfflineReceipt, sampleReceipt } from './sample-data.js';

/**
 * What the printer prints equals what the receipt meant to print: the job's bytes are laid out by an
 * independent head model (escpos-head.ts: GB18030 through ICU, cells of 12 and 24 dots, auto wrap at the
 * head's last dot) and compared line by line with escPosLayout, at 80 mm (576 dots) and 58 mm (384 dots).
 */
const PAPERS = Object.keys(ESC_POS_PAPER) as PaperWidth[];
const CLOSING = Array.from('，。、；：？！）》」』”’】〕');

/** The intended lines as a head prints them: text, a QR (and the line feed after it), feeds as empty lines. */
function intended(blocks: readonly ReceiptBlock[], paper: PaperWidth): string[] {
  return escPosLayout(blocks, { paper }).flatMap((line) => {
    if (line.kind === 'text') return [line.text];
    if (line.kind === 'qr') return [`[QR ${line.text}]`, ''];
    return Array.from({ length: line.lines }, () => '');
  });
}

/** The head's lines as text: a QR as `[QR data]`, an image as `[raster]`. */
function linesOf(head: ReturnType<typeof printOnHead>): string[] {
  return head.lines.map((line: HeadLine) => (line.kind === 'text' ? line.text : line.kind === 'qr' ? `[QR ${line.data}]` : '[raster]'));
}

function printed(blocks: readonly ReceiptBlock[], paper: PaperWidth) {
  const job = renderBlocksToEscPos(blocks, { paper });
  const head = printOnHead(job, ESC_POS_PAPER[paper].dots);
  const lines = linesOf(head);
  // The job ends with a two-line feed before the cut.
  expect(lines.slice(-2)).toEqual(['', '']);
  return { head, lines: lines.slice(0, -2) };
}

function expectPrintedAsIntended(blocks: readonly ReceiptBlock[], paper: PaperWidth): string[] {
  const { head, lines } = printed(blocks, paper);
  expect(head.errors).toEqual([]);
  expect(head.cuts).toBe(1);
  // A line with a character of four GB18030 bytes goes as an image; ¥ is printed as ￥ (A3 A4), so it does not count.
  const asImage = (line: string): boolean => Array.from(line.replace(/¥/g, '￥')).some((char) => iconv.encode(char, 'gb18030').length > 2);
  expect(lines).toEqual(intended(blocks, paper).map((line) => (asImage(line) ? '[raster]' : line.replace(/¥/g, '￥'))));
  for (const line of head.lines) if (line.kind === 'text') expect(line.dots).toBeLessThanOrEqual(ESC_POS_PAPER[paper].dots);
  // 避头: no printed line starts with a closing mark.
  for (const line of lines) expect(CLOSING).not.toContain(Array.from(line)[0]);
  return lines;
}

const receipt = (data: ReceiptData): ReceiptBlock[] => receiptLayout(data);

describe('ESC/POS layout against an independent head model', () => {
  it.each(PAPERS)('prints the sample receipt as intended at %s', (paper) => {
    expectPrintedAsIntended(receipt(sampleReceipt), paper);
    expectPrintedAsIntended(receipt(sampleOfflineReceipt), paper);
  });

  it('prints 办理事项 of the sample receipt on 2 lines at 80 mm (regression: “ ” counted as one column made it 3 at the printer)', () => {
    const lines = expectPrintedAsIntended(receipt(sampleReceipt), '80mm');
    const start = lines.findIndex((line) => line.startsWith('办理事项：'));
    expect(lines.slice(start, start + 3)).toEqual(['办理事项：  新生儿出生“一件事”（出生医学证明、', '            户口登记、医保参保、社保卡申领）', '申请人：    张*']);
  });

  it('counts “ ” — · × as two columns and ASCII as one, as a GB18030 head prints them', () => {
    expect(columnsOf('“”—·×')).toBe(10);
    expect(columnsOf('A1 -')).toBe(4);
    expect(columnsOf('受理')).toBe(4);
    // The head model agrees: 24 dots each.
    const head = printOnHead(Uint8Array.from([0x1c, 0x26, ...iconv.encode('“”—·×A', 'gb18030'), 0x0a]), 576);
    expect(head.lines).toMatchObject([{ kind: 'text', text: '“”—·×A', dots: 5 * 24 + 12 }]);
  });

  it.each(PAPERS)('prints long names, addresses and service names as intended at %s', (paper) => {
    const long: ReceiptData = {
      ...sampleReceipt,
      hallName: '泰安市政务服务中心（岱岳区粥店街道便民服务中心·“一窗受理”综合窗口，第3号自助服务区）',
      serviceName: '企业开办“一件事”：设立登记、公章刻制（含电子印章）、申领发票和税控设备、员工参保登记、住房公积金企业缴存登记、银行预约开户——全程网办',
      applicantName: '欧阳*',
      materials: [
        { name: '股东会决议（全体股东签字，自然人股东亲笔签名、法人股东加盖公章）', supply: 'paper-later' },
        { name: 'Articles of Association（英文版，附中文译本）', supply: 'commitment' },
        { name: '住所（经营场所）使用证明：泰安市泰山区东岳大街与青年路交叉口东北角泰山国际金融中心A座1708室', supply: 'shared-data' },
      ],
      statusLine: '已受理，审批结果将以短信通知，预计3个工作日内办结；如需补正材料，工作人员将电话联系您（0538-12345），请保持电话畅通。',
    };
    expectPrintedAsIntended(receipt(long), paper);
  });

  it.each(PAPERS)('keeps full-width punctuation off the start of every line and inside the head at every boundary, at %s', (paper) => {
    const { columns } = ESC_POS_PAPER[paper];
    for (const mark of ['，', '。', '”', '》', '）', '、', '：']) {
      for (let lead = 1; lead <= columns / 2 + 1; lead++) {
        // An ASCII character shifts the text by one column, so the mark lands on each column in turn.
        for (const prefix of ['', 'A']) {
          const text = `${prefix}${'政'.repeat(lead)}${mark}务服务“一件事”——全程网办·自助×`;
          expectPrintedAsIntended([{ kind: 'note', text }], paper);
          expectPrintedAsIntended([{ kind: 'rows', rows: [{ label: '办理事项', value: text }] }], paper);
        }
      }
    }
  });

  it('lays out a line that fills the head exactly with no blank line after it', () => {
    const { lines } = printed([{ kind: 'note', text: '一'.repeat(24) }], '80mm');
    expect(lines).toEqual(['一'.repeat(24)]);
    expect(printed([{ kind: 'note', text: '一'.repeat(16) }], '58mm').lines).toEqual(['一'.repeat(16)]);
  });

  it('models the head: a line longer than the head wraps at its last dot (what the old layout ran into)', () => {
    const overlong = iconv.encode('办理事项：  新生儿出生“一件事”（出生医学证明、户', 'gb18030');
    const head = printOnHead(Uint8Array.from([0x1c, 0x26, ...overlong, 0x0a]), 576);
    expect(head.lines.map((line) => (line.kind === 'text' ? line.text : ''))).toEqual(['办理事项：  新生儿出生“一件事”（出生医学证明、', '户']);
  });
});

describe('ESC/POS characters outside GBK', () => {
  const reports: MissingGlyphReport[] = [];
  const unsubscribe = onMissingGlyph((report) => reports.push(report));
  afterEach(() => {
    reports.length = 0;
  });

  it.each(PAPERS)('prints a line with 𠮷 as a raster image in its own columns, never as a four-byte sequence, at %s', (paper) => {
    const blocks: ReceiptBlock[] = [{ kind: 'rows', rows: [{ label: '申请人', value: '王𠮷A' }] }, { kind: 'note', text: '之后的文字照常打印' }];
    const job = renderBlocksToEscPos(blocks, { paper });
    // No four-byte GB18030 sequence (81–FE, 30–39, …) anywhere in the job.
    expect(job.includes(iconv.encode('𠮷', 'gb18030'))).toBe(false);
    const head = printOnHead(job, ESC_POS_PAPER[paper].dots);
    expect(head.errors).toEqual([]);
    const raster = head.lines[0];
    if (raster?.kind !== 'raster') throw new Error('expected a raster line');
    expect(raster.widthDots).toBe(ESC_POS_PAPER[paper].dots);
    expect(raster.heightDots).toBe(24);
    // Label 申请人：(8 columns) padded to 12, then 王 (2), 𠮷 (2), A (1): ink in exactly those cells.
    const cells = inkedCells(raster, 12);
    const inked = cells.flatMap((on, index) => (on ? [index] : []));
    for (const column of [0, 2, 4, 6, 12, 14, 16]) expect(inked).toContain(column);
    expect(cells.slice(8, 12).some(Boolean)).toBe(false);
    expect(inked.every((column) => column < 17)).toBe(true);
    expect(head.lines[1]).toMatchObject({ kind: 'text', text: '之后的文字照常打印' });
    expect(reports).toEqual([]);
  });

  it('draws a character no font has as a box in its cells and reports it without the character', () => {
    const head = printOnHead(renderBlocksToEscPos([{ kind: 'note', text: '甲\u{30000}乙' }]), 576);
    const raster = head.lines[0];
    if (raster?.kind !== 'raster') throw new Error('expected a raster line');
    expect(inkedCells(raster, 12).slice(0, 6)).toEqual([true, true, true, true, true, true]);
    expect(reports).toEqual([{ block: 'CJK Unified Ideographs Extension G', target: 'escpos' }]);
    expect(JSON.stringify(reports)).not.toContain('\u{30000}');
  });

  it.each(PAPERS)('prints the technician test page with its rare-character line as intended at %s', (paper) => {
    const data = { hallName: '泰安市政务服务中心', terminalId: 'TA-370902-K07', printerId: 'receipt-printer', port: '/dev/ttyUSB1@9600', printedAt: '2025-03-14T09:30:00+08:00', technician: '9001' };
    const head = printOnHead(renderTestPageEscPos(data, { paper }), ESC_POS_PAPER[paper].dots);
    expect(head.errors).toEqual([]);
    expect(head.lines.some((line) => line.kind === 'raster')).toBe(true);
    expectPrintedAsIntended(testPageLayout(data), paper);
  });

  it('unsubscribes', () => {
    unsubscribe();
    renderBlocksToEscPos([{ kind: 'note', text: '\u{30001}' }]);
    expect(reports).toEqual([]);
  });
});

describe('Receipt paper width from configuration', () => {
  it('defaults to 80 mm and takes 58 mm for the receipt printer', async () => {
    const { parseConfig } = await import('../../../host/config.js');
    const base = { mode: 'live', dataDir: '/var/lib/kiosk', terminal: { id: 'TA-0001', hallName: '泰安市政务服务中心', divisionCode: '370902' }, central: { url: 'https://central.example/', keyId: 'TA-0001', secret: 'a-secret-of-sixteen' } };
    expect(parseConfig({ ...base, devices: { receiptPrinter: { kind: 'serial', path: '/dev/ttyUSB1' } } }).devices.receiptPrinter).toMatchObject({ paperWidth: '80mm' });
    expect(parseConfig({ ...base, devices: { receiptPrinter: { kind: 'simulated', paperWidth: '58mm' } } }).devices.receiptPrinter).toEqual({ kind: 'simulated', paperWidth: '58mm' });
    expect(() => parseConfig({ ...base, devices: { receiptPrinter: { kind: 'serial', path: '/dev/ttyUSB1', paperWidth: '76mm' } } })).toThrow(/paperWidth/);
  });

  it('sends the printing service\'s receipts laid out for a 58 mm head', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { PrintingService } = await import('../../../host/services/printing.js');
    const { createLogger } = await import('../../../host/services/log.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'printing-58-'));
    const sent: Uint8Array[] = [];
    const printer = {
      id: 'receipt-printer',
      status: () => ({ id: 'receipt-printer', kind: 'receipt-printer', state: 'online', updatedAt: new Date().toISOString() }),
      on: () => () => undefined,
      start: async () => undefined,
      stop: async () => undefined,
      checkReady: async () => ({ ready: true }),
      print: async (bytes: Uint8Array, jobId: string) => {
        sent.push(bytes);
        return { outcome: 'printed', jobId, confirmed: true };
      },
    };
    try {
      const printing = new PrintingService({ dataDir, receiptPrinter: printer as never, documentPrinter: null, log: createLogger({ dataDir: null }), receiptPaper: '58mm' });
      expect((await printing.printReceipt(sampleReceipt)).printed).toBe(true);
      const head = printOnHead(sent[0] ?? new Uint8Array(), 384);
      expect(head.errors).toEqual([]);
      expect(linesOf(head).slice(0, -2)).toEqual(intended(receiptLayout(sampleReceipt), '58mm'));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
