import { CHINA_OFFSET_MS, chinaDate } from '../../contract/china-time.js';
import {
  DOCUMENT_KINDS,
  PROOF_KIND_IDS,
  PROOF_PATHS,
  PROOF_WATERMARK,
  ProofDocument,
  VERIFICATION_STATUS_TEXT,
  isValidVerificationCode,
  verificationKeyFields,
  type AvailableProof,
  type DocumentKindId,
  type IssuedProof,
  type ProofIssueResponse,
  type ProofListResponse,
  type ProofRefusal,
  type ProofRequest,
  type VerificationResult,
} from '../../contract/proofs.js';
import type { CentralData, IssuedProofRecord } from '../store/store.js';
import type { ProofContent } from './demo.js';
import { AS_ISSUED_PDF_KINDS, pdfSm3, renderAsIssuedLicencePdf } from './licence-pdf.js';
import { newVerificationCode, sealDocument, type SealKey } from './seal.js';

/**
 * Issuing, sealing and verifying documents (issue 15), over central's store and its seal key. Routes
 * (routes/proofs.ts, routes/cases.ts) and the verification page (http/verify.ts) call these; no SQL here.
 */

/** ISO 8601 in Beijing time with its offset (`2026-12-01T17:40:00+08:00`): what a document prints as its issue time. */
export function chinaTimestamp(at: Date): string {
  return `${new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** The Beijing date `days` after `at`'s Beijing date. */
function chinaDatePlus(at: Date, days: number): string {
  return chinaDate(new Date(at.getTime() + days * 86_400_000));
}

const REFUSALS = {
  notRepresentative: (): ProofRefusal => ({
    code: 'not-legal-representative',
    message: '您不是该企业登记的法定代表人，不能打印该企业的证明。请由法定代表人本人办理，或携带授权委托书到窗口办理。',
  }),
  unknownEnterprise: (): ProofRefusal => ({ code: 'unknown-enterprise', message: '未查到该统一社会信用代码对应的企业。请核对后重试，或到窗口咨询。' }),
  noRecord: (title: string): ProofRefusal => ({ code: 'no-record', message: `未查到您的相关记录，不能出具${title}。如有疑问，请到窗口咨询。` }),
};

/** Parses stored proof content (`{ fields, rows? }` JSON text) of one kind; null when the store holds none. */
function contentOf(text: string | null): ProofContent | null {
  if (text === null) return null;
  const parsed = JSON.parse(text) as ProofContent;
  return { fields: parsed.fields, ...(parsed.rows ? { rows: parsed.rows } : {}) };
}

/** What a sealed document is recorded as, for the verification page and the case record. */
function recordOf(proof: IssuedProof, meta: { subjectId: string; creditCode: string | null; terminalId: string }): IssuedProofRecord {
  return {
    verificationCode: proof.document.verificationCode,
    kind: proof.document.kind,
    subjectId: meta.subjectId,
    creditCode: meta.creditCode,
    caseNumber: proof.document.caseNumber ?? null,
    terminalId: meta.terminalId,
    document: JSON.stringify(proof.document),
    digest: proof.digest,
    sealKeyId: proof.seal.keyId,
    signature: proof.seal.signature,
    copies: proof.copies,
    issuedAt: proof.document.issuedAt,
    validUntil: proof.document.validUntil,
    pdf: proof.pdf ?? null,
  };
}

/** A recorded document as the kiosk receives it again (a 秒批 result redelivered). */
export function issuedProofOf(record: IssuedProofRecord, sealName: string): IssuedProof {
  return {
    document: ProofDocument.parse(JSON.parse(record.document)),
    digest: record.digest,
    seal: { algorithm: 'sm2-sm3', sealName, keyId: record.sealKeyId, signature: record.signature },
    copies: record.copies,
    ...(record.pdf ? { pdf: record.pdf } : {}),
  };
}

export interface ProofIssuer {
  /** The proofs of both life cycles, each available or with the reason it is not, and the enterprises this person represents. */
  available(data: CentralData, idNumber: string): Promise<ProofListResponse>;
  /** Issues, seals and records one proof, or answers why not (a refusal is an outcome, not an error). Call inside a transaction. */
  issue(data: CentralData, request: ProofRequest, terminalId: string): Promise<ProofIssueResponse>;
  /**
   * Seals and records a document built elsewhere (a 秒批 result: central/proofs/results.ts), under a fresh
   * verification code. Call inside the transaction that files its case.
   */
  seal(data: CentralData, kind: DocumentKindId, content: ProofContent, meta: { subjectId: string; caseNumber: string; terminalId: string }): Promise<IssuedProof>;
  /** What the public verification page says about a code: 真实有效 / 已失效 / 无此证明, with the masked key fields. */
  verify(data: CentralData, code: string): Promise<VerificationResult>;
  /** The seal key in use. */
  readonly key: SealKey;
}

/** How a central issues beyond its key and clock. */
export interface ProofIssuerOptions {
  /**
   * Central's public address (the verification page's origin), read when a document is issued. Given, the kinds
   * of licence-pdf.ts AS_ISSUED_PDF_KINDS are issued as a signed PDF as well; absent, as content only.
   */
  publicUrl?: () => string;
}

/** The proof issuer of one central: its store access comes per call (a transaction's or the store's). */
export function proofIssuer(key: SealKey, now: () => Date, options: ProofIssuerOptions = {}): ProofIssuer {
  /** Builds the document, draws a code no document has, seals and records it; retries on a (vanishingly rare) code collision. */
  async function sealAndRecord(
    data: CentralData,
    kind: DocumentKindId,
    content: ProofContent,
    meta: { subjectId: string; creditCode: string | null; caseNumber: string | null; terminalId: string; copies: number },
  ): Promise<IssuedProof> {
    const spec = DOCUMENT_KINDS[kind];
    const at = now();
    for (let attempt = 0; attempt < 5; attempt++) {
      let document = ProofDocument.parse({
        kind,
        title: spec.title,
        issuer: spec.issuer,
        fields: content.fields,
        ...(content.rows ? { rows: content.rows } : {}),
        verificationCode: newVerificationCode(),
        issuedAt: chinaTimestamp(at),
        validUntil: chinaDatePlus(at, spec.validDays),
        watermark: PROOF_WATERMARK,
        ...(meta.caseNumber ? { caseNumber: meta.caseNumber } : {}),
      });
      // An e-licence print-out is rendered here once; the seal then covers its bytes through pdfSm3 (issue 15).
      let pdf: Buffer | null = null;
      if (AS_ISSUED_PDF_KINDS.has(kind) && options.publicUrl) {
        const url = `${options.publicUrl().replace(/\/$/, '')}${PROOF_PATHS.verifyPage(document.verificationCode)}`;
        pdf = await renderAsIssuedLicencePdf(document, url, key.sealName);
        document = ProofDocument.parse({ ...document, pdfSm3: pdfSm3(pdf) });
      }
      const sealed = sealDocument(document, key, meta.copies);
      const proof: IssuedProof = pdf ? { ...sealed, pdf: pdf.toString('base64') } : sealed;
      if (await data.proofs.record(recordOf(proof, meta))) return proof;
    }
    throw new Error('proofs: no free verification code after 5 attempts');
  }

  return {
    key,
    async available(data, idNumber) {
      const [kinds, enterprises] = await Promise.all([data.proofs.kindsOf(idNumber), data.proofs.enterprisesOf(idNumber)]);
      const held = new Set(kinds);
      const proofs: AvailableProof[] = PROOF_KIND_IDS.map((proofId) => {
        const spec = DOCUMENT_KINDS[proofId];
        const lifeCycle = spec.lifeCycle as 'personal' | 'enterprise';
        const available = lifeCycle === 'enterprise' ? enterprises.length > 0 : held.has(proofId);
        const reason =
          lifeCycle === 'enterprise' ? '您不是已登记企业的法定代表人，不能打印企业证明。请由法定代表人本人办理。' : REFUSALS.noRecord(spec.title).message;
        return { proofId, title: spec.title, lifeCycle, available, ...(available ? {} : { reason }) };
      });
      return { proofs, enterprises: enterprises.map((enterprise) => ({ creditCode: enterprise.creditCode, name: enterprise.name })) };
    },

    async issue(data, request, terminalId) {
      const spec = DOCUMENT_KINDS[request.proofId];
      let content: ProofContent | null;
      let creditCode: string | null = null;
      if (spec.lifeCycle === 'enterprise') {
        const enterprise = await data.proofs.enterprise(request.creditCode ?? '');
        if (!enterprise) return { outcome: 'refused', refusal: REFUSALS.unknownEnterprise() };
        // Only the 法定代表人 in central's register, whose card was read on the kiosk, may print the enterprise's proofs.
        if (enterprise.legalRepresentativeId !== request.idNumber) return { outcome: 'refused', refusal: REFUSALS.notRepresentative() };
        const byKind = JSON.parse(enterprise.content) as Partial<Record<string, ProofContent>>;
        content = byKind[request.proofId] ?? null;
        creditCode = enterprise.creditCode;
      } else {
        content = contentOf(await data.proofs.source(request.idNumber, request.proofId));
      }
      if (!content) return { outcome: 'refused', refusal: REFUSALS.noRecord(spec.title) };
      const proof = await sealAndRecord(data, request.proofId, content, { subjectId: request.idNumber, creditCode, caseNumber: null, terminalId, copies: request.copies });
      return { outcome: 'issued', proof };
    },

    seal: (data, kind, content, meta) => sealAndRecord(data, kind, content, { ...meta, creditCode: content.fields.creditCode ?? null, copies: 1 }),

    async verify(data, code) {
      const notFound: VerificationResult = { status: 'not-found', statusText: VERIFICATION_STATUS_TEXT['not-found'] };
      // A code whose check character fails was mistyped or altered: no look-up needed to say 无此证明.
      if (!isValidVerificationCode(code)) return notFound;
      const record = await data.proofs.byCode(code);
      if (!record) return notFound;
      const document = ProofDocument.parse(JSON.parse(record.document));
      const status = record.validUntil < chinaDate(now()) ? 'expired' : 'valid';
      return {
        status,
        statusText: VERIFICATION_STATUS_TEXT[status],
        document: { title: document.title, issuer: document.issuer, issuedAt: document.issuedAt, validUntil: document.validUntil, keyFields: verificationKeyFields(document) },
      };
    },
  };
}
