import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import type { IdentityCard } from '../../../contract/domain.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { approvalCertificate, verificationCode } from '../../../host/services/result-certificate.js';
import { CertificateData, renderCertificatePdf } from '../../../print-templates/certificate.js';

const idNumber = '37091119900822402' + gb11643CheckChar('37091119900822402');
const identity: IdentityCard = {
  cardType: 'resident',
  name: '李秀英',
  sex: 'female',
  birthDate: '1990-08-22',
  idNumber,
  validFrom: '2015-01-01',
  validTo: '2035-01-01',
  expired: false,
  hasPhoto: true,
};

describe('approvalCertificate', () => {
  const service = loadCatalog().services.find((candidate) => candidate.id === 'skill-upgrade-subsidy');
  if (!service) throw new Error('catalog lacks skill-upgrade-subsidy');
  const data = approvalCertificate({
    service,
    resultTitle: '职业技能提升补贴核定通知',
    caseNumber: 'TA20261128000007',
    identity,
    issuedAt: new Date('2026-11-28T01:30:00Z'),
    verificationUrl: 'http://127.0.0.1:4100/progress/TA20261128000007',
  });

  it('names the approval bureau, a document number from the case, and the holder with a masked ID', () => {
    expect(data).toMatchObject({
      title: '职业技能提升补贴核定通知',
      issuer: '泰安市行政审批服务局',
      documentNumber: '泰审批秒批字〔2026〕第1128000007号',
      holderName: '李秀英',
      holderIdMasked: '370***********' + idNumber.slice(-4),
      caseNumber: 'TA20261128000007',
      serviceName: '职业技能提升补贴申领',
    });
    expect(data.paragraphs[0]).toContain('2026年11月28日');
    expect(JSON.stringify(data)).not.toContain(idNumber);
  });

  it('passes the print template schema and renders to a PDF', async () => {
    expect(CertificateData.safeParse(data).success).toBe(true);
    const pdf = await renderCertificatePdf(data);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('gives the same verification code for the same case and another for another case', () => {
    expect(verificationCode('TA20261128000007')).toBe(data.verificationCode);
    expect(verificationCode('TA20261128000008')).not.toBe(data.verificationCode);
    expect(data.verificationCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  });
});
