import { z } from 'zod';
import type { DocumentBlock } from './blocks.js';
import { TAIAN_APPROVAL_BUREAU } from './certificate.js';
import { renderBlocksToPdf } from './pdf.js';
import { IsoDateTime, MaskedIdNumber, formatChineseDate, noFullIdNumber } from './privacy.js';

/** Contact lines at the foot of notices. */
export const NoticeContact = z.object({
  hallAddress: z.string().min(1),
  phone: z.string().min(1),
});

/** 受理通知书: the application is complete and in legal form, and has been accepted (行政许可法 第三十二条). */
export const AcceptanceNoticeData = z
  .object({
    issuer: z.string().min(1).default(TAIAN_APPROVAL_BUREAU),
    documentNumber: z.string().min(1),
    applicantName: z.string().min(1),
    applicantIdMasked: MaskedIdNumber,
    serviceName: z.string().min(1),
    caseNumber: z.string().min(1),
    submittedAt: IsoDateTime,
    acceptedAt: IsoDateTime,
    promisedLimitDays: z.number().int().min(1),
    materials: z.array(z.string().min(1)),
    contact: NoticeContact,
    progressQr: z.string().min(1),
  })
  .superRefine(noFullIdNumber((data) => [data.caseNumber]));
export type AcceptanceNoticeData = z.input<typeof AcceptanceNoticeData>;

export function acceptanceNoticeLayout(data: z.output<typeof AcceptanceNoticeData>): DocumentBlock[] {
  return [
    { kind: 'title', text: '受理通知书' },
    { kind: 'reference', text: data.documentNumber },
    { kind: 'paragraph', text: `${data.applicantName}：` },
    {
      kind: 'paragraph',
      indent: true,
      text: `你于${formatChineseDate(data.submittedAt)}提出的“${data.serviceName}”申请，经审查，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。`,
    },
    {
      kind: 'paragraph',
      indent: true,
      text: `本机关将自受理之日起${data.promisedLimitDays}个工作日内作出决定，办理结果将以短信通知，你也可以扫描下方二维码随时查询办理进度。`,
    },
    { kind: 'heading', text: '已收申请材料' },
    { kind: 'list', items: data.materials },
    {
      kind: 'rows',
      rows: [
        { label: '办件编号', value: data.caseNumber },
        { label: '证件号码', value: data.applicantIdMasked },
        { label: '咨询地址', value: data.contact.hallAddress },
        { label: '咨询电话', value: data.contact.phone },
      ],
    },
    { kind: 'issuer', lines: [data.issuer], date: formatChineseDate(data.acceptedAt) },
    { kind: 'verification', text: data.progressQr, lines: ['扫码查询办理进度', `办件编号：${data.caseNumber}`] },
  ];
}

/** The acceptance notice on A4. Throws only on data the schema rejects. */
export async function renderAcceptanceNoticePdf(data: AcceptanceNoticeData): Promise<Buffer> {
  const valid = AcceptanceNoticeData.parse(data);
  return renderBlocksToPdf(acceptanceNoticeLayout(valid), 'a4', { title: '受理通知书', author: valid.issuer, createdAt: new Date(valid.acceptedAt) });
}
