import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderAcceptanceNoticePdf } from '../../../print-templates/acceptance-notice.js';
import { renderCertificatePdf } from '../../../print-templates/certificate.js';
import { renderCommitmentPdf } from '../../../print-templates/commitment.js';
import { renderReceiptPdf } from '../../../print-templates/receipt.js';
import { renderRejectionNoticePdf } from '../../../print-templates/rejection-notice.js';
import { renderProofPdf } from '../../../print-templates/proof.js';
import { sampleResultPrint } from '../../support/result-cases.js';
import { decodeGrayPng, differingShare, rasterise } from './gray-image.js';
import { sampleAcceptanceNotice, sampleCertificate, sampleCommitment, sampleOfflineReceipt, sampleProof, sampleReceipt, sampleRejectionNotice } from './sample-data.js';

/**
 * Every template, rendered from fixed data, rasterised by pdftoppm and compared with a reviewed
 * reference PNG in test/fixtures/print/ (pdfkit's tests/visual approach). `UPDATE_REFERENCES=1`
 * rewrites the references; look at each one before committing it.
 */
const fixtures = fileURLToPath(new URL('../../fixtures/print/', import.meta.url));
const update = process.env.UPDATE_REFERENCES === '1';
/** At most 1 % of pixels may differ by more than the threshold (anti-aliasing noise across poppler versions). */
const TOLERANCE = 0.01;

const templates: Array<[string, () => Promise<Buffer>]> = [
  ['receipt', () => renderReceiptPdf(sampleReceipt)],
  ['receipt-offline', () => renderReceiptPdf(sampleOfflineReceipt)],
  ['certificate', () => renderCertificatePdf(sampleCertificate)],
  ['commitment', () => renderCommitmentPdf(sampleCommitment())],
  ['acceptance-notice', () => renderAcceptanceNoticePdf(sampleAcceptanceNotice)],
  ['rejection-notice', () => renderRejectionNoticePdf(sampleRejectionNotice)],
  ['proof', () => renderProofPdf(sampleProof)],
  // 秒批 results laid out from their real documents (issue 15): a field-only layout and a table layout.
  ['result-housing-fund-withdrawal', async () => renderProofPdf(await sampleResultPrint('provident-fund-rent-withdrawal'))],
  ['result-tax-payment-certificate', async () => renderProofPdf(await sampleResultPrint('tax-payment-certificate'))],
];

describe('print templates, rendered', () => {
  for (const [name, render] of templates) {
    it(`renders ${name} like its reference image`, async () => {
      const { png, image } = rasterise(await render());
      const reference = `${fixtures}${name}.png`;
      if (update || !existsSync(reference)) {
        if (!update) throw new Error(`no reference ${reference}: run with UPDATE_REFERENCES=1 and review the image`);
        writeFileSync(reference, png);
      }
      expect(differingShare(image, decodeGrayPng(readFileSync(reference)))).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it('renders the same bytes for the same data', async () => {
    expect((await renderReceiptPdf(sampleReceipt)).equals(await renderReceiptPdf(sampleReceipt))).toBe(true);
  });

  it('detects a change in content (the comparison can fail)', async () => {
    const changed = rasterise(await renderReceiptPdf({ ...sampleReceipt, serviceName: '不动产登记“一件事”' })).image;
    expect(differingShare(changed, decodeGrayPng(readFileSync(`${fixtures}receipt.png`)))).toBeGreaterThan(TOLERANCE);
  });
});
