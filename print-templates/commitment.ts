import { z } from 'zod';
import { SIGNATURE_MAX_CHARS } from '../contract/domain.js';
import type { DocumentBlock } from './blocks.js';
import { TAIAN_APPROVAL_BUREAU } from './certificate.js';
import { renderBlocksToPdf } from './pdf.js';
import { IsoDateTime, MaskedIdNumber, formatChineseDate, noFullIdNumber } from './privacy.js';

const PNG_DATA_URL = 'data:image/png;base64,';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The on-screen signature: a PNG data URL whose bytes really are a PNG. */
export const SignaturePngDataUrl = z
  .string()
  .startsWith(PNG_DATA_URL)
  .max(SIGNATURE_MAX_CHARS)
  .refine((url) => {
    const bytes = Buffer.from(url.slice(PNG_DATA_URL.length), 'base64');
    return PNG_SIGNATURE.every((byte, index) => bytes[index] === byte);
  }, '签名图片无效，请重新签名');

/**
 * 证明事项告知承诺书: the authority states what it would otherwise have asked for and what a false
 * commitment costs; the applicant commits and signs on screen. Printed on A4 with the signature embedded.
 */
export const CommitmentData = z
  .object({
    issuer: z.string().min(1).default(TAIAN_APPROVAL_BUREAU),
    serviceName: z.string().min(1),
    /** Case number, or the local number while offline. */
    caseReference: z.string().min(1),
    applicantName: z.string().min(1),
    applicantIdMasked: MaskedIdNumber,
    /** Each proof replaced by the commitment, with what the applicant commits to. */
    commitments: z.array(z.object({ material: z.string().min(1), statement: z.string().min(1) })).min(1),
    /** Legal basis the authority cites, e.g. 《山东省证明事项告知承诺制实施办法》. */
    legalBasis: z.string().min(1),
    signaturePng: SignaturePngDataUrl,
    signedAt: IsoDateTime,
  })
  .superRefine(noFullIdNumber((data) => [data.caseReference]));
export type CommitmentData = z.input<typeof CommitmentData>;

export function commitmentLayout(data: z.output<typeof CommitmentData>): DocumentBlock[] {
  const materials = data.commitments.map((item) => `“${item.material}”`).join('、');
  return [
    { kind: 'title', text: '证明事项告知承诺书' },
    { kind: 'reference', text: `办件编号：${data.caseReference}` },
    { kind: 'heading', text: '一、行政机关告知' },
    {
      kind: 'paragraph',
      indent: true,
      text: `申请人办理“${data.serviceName}”，依据${data.legalBasis}，可以书面承诺的方式代替提交${materials}。申请人承诺后，本机关不再索要上述证明，将在办结后依法核查承诺内容。`,
    },
    {
      kind: 'paragraph',
      indent: true,
      text: '申请人作出不实承诺的，本机关将依法撤销已作出的决定，并将不实承诺情况记入信用记录；涉嫌违法犯罪的，依法移送有关机关处理。申请人也可以选择不承诺，按规定提交相关证明材料。',
    },
    { kind: 'heading', text: '二、申请人承诺' },
    {
      kind: 'list',
      items: [
        ...data.commitments.map((item) => `关于${item.material}：${item.statement}`),
        '已知悉行政机关告知的全部内容，所作承诺是本人真实意思表示，愿意承担不实承诺的法律责任。',
      ],
    },
    { kind: 'rows', rows: [{ label: '申请人', value: data.applicantName }, { label: '证件号码', value: data.applicantIdMasked }] },
    {
      kind: 'signature',
      label: '申请人（签名）：',
      png: Buffer.from(data.signaturePng.slice(PNG_DATA_URL.length), 'base64'),
      date: formatChineseDate(data.signedAt),
    },
    { kind: 'issuer', lines: [`行政机关：${data.issuer}`], date: formatChineseDate(data.signedAt) },
    { kind: 'note', text: '本承诺书一式两份，申请人与行政机关各执一份（电子版已随申请提交）。' },
  ];
}

/** The commitment letter on A4 with the citizen's signature. Throws only on data the schema rejects. */
export async function renderCommitmentPdf(data: CommitmentData): Promise<Buffer> {
  const valid = CommitmentData.parse(data);
  return renderBlocksToPdf(commitmentLayout(valid), 'a4', { title: '证明事项告知承诺书', author: valid.issuer, createdAt: new Date(valid.signedAt) });
}
