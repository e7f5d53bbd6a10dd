import { z } from 'zod';
import { PROOF_WATERMARK } from '../contract/proofs.js';
import type { DocumentBlock } from './blocks.js';
import { renderBlocksToPdf, type PageDecorator } from './pdf.js';
import { IsoDateTime, formatChineseDate, noFullIdNumber } from './privacy.js';


/**
 * A sealed proof on A4 (证明开具 / 证照打印): 社保缴费证明, 不动产登记信息查询结果, 公积金缴存证明 …, laid out
 * from the real document's fields as central issued them, with central's electronic seal.
 *
 * The kiosk renders only what central signed: `fields` and `paragraphs` are the issued content, in
 * central's order; the seal block prints the SM2 signature central made over that content's SM3 digest
 * (verified by the host before this renders: host/services/proof-seal.ts). The holder's name is printed
 * in full (the proof is theirs); an ID number only masked (the schema refuses a full one).
 */
export const ProofDocumentData = z
  .object({
    /** e.g. 社会保险个人参保缴费证明. */
    title: z.string().min(1).max(60),
    /** 证明编号 when the document has one besides its verification code. */
    documentNumber: z.string().min(1).max(60).optional(),
    /** The issuing department, e.g. 泰安市社会保险事业中心; also the seal's name. */
    issuer: z.string().min(1).max(40),
    /** Salutation line above the body: the holder (person or enterprise). */
    holderLine: z.string().min(1).max(80),
    /** The proof's text, one paragraph per entry. */
    paragraphs: z.array(z.string().min(1).max(600)).min(1).max(6),
    /** The document's fields in central's order (参保单位, 险种, 缴费起止年月 …). */
    fields: z.array(z.object({ label: z.string().min(1).max(20), value: z.string().min(1).max(2000) })).min(1).max(24),
    /** The document's table (缴费明细, 不动产登记信息 …) under its heading, cells in column order. */
    table: z.object({ title: z.string().min(1).max(40), columns: z.array(z.string().min(1).max(20)).min(1).max(8), rows: z.array(z.array(z.string().max(500))).max(200) }).optional(),
    issuedAt: IsoDateTime,
    /** 有效期至: printed in the watermark and the footer. */
    validUntil: IsoDateTime,
    /** Central's verification code (printed, and the last part of the QR's URL). */
    verificationCode: z.string().min(6).max(32),
    /** `<publicUrl>/verify/<code>`: central's public verification page. */
    verificationUrl: z.url(),
    seal: z.object({
      /** The seal's legend, normally the issuer. */
      name: z.string().min(1).max(40),
      /** SM2 signature (hex, r ‖ s) over the content digest; printed abbreviated. */
      signature: z.string().regex(/^[0-9a-f]{64,}$/i),
      /** Central's seal key id (contract/proofs.ts sealKeyId). */
      keyId: z.string().min(1).max(32),
      /** SM3 digest (hex) the signature covers; printed abbreviated so a reader can compare with the page. */
      digest: z.string().regex(/^[0-9a-f]{64}$/i),
      signedAt: IsoDateTime,
      /** Central's seal image (PNG); without it the seal is drawn (red ring, star and legend). */
      png: z.instanceof(Uint8Array).optional(),
    }),
  })
  .superRefine(noFullIdNumber());
export type ProofDocumentData = z.input<typeof ProofDocumentData>;

/** Ideographic space (U+3000) between the parts of a line, as Chinese documents space them. */
const GAP = '\u3000';

const abbreviate = (hex: string): string => `${hex.slice(0, 16).toUpperCase()}…${hex.slice(-16).toUpperCase()}`;

/** The proof as blocks: title, number, holder, body, fields, issuer and date, seal block, verification. */
export function proofLayout(data: z.output<typeof ProofDocumentData>): DocumentBlock[] {
  return [
    { kind: 'title', text: data.title },
    ...(data.documentNumber ? [{ kind: 'reference', text: `证明编号：${data.documentNumber}` } satisfies DocumentBlock] : []),
    { kind: 'paragraph', text: `${data.holderLine}：` },
    ...data.paragraphs.map((text): DocumentBlock => ({ kind: 'paragraph', text, indent: true })),
    { kind: 'spacer', lines: 0.3 },
    // Real proofs' labels run to six characters (缴费起止年月) plus the colon.
    { kind: 'rows', rows: data.fields, labelEms: Math.max(6, ...data.fields.map((field) => Array.from(field.label).length + 1.5)) },
    ...(data.table
      ? ([
          { kind: 'heading', text: data.table.title },
          { kind: 'table', columns: data.table.columns, rows: data.table.rows.length > 0 ? data.table.rows : [data.table.columns.map((_, index) => (index === 0 ? '无记录' : ''))] },
        ] satisfies DocumentBlock[])
      : []),
    { kind: 'issuer', lines: [data.issuer], date: formatChineseDate(data.issuedAt) },
    { kind: 'spacer', lines: 0.5 },
    {
      kind: 'note',
      emphasis: true,
      text: `电子印章：${data.seal.name}（密钥标识 ${data.seal.keyId}）${GAP}签章时间 ${formatChineseDate(data.seal.signedAt)}${GAP}签名算法 SM2（GB/T 32918）${GAP}内容摘要 SM3 ${abbreviate(data.seal.digest)}${GAP}签名值 ${abbreviate(data.seal.signature)}`,
    },
    {
      kind: 'verification',
      text: sealedQrText(data.verificationUrl, data.seal.digest, data.seal.signature),
      lines: [`核验码：${data.verificationCode}`, `有效期至：${formatChineseDate(data.validUntil)}`, `${PROOF_WATERMARK}。扫描左侧二维码或访问核验页面查验真伪。`],
    },
  ];
}

/**
 * The QR's text: the verification page's URL, with the seal in its fragment (`#seal=<SM3 digest>.<SM2 r‖s>`).
 * A phone opens the page as usual (a fragment never reaches the server); a verifier holding only the paper
 * reads the digest and signature back from the QR and checks them against central's public key, offline.
 */
export function sealedQrText(verificationUrl: string, digest: string, signature: string): string {
  return `${verificationUrl}#seal=${digest.toLowerCase()}.${signature.toLowerCase()}`;
}

/** The digest and signature a proof's QR carries (see sealedQrText), or null when it carries none. */
export function sealFromQrText(text: string): { url: string; digest: string; signature: string } | null {
  const match = /^(.*)#seal=([0-9a-f]{64})\.([0-9a-f]{64,})$/.exec(text);
  return match ? { url: match[1] ?? '', digest: match[2] ?? '', signature: match[3] ?? '' } : null;
}

const SEAL_RED = '#d0021b';
const millimetre = 72 / 25.4;

/** Watermark under the text, seal over the issuer's line (GB/T 9704: the seal covers the issuer and date). */
function proofDecorations(data: z.output<typeof ProofDocumentData>): PageDecorator {
  const watermark = `${PROOF_WATERMARK}${GAP}有效期至${formatChineseDate(data.validUntil)}`;
  return {
    under: (doc, page) => {
      doc.save().font('regular').fontSize(15).fillColor('#000000').fillOpacity(0.08);
      doc.rotate(-30, { origin: [page.width / 2, page.height / 2] });
      for (let row = -2; row <= 7; row += 1) {
        doc.text(watermark, -60 + (row % 2) * 90, row * 40 * millimetre, { lineBreak: false });
      }
      doc.restore();
    },
    over: (doc, page) => {
      const anchor = page.texts.findLast((text) => text.text === data.issuer);
      if (!anchor) return;
      const radius = 21 * millimetre;
      const centreX = anchor.x + anchor.width / 2;
      const centreY = anchor.y + anchor.size;
      if (data.seal.png) {
        doc.image(Buffer.from(data.seal.png), centreX - radius, centreY - radius, { fit: [radius * 2, radius * 2] });
        return;
      }
      drawSeal(doc, data.seal.name, centreX, centreY, radius);
    },
  };
}

/**
 * A round official seal in vector: double ring, five-pointed star, legend along the upper arc; centre (x, y) and
 * radius in points. Also drawn by central on the e-licence PDFs it issues as is (central/proofs/licence-pdf.ts).
 */
export function drawSeal(doc: PDFKit.PDFDocument, legend: string, x: number, y: number, radius: number): void {
  doc.save().fillOpacity(0.85).strokeOpacity(0.85).strokeColor(SEAL_RED).fillColor(SEAL_RED);
  doc.lineWidth(2.2).circle(x, y, radius).stroke();
  doc.lineWidth(0.6).circle(x, y, radius - 3).stroke();
  const star = radius * 0.32;
  const points: Array<[number, number]> = [];
  for (let index = 0; index < 10; index += 1) {
    const angle = -Math.PI / 2 + (index * Math.PI) / 5;
    const length = index % 2 === 0 ? star : star * 0.382;
    points.push([x + length * Math.cos(angle), y + length * Math.sin(angle)]);
  }
  doc.polygon(...points).fill();
  const characters = Array.from(legend);
  const size = Math.min(11, (radius * 3.6) / Math.max(characters.length, 1));
  const sweep = Math.min(250, characters.length * 20) * (Math.PI / 180);
  doc.font('regular').fontSize(size);
  characters.forEach((character, index) => {
    const angle = -Math.PI / 2 - sweep / 2 + (sweep * (index + 0.5)) / characters.length;
    const textRadius = radius - 5 - size * 0.75;
    const cx = x + textRadius * Math.cos(angle);
    const cy = y + textRadius * Math.sin(angle);
    doc.save().rotate((angle * 180) / Math.PI + 90, { origin: [cx, cy] });
    doc.text(character, cx - size / 2, cy - size * 0.7, { lineBreak: false });
    doc.restore();
  });
  doc.fontSize(size * 0.9).text('电子印章', x - size * 1.8, y + radius * 0.42, { lineBreak: false });
  doc.restore();
}

/** The proof on A4. Throws only on data the schema rejects. The same data always gives the same bytes. */
export async function renderProofPdf(data: ProofDocumentData): Promise<Buffer> {
  const valid = ProofDocumentData.parse(data);
  return renderBlocksToPdf(proofLayout(valid), 'a4', { title: valid.title, author: valid.issuer, createdAt: new Date(valid.issuedAt), decorate: proofDecorations(valid) });
}
