import { z } from 'zod';
import type { ReceiptBlock } from './blocks.js';
import { renderBlocksToEscPos, type EscPosOptions } from './escpos.js';
import { renderBlocksToPdf } from './pdf.js';
import { IsoDateTime, formatDateTime } from './privacy.js';

/**
 * 打印测试页: what a technician prints after loading paper or moving a printer. It exercises what goes
 * wrong in the field (DOMAIN.md §3): Chinese in GB18030 (common and rarer characters), the yuan sign,
 * characters outside GBK (printed as an image), full-width punctuation, a line of the full 48 columns, a QR
 * code and the cut. No personal data.
 */
export const TestPageData = z.object({
  hallName: z.string().min(1),
  terminalId: z.string().min(1),
  printerId: z.string().min(1),
  /** How the printer is reached, e.g. `/dev/ttyUSB1@9600`. */
  port: z.string().min(1),
  printedAt: IsoDateTime,
  /** The technician's 工号 (not personal data: it is on their badge). */
  technician: z.string().min(1),
});
export type TestPageData = z.infer<typeof TestPageData>;

export function testPageLayout(data: TestPageData): ReceiptBlock[] {
  return [
    { kind: 'title', text: '打印测试页', subtitle: data.hallName },
    {
      kind: 'rows',
      rows: [
        { label: '终端编号', value: data.terminalId },
        { label: '打印机', value: data.printerId },
        { label: '连接', value: data.port },
        { label: '时间', value: formatDateTime(data.printedAt) },
        { label: '运维工号', value: data.technician },
      ],
    },
    { kind: 'rule' },
    { kind: 'heading', text: '中文字符' },
    { kind: 'note', text: '泰安市政务服务中心 岱岳区 泰山区 肥城市 新泰市 宁阳县 东平县' },
    { kind: 'note', text: '生僻字：堃 喆 犇 淼 昇 珺 彧 曌' },
    // Outside GBK (four bytes in GB18030): printed as a raster image from the document fonts.
    { kind: 'note', text: '字库外：王𠮷 𠀾（整行以图像打印）' },
    { kind: 'note', text: '符号：￥12.50 ¥8.00 （全角括号）【方括号】《书名号》——“引号”' },
    { kind: 'note', text: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl' },
    { kind: 'rule' },
    { kind: 'qr', text: `TEST-PAGE ${data.terminalId} ${data.printedAt}`, caption: '二维码应能被扫码枪读出' },
    { kind: 'note', text: '以上内容完整、清晰、无乱码，且纸张被切断，即为正常。', emphasis: true },
  ];
}

export function renderTestPageEscPos(data: TestPageData, options: EscPosOptions = {}): Buffer {
  return renderBlocksToEscPos(testPageLayout(TestPageData.parse(data)), options);
}

/** The same page on A4, through the document printer's spooler. */
export async function renderTestPagePdf(data: TestPageData): Promise<Buffer> {
  const valid = TestPageData.parse(data);
  return renderBlocksToPdf(testPageLayout(valid), 'a4', { title: '打印测试页', author: valid.hallName, createdAt: new Date(valid.printedAt) });
}
