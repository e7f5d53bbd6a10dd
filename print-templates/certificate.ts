import { z } from 'zod';
import type { DocumentBlock } from './blocks.js';
import { renderBlocksToPdf } from './pdf.js';
import { IsoDateTime, MaskedIdNumber, formatChineseDate, noFullIdNumber } from './privacy.js';

/** The issuing authority for most 秒批 items in Taian (市级相对集中行政许可权改革). */
export const TAIAN_APPROVAL_BUREAU = '泰安市行政审批服务局';

/**
 * 秒批 result on A4: a 证明 or 准予决定 issued by the approval system the moment the rules pass.
 * The holder's name is printed in full (the document is theirs and names them); the ID number is masked,
 * and the verification QR leads to the full record on the government site.
 */
export const CertificateData = z
  .object({
    /** e.g. 准予行政许可决定书, 户籍证明, 参保缴费证明. */
    title: z.string().min(1),
    /** 文号, e.g. 泰审批秒批字〔2025〕第0312号. */
    documentNumber: z.string().min(1),
    issuer: z.string().min(1).default(TAIAN_APPROVAL_BUREAU),
    holderName: z.string().min(1),
    holderIdMasked: MaskedIdNumber,
    caseNumber: z.string().min(1),
    serviceName: z.string().min(1),
    /** The decision text, one paragraph per entry. */
    paragraphs: z.array(z.string().min(1)).min(1),
    /** Particulars (许可事项, 有效期限 …). */
    particulars: z.array(z.object({ label: z.string().min(1), value: z.string().min(1) })),
    issuedAt: IsoDateTime,
    verificationUrl: z.string().min(1),
    verificationCode: z.string().min(4),
  })
  .superRefine(noFullIdNumber((data) => [data.caseNumber]));
export type CertificateData = z.input<typeof CertificateData>;

export function certificateLayout(data: z.output<typeof CertificateData>): DocumentBlock[] {
  return [
    { kind: 'title', text: data.title },
    { kind: 'reference', text: data.documentNumber },
    { kind: 'paragraph', text: `${data.holderName}：` },
    ...data.paragraphs.map((text): DocumentBlock => ({ kind: 'paragraph', text, indent: true })),
    { kind: 'spacer', lines: 0.5 },
    {
      kind: 'rows',
      rows: [
        { label: '持有人', value: data.holderName },
        { label: '证件号码', value: data.holderIdMasked },
        { label: '办理事项', value: data.serviceName },
        { label: '办件编号', value: data.caseNumber },
        ...data.particulars,
      ],
    },
    { kind: 'issuer', lines: [data.issuer], date: formatChineseDate(data.issuedAt) },
    {
      kind: 'verification',
      text: data.verificationUrl,
      lines: [
        '本文书由审批系统依申请自动生成（秒批），与窗口出具的纸质文书具有同等效力。',
        `核验码：${data.verificationCode}`,
        '扫描左侧二维码或登录山东政务服务网核验真伪。',
      ],
    },
  ];
}

/** The certificate on A4. Throws only on data the schema rejects. */
export async function renderCertificatePdf(data: CertificateData): Promise<Buffer> {
  const valid = CertificateData.parse(data);
  return renderBlocksToPdf(certificateLayout(valid), 'a4', { title: valid.title, author: valid.issuer, createdAt: new Date(valid.issuedAt) });
}
