import { describe, expect, it } from 'vitest';
import { PROOF_WATERMARK } from '../../../contract/proofs.js';
import { ProofDocumentData, renderProofPdf } from '../../../print-templates/proof.js';
import { decodeGrayPng, differingShare, rasterise } from './gray-image.js';
import { sampleProof } from './sample-data.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The text poppler reads back from a PDF (what a reader's copy-and-paste or a search would see). */
function textOf(pdf: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'proof-text-'));
  try {
    writeFileSync(join(directory, 'in.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(directory, 'in.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('proof template', () => {
  it('prints the watermark with its date, the seal block, the verification code and 有效期至', async () => {
    const text = textOf(await renderProofPdf(sampleProof)).replace(/\s+/g, '');
    expect(text).toContain(PROOF_WATERMARK);
    expect(text).toContain('有效期至：2025年6月12日');
    expect(text).toContain('电子印章：泰安市社会保险事业中心');
    expect(text).toContain('核验码：K7QF3M9XA2PDR5TZ');
    expect(text).toContain('缴费明细');
    expect(text).toContain('企业职工基本养老保险');
  });

  it('draws the seal: without it the page differs (the comparison sees the red ring)', async () => {
    const sealed = rasterise(await renderProofPdf(sampleProof)).image;
    const other = rasterise(await renderProofPdf({ ...sampleProof, issuer: '泰安市住房公积金管理中心' })).image;
    expect(differingShare(sealed, decodeGrayPng(rasterise(await renderProofPdf(sampleProof)).png))).toBe(0);
    expect(differingShare(sealed, other)).toBeGreaterThan(0);
  });

  it('refuses a full ID number anywhere on the proof', () => {
    const result = ProofDocumentData.safeParse({ ...sampleProof, fields: [{ label: '公民身份号码', value: '370911199008224029' }] });
    expect(result.success).toBe(false);
  });
});
