import type { Service } from '../../contract/catalog.js';
import { randomUUID } from 'node:crypto';
import type { ProofOffer, ProofPreview, ProofPrintOutcome } from '../../contract/proof-kiosk.js';
import {
  PROOF_PATHS,
  ProofIssueResponse,
  ProofListResponse,
  SealPublicKeyResponse,
  documentKind,
  verifySeal,
  type IssuedProof,
} from '../../contract/proofs.js';
import type { IdentityCard } from '../../contract/domain.js';
import { fail, ok, type Result } from '../../contract/result.js';
import { maskIdNumber } from '../../contract/validators/gb11643.js';
import { renderProofPdf, type ProofDocumentData } from '../../print-templates/proof.js';
import type { CatalogService } from './catalog.js';
import type { CentralClient } from './central-client.js';
import type { Logger } from './log.js';
import type { PrintingService } from './printing.js';
import type { StaffAlerts } from './staff-alerts.js';

/** Plain Chinese for the citizen (STYLE.md Errors): what happened and what to do next. */
export const PROOF_MESSAGES = {
  unreachable: '现在连不上证明开具系统，暂时无法查询打印。请稍后再试，或到人工窗口办理。',
  sealInvalid: '这份证明没有通过电子印章校验，为保证真实性，本机不会打印。请到人工窗口办理，工作人员已收到提醒。',
  unknownKind: '没有找到这项证明，请返回重新选择。',
  unknownTicket: '这份证明已失效，请返回重新查询。',
  noEnterprise: '没有查到您担任法定代表人的企业，不能打印企业证明。如您是经办人，请携带企业授权委托书到人工窗口办理。',
  notPrinted: (reason: string) =>
    `${reason}，证明已为您保留，没有打印出来。请用手机扫描屏幕上的二维码查看和保存这份证明；打印机恢复后本机会为您补打一次，工作人员已收到提醒。`,
} as const;

const NOT_PRINTED_BECAUSE: Record<string, string> = {
  'paper-out': '打印机缺纸',
  'no-device': '本机没有可用的A4打印机',
  offline: '打印机暂时无法使用',
  'hardware-error': '打印机出现故障',
};

const QUICK_CALL_MS = 5_000;

/** One proof issued in this session: what central sent, the bytes to print, and a kept job after paper failed. */
interface Issued {
  proof: IssuedProof;
  preview: ProofPreview;
  pdf: Uint8Array;
  /** Set when a print did not come out: the journal job to print once when the printer is back. */
  pending: { jobId: string; copies: number } | null;
}

export interface ProofServiceOptions {
  client: CentralClient;
  catalog: CatalogService;
  printing: PrintingService;
  alerts: StaffAlerts;
  log: Logger;
  /** Central's public address: the printed QR leads to `<publicUrl>/verify/<code>`. */
  publicUrl: string;
  /**
   * Central's seal public key (`04` ‖ x ‖ y hex) from configuration `central.sealPublicKey`; when absent it
   * is fetched from central once (`GET /v1/seal/public-key`) and pinned for the life of the process.
   */
  sealPublicKey?: string | null;
}

/**
 * 查询打印 (issue 15): lists the catalog's proofs, has central issue one for the session holder, checks
 * central's SM2 seal before anything is shown or printed, renders the sealed A4 (or takes central's signed
 * PDF as issued), and prints it through the document printer with the print journal behind it.
 *
 * Personal data: issued proofs live in memory for the session only (`wipe` on session end); the journal
 * holds the verification code, never a name or number. A proof that did not print is printed once when the
 * printer is back while its session lasts (`retryPending`); after that the citizen has the phone link.
 */
export class ProofService {
  private readonly issued = new Map<string, Issued>();
  private pinnedKey: string | null;

  constructor(private readonly options: ProofServiceOptions) {
    this.pinnedKey = options.sealPublicKey ?? null;
  }

  /** The proofs a life cycle's `proof` services offer, in catalog order. */
  offers(lifeCycle: 'individual' | 'enterprise'): ProofOffer[] {
    return this.options.catalog
      .summaries()
      .filter((summary) => summary.lifeCycle === lifeCycle)
      .flatMap((summary) => {
        const service = this.options.catalog.service(summary.id);
        return service?.kind === 'proof' ? (service.proofs ?? []).map((offer) => ({ ...offer, serviceId: service.id })) : [];
      });
  }

  /** The catalog service (kind `proof`) that offers this proof, or null: its `identityAssurance` gates issuing. */
  serviceOf(kind: string): Service | null {
    for (const summary of this.options.catalog.summaries()) {
      const service = this.options.catalog.service(summary.id);
      if (service?.kind === 'proof' && (service.proofs ?? []).some((offer) => offer.kind === kind)) return service;
    }
    return null;
  }

  /** The verification page of a code: what the printed QR and the phone link open. */
  verificationUrl(code: string): string {
    return `${this.options.publicUrl.replace(/\/$/, '')}${PROOF_PATHS.verifyPage(code)}`;
  }

  /**
   * Asks central for the proof, checks its seal, renders it. Enterprise proofs are asked for the enterprise
   * central lists this person as 法定代表人 of; central decides and its refusal reason is passed on as is.
   */
  async issue(identity: IdentityCard, kind: string): Promise<Result<ProofPreview>> {
    const offer = (['individual', 'enterprise'] as const).flatMap((lifeCycle) => this.offers(lifeCycle)).find((candidate) => candidate.kind === kind);
    if (!offer) return fail('unknown-proof', PROOF_MESSAGES.unknownKind);
    let creditCode: string | undefined;
    if (offer.holder === 'legal-representative') {
      const listed = await this.options.client.call('POST', PROOF_PATHS.available, ProofListResponse, { idNumber: identity.idNumber }, { timeoutMs: QUICK_CALL_MS });
      if (listed.kind !== 'ok') return this.unreachable('list', listed.kind);
      const enterprise = listed.value.enterprises[0];
      if (!enterprise) {
        const reason = listed.value.proofs.find((proof) => proof.proofId === kind && !proof.available)?.reason;
        this.options.log.log('info', 'proof.refused', { kind, code: 'no-enterprise' });
        return fail('proof-refused', reason ?? PROOF_MESSAGES.noEnterprise);
      }
      creditCode = enterprise.creditCode;
    }
    const answer = await this.options.client.call(
      'POST',
      PROOF_PATHS.issue,
      ProofIssueResponse,
      { proofId: kind, idNumber: identity.idNumber, ...(creditCode ? { creditCode } : {}), copies: 1 },
      { timeoutMs: QUICK_CALL_MS, idempotencyKey: randomUUID() },
    );
    if (answer.kind !== 'ok') return this.unreachable('issue', answer.kind);
    if (answer.value.outcome === 'refused') {
      this.options.log.log('info', 'proof.refused', { kind, code: answer.value.refusal.code });
      return fail('proof-refused', answer.value.refusal.message);
    }
    const proof = answer.value.proof;
    const key = await this.sealKey();
    if (!key) return this.unreachable('seal-key', 'no-key');
    if (!verifySeal(proof, key)) return this.refuseForgery(proof);
    const data = proofDocumentData(proof, this.verificationUrl(proof.document.verificationCode));
    // A signed PDF as issued is printed as it is, never re-rendered (issue 15).
    const pdf = proof.pdf ? Uint8Array.from(Buffer.from(proof.pdf, 'base64')) : await renderProofPdf(data);
    const ticket = randomUUID();
    const preview: ProofPreview = {
      ticket,
      title: data.title,
      documentNumber: proof.document.verificationCode,
      issuer: data.issuer,
      holderLine: data.holderLine,
      paragraphs: data.paragraphs,
      fields: data.fields,
      table: data.table ?? null,
      issuedAt: proof.document.issuedAt,
      validUntil: proof.document.validUntil,
      verificationCode: proof.document.verificationCode,
      verificationUrl: this.verificationUrl(proof.document.verificationCode),
      asIssuedPdf: proof.pdf !== undefined,
    };
    this.issued.set(ticket, { proof, preview, pdf, pending: null });
    this.options.log.log('info', 'proof.issued', { kind, code: proof.document.verificationCode, keyId: proof.seal.keyId });
    return ok(preview);
  }

  /** Prints `copies` of an issued proof; paper out keeps it and answers the phone link instead. */
  async print(ticket: string, copies: number): Promise<Result<ProofPrintOutcome>> {
    const entry = this.issued.get(ticket);
    if (!entry) return fail('unknown-ticket', PROOF_MESSAGES.unknownTicket);
    const fetchUrl = entry.preview.verificationUrl;
    // Already kept after a failed attempt: the retry prints it; a second tap must not make a second job.
    if (entry.pending) return ok(await this.retryOne(entry));
    const outcome = await this.options.printing.printSealed(entry.pdf, entry.preview.verificationCode, entry.preview.title, copies);
    if (outcome.printed) return ok({ printed: true, copies, notice: null, fetchUrl });
    entry.pending = { jobId: outcome.jobId, copies };
    return ok({ printed: false, copies, notice: PROOF_MESSAGES.notPrinted(NOT_PRINTED_BECAUSE[outcome.reason ?? ''] ?? '打印机暂时无法打印'), fetchUrl });
  }

  /** The printer is back (paper refilled): every kept proof of this session is printed, once. */
  async retryPending(): Promise<number> {
    let printed = 0;
    for (const entry of this.issued.values()) {
      if (entry.pending && (await this.retryOne(entry)).printed) printed += 1;
    }
    return printed;
  }

  /**
   * A 秒批 result central sealed (`sealedResult` on the submission's answer): verified like a proof and printed
   * with the same template and seal, journalled under its verification code. A seal that fails is refused and
   * alerted exactly as for a proof; the answer then says why nothing was printed.
   */
  async printSealedResult(proof: IssuedProof): Promise<{ printed: boolean; notice?: string }> {
    const key = await this.sealKey();
    if (!key) return { printed: false, notice: PROOF_MESSAGES.unreachable };
    if (!verifySeal(proof, key)) {
      const refused = this.refuseForgery(proof);
      return { printed: false, notice: refused.ok ? PROOF_MESSAGES.sealInvalid : refused.error.message };
    }
    const pdf = proof.pdf ? Uint8Array.from(Buffer.from(proof.pdf, 'base64')) : await renderProofPdf(proofDocumentData(proof, this.verificationUrl(proof.document.verificationCode)));
    const outcome = await this.options.printing.printSealed(pdf, proof.document.verificationCode, proof.document.title, 1);
    return { printed: outcome.printed, ...(outcome.notice ? { notice: outcome.notice } : {}) };
  }

  /** The session ended: its proofs leave memory (剩余信息保护); kept jobs stay in the journal for staff. */
  wipe(): void {
    this.issued.clear();
  }

  private async retryOne(entry: Issued): Promise<ProofPrintOutcome> {
    const pending = entry.pending;
    const fetchUrl = entry.preview.verificationUrl;
    if (!pending) return { printed: true, copies: 1, notice: null, fetchUrl };
    const result = await this.options.printing.retrySealed(pending.jobId, entry.pdf, entry.preview.title, pending.copies);
    if (result.printed || result.code === 'already-printed') {
      entry.pending = null;
      return { printed: true, copies: pending.copies, notice: null, fetchUrl };
    }
    return { printed: false, copies: pending.copies, notice: PROOF_MESSAGES.notPrinted(NOT_PRINTED_BECAUSE[result.reason ?? ''] ?? '打印机暂时无法打印'), fetchUrl };
  }

  private async sealKey(): Promise<string | null> {
    if (this.pinnedKey) return this.pinnedKey;
    const answer = await this.options.client.call('GET', PROOF_PATHS.sealPublicKey, SealPublicKeyResponse, undefined, { timeoutMs: QUICK_CALL_MS });
    if (answer.kind !== 'ok') return null;
    this.pinnedKey = answer.value.publicKey;
    this.options.log.log('info', 'proof.seal-key-pinned', { keyId: answer.value.keyId });
    return this.pinnedKey;
  }

  private refuseForgery(proof: IssuedProof): Result<never> {
    this.options.log.log('error', 'proof.seal-invalid', { kind: proof.document.kind, code: proof.document.verificationCode, keyId: proof.seal.keyId });
    this.options.alerts.raise(
      'seal-invalid',
      `一份“${proof.document.title}”的电子印章校验失败，本机已拒绝打印（核验码 ${proof.document.verificationCode}）。请联系运维人员核对中心的印章公钥配置和网络链路。`,
      proof.document.verificationCode,
    );
    return fail('seal-invalid', PROOF_MESSAGES.sealInvalid);
  }

  private unreachable(step: string, outcome: string): Result<never> {
    this.options.log.log('warn', 'proof.unreachable', { step, outcome });
    return fail('central-unavailable', PROOF_MESSAGES.unreachable);
  }
}

/** Dates in contract/proofs.ts are Beijing dates (YYYY-MM-DD); the template wants the instant the day ends. */
const endOfBeijingDay = (date: string): string => `${date}T23:59:59+08:00`;

/**
 * The template's data from a sealed proof: the kind's fields in the kind's order with its labels, ID numbers
 * masked on paper (the verification page shows them masked too), the table as printed, the seal block.
 */
export function proofDocumentData(proof: IssuedProof, verificationUrl: string): ProofDocumentData {
  const { document } = proof;
  const spec = documentKind(document.kind);
  const printed = (key: string, value: string): string => (/idnumber$/i.test(key) ? maskIdNumber(value) : value);
  const fields = spec.fields.flatMap((field) => {
    const value = document.fields[field.key];
    return value ? [{ label: field.label, value: printed(field.key, value) }] : [];
  });
  // A 秒批 result names the case it results from (its 受理编号 on the receipt), last among its fields.
  if (document.caseNumber) fields.push({ label: '受理编号', value: document.caseNumber });
  const enterprise = document.fields.enterpriseName;
  const holderLine = enterprise
    ? `${enterprise}（统一社会信用代码 ${document.fields.creditCode ?? ''}）`
    : `${document.fields.name ?? ''}（公民身份号码 ${maskIdNumber(document.fields.idNumber ?? '')}）`;
  return {
    title: document.title,
    issuer: document.issuer,
    holderLine,
    // A 秒批 result opens with its kind's own 经审核 … sentence; a proof with the 经查询 … one.
    paragraphs: [spec.statement ?? `经查询${document.issuer}业务系统，现将相关信息证明如下。本证明由${document.issuer}依据共享数据出具，加盖电子印章，与纸质盖章证明具有同等效力。`],
    fields,
    ...(spec.table
      ? { table: { title: spec.table.title, columns: spec.table.columns.map((column) => column.label), rows: (document.rows ?? []).map((row) => spec.table?.columns.map((column) => row[column.key] ?? '') ?? []) } }
      : {}),
    issuedAt: document.issuedAt,
    validUntil: endOfBeijingDay(document.validUntil),
    verificationCode: document.verificationCode,
    verificationUrl,
    seal: { name: proof.seal.sealName, keyId: proof.seal.keyId, digest: proof.digest, signature: proof.seal.signature, signedAt: document.issuedAt },
  };
}
