import { createHash } from 'node:crypto';
import type { Service } from '../../contract/catalog.js';
import type { IdentityCard } from '../../contract/domain.js';
import { maskIdNumber } from '../../contract/validators/gb11643.js';
import { TAIAN_APPROVAL_BUREAU, type CertificateData } from '../../print-templates/certificate.js';
import { formatChineseDate } from '../../print-templates/privacy.js';

export interface ApprovedCase {
  service: Service;
  /** Central's title of the result (秒批 `resultTitle`), e.g. 职业技能提升补贴核定通知. */
  resultTitle: string;
  caseNumber: string;
  identity: IdentityCard;
  issuedAt: Date;
  /** Where anyone holding the paper can check it: the case's progress page. */
  verificationUrl: string;
  /** The applicant's choices in words (证书等级 中级工（四级）…): contract/format.ts formatChoices. */
  particulars?: { label: string; value: string }[];
}

/**
 * The A4 result of a 秒批 case, as data for print-templates/certificate.ts. Central's acknowledgement does
 * not yet carry a document number or verification code, so both are derived from the case number: the
 * document number is the case's date and sequence (unique, and the same on a reprint), the code a digest
 * of it that staff can recompute at the window. When central issues them, take them from the
 * acknowledgement instead.
 */
export function approvalCertificate(approved: ApprovedCase): CertificateData {
  const { service, resultTitle, caseNumber, identity, issuedAt } = approved;
  const year = caseNumber.slice(2, 6);
  // Beijing time, as the document's date line prints it.
  const applied = formatChineseDate(issuedAt.toISOString());
  return {
    title: resultTitle,
    documentNumber: `泰审批秒批字〔${year}〕第${caseNumber.slice(6)}号`,
    issuer: TAIAN_APPROVAL_BUREAU,
    holderName: identity.name || identity.englishName || '申请人',
    holderIdMasked: maskIdNumber(identity.idNumber),
    caseNumber,
    serviceName: service.name,
    paragraphs: [
      `你于${applied}通过政务服务自助终端申请办理“${service.name}”，经审批系统按规定条件自动核验，符合办理条件，准予办理。`,
      `办理结果为“${resultTitle}”，自出具之日起生效。如对本结果有异议，可自收到之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。`,
    ],
    particulars: [
      { label: '办理结果', value: resultTitle },
      { label: '办理方式', value: '自助终端申请 · 秒批秒办' },
      { label: '承办部门', value: service.leadDepartment.name },
      ...(approved.particulars ?? []),
    ],
    issuedAt: issuedAt.toISOString(),
    verificationUrl: approved.verificationUrl,
    verificationCode: verificationCode(caseNumber),
  };
}

/** Eight characters from a digest of the case number (no 0/O/1/I, so it reads back unambiguously). */
export function verificationCode(caseNumber: string): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digest = createHash('sha256').update(`taian-certificate|${caseNumber}`).digest();
  return Array.from(digest.subarray(0, 8), (byte) => alphabet[byte % alphabet.length]).join('');
}
