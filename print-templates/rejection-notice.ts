import { z } from 'zod';
import type { DocumentBlock } from './blocks.js';
import { NoticeContact } from './acceptance-notice.js';
import { TAIAN_APPROVAL_BUREAU } from './certificate.js';
import { renderBlocksToPdf } from './pdf.js';
import { IsoDateTime, MaskedIdNumber, formatChineseDate, noFullIdNumber } from './privacy.js';

/**
 * 不予受理通知书: the application is not accepted, with the reasons, the legal basis, and the citizen's
 * remedies (行政复议 within 60 days, 行政诉讼 within 6 months), as 行政许可法 第三十二条 requires.
 */
export const RejectionNoticeData = z
  .object({
    issuer: z.string().min(1).default(TAIAN_APPROVAL_BUREAU),
    documentNumber: z.string().min(1),
    applicantName: z.string().min(1),
    applicantIdMasked: MaskedIdNumber,
    serviceName: z.string().min(1),
    /** Case number, or the local number while offline. */
    caseReference: z.string().min(1),
    submittedAt: IsoDateTime,
    decidedAt: IsoDateTime,
    reasons: z.array(z.string().min(1)).min(1),
    legalBasis: z.string().min(1),
    /** Where to apply for review and to sue, e.g. 泰安市人民政府 / 泰安市泰山区人民法院. */
    reviewAuthority: z.string().min(1),
    court: z.string().min(1),
    contact: NoticeContact,
  })
  .superRefine(noFullIdNumber((data) => [data.caseReference]));
export type RejectionNoticeData = z.input<typeof RejectionNoticeData>;

export function rejectionNoticeLayout(data: z.output<typeof RejectionNoticeData>): DocumentBlock[] {
  return [
    { kind: 'title', text: '不予受理通知书' },
    { kind: 'reference', text: data.documentNumber },
    { kind: 'paragraph', text: `${data.applicantName}：` },
    {
      kind: 'paragraph',
      indent: true,
      text: `你于${formatChineseDate(data.submittedAt)}提出的“${data.serviceName}”申请（办件编号：${data.caseReference}），经审查，存在下列情形，根据${data.legalBasis}的规定，决定不予受理：`,
    },
    { kind: 'list', items: data.reasons },
    {
      kind: 'paragraph',
      indent: true,
      text: `如需继续办理，请按上述原因准备后重新申请，或到服务大厅窗口咨询（${data.contact.hallAddress}，电话${data.contact.phone}）。`,
    },
    {
      kind: 'paragraph',
      indent: true,
      text: `如不服本决定，可以自收到本通知书之日起六十日内向${data.reviewAuthority}申请行政复议，或者自收到本通知书之日起六个月内向${data.court}提起行政诉讼。`,
    },
    { kind: 'rows', rows: [{ label: '证件号码', value: data.applicantIdMasked }] },
    { kind: 'issuer', lines: [data.issuer], date: formatChineseDate(data.decidedAt) },
  ];
}

/** The rejection notice on A4. Throws only on data the schema rejects. */
export async function renderRejectionNoticePdf(data: RejectionNoticeData): Promise<Buffer> {
  const valid = RejectionNoticeData.parse(data);
  return renderBlocksToPdf(rejectionNoticeLayout(valid), 'a4', { title: '不予受理通知书', author: valid.issuer, createdAt: new Date(valid.decidedAt) });
}
