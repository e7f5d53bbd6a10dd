import { createHash } from 'node:crypto';
import { PROOF_WATERMARK, documentKind, type DocumentKindId, type ProofDocument } from '../../contract/proofs.js';
import type { DocumentBlock } from '../../print-templates/blocks.js';
import { renderBlocksToPdf } from '../../print-templates/pdf.js';
import { formatChineseDate } from '../../print-templates/privacy.js';
import { drawSeal } from '../../print-templates/proof.js';

/**
 * E-licences central issues as a signed PDF (issue 15, "PDF as issued"): the 电子证照库 lays the licence out
 * in its own format once, central seals the SM3 of exactly those bytes (`ProofDocument.pdfSm3`, inside the
 * signed content), stores them with the record and sends them; the kiosk prints them byte for byte and never
 * re-renders the content (host/services/proofs.ts). The real library's format is OFD or PDF (GB/T 33190 for
 * OFD); the reference central makes a PDF with pdfkit, the kiosk's own renderer and fonts (print-templates/).
 */

/** The kinds central issues as a PDF e-licence print-out (电子证照打印件) rather than as content for the kiosk's template. */
export const AS_ISSUED_PDF_KINDS: ReadonlySet<DocumentKindId> = new Set<DocumentKindId>(['business-licence-copy']);

/** The line under the title that says what the paper is: printed only on the PDF central issues, never by the kiosk's template. */
export const AS_ISSUED_MARK = '（副本）电子证照打印件';

/** The note above the verification block (central's PDF only, like AS_ISSUED_MARK). */
const AS_ISSUED_NOTE = '本件为电子营业执照打印件，由泰安市电子证照库按原版式出具，版式文件经电子印章签署（SM2，摘要SM3），与营业执照副本具有同等效力。';

const millimetre = 72 / 25.4;

/**
 * The print-out of an e-licence (营业执照 副本 layout: 统一社会信用代码 first, the licence's fields, 登记机关 and
 * date under the seal, the verification code and QR to the public page), from a sealed document's content
 * (its `pdfSm3` not yet set: the PDF cannot carry the digest of itself). A4, the same bytes for the same input.
 */
export async function renderAsIssuedLicencePdf(document: ProofDocument, verificationUrl: string, sealName: string): Promise<Buffer> {
  const spec = documentKind(document.kind);
  const fields = document.fields;
  const rows = spec.fields.filter((field) => field.key !== 'registrationAuthority' && fields[field.key]).map((field) => ({ label: field.label, value: fields[field.key] ?? '' }));
  const authority = fields.registrationAuthority ?? document.issuer;
  const blocks: DocumentBlock[] = [
    { kind: 'title', text: '营业执照' },
    { kind: 'reference', text: AS_ISSUED_MARK },
    { kind: 'spacer', lines: 0.5 },
    { kind: 'rows', rows, labelEms: 9 },
    { kind: 'spacer', lines: 0.5 },
    { kind: 'issuer', lines: [authority], date: formatChineseDate(document.issuedAt) },
    { kind: 'spacer', lines: 0.5 },
    { kind: 'note', text: AS_ISSUED_NOTE },
    {
      kind: 'verification',
      text: verificationUrl,
      lines: [`核验码：${document.verificationCode}`, `有效期至：${formatChineseDate(`${document.validUntil}T23:59:59+08:00`)}`, `${PROOF_WATERMARK}。扫描二维码或在核验页面输入核验码查验。`],
    },
  ];
  return renderBlocksToPdf(blocks, 'a4', {
    title: `营业执照（电子证照打印件）${document.verificationCode}`,
    author: authority,
    createdAt: new Date(document.issuedAt),
    decorate: {
      // The licence's double frame, as the 营业执照 副本 is printed, and the watermark every issued paper carries.
      under: (doc, page) => {
        doc.save().strokeColor('#8a1c1c').lineWidth(2).rect(10 * millimetre, 10 * millimetre, page.width - 20 * millimetre, page.height - 20 * millimetre).stroke();
        doc.lineWidth(0.6).rect(12.5 * millimetre, 12.5 * millimetre, page.width - 25 * millimetre, page.height - 25 * millimetre).stroke().restore();
        const watermark = `${PROOF_WATERMARK}\u3000有效期至${formatChineseDate(`${document.validUntil}T23:59:59+08:00`)}`;
        doc.save().font('regular').fontSize(15).fillColor('#000000').fillOpacity(0.08);
        doc.rotate(-30, { origin: [page.width / 2, page.height / 2] });
        for (let row = -2; row <= 7; row += 1) doc.text(watermark, -60 + (row % 2) * 90, row * 40 * millimetre, { lineBreak: false });
        doc.restore();
      },
      over: (doc, page) => {
        const anchor = page.texts.findLast((text) => text.text === authority);
        if (anchor) drawSeal(doc, sealName, anchor.x + anchor.width / 2, anchor.y + anchor.size, 21 * millimetre);
      },
    },
  });
}

/** SM3 (GB/T 32905, lowercase hex) of the bytes, by OpenSSL: what `pdfSm3` pins and the kiosk checks again. */
export function pdfSm3(pdf: Uint8Array): string {
  return createHash('sm3').update(pdf).digest('hex');
}
