import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../../print-templates/certificate.js';
import { onMissingGlyph, type MissingGlyphReport } from '../../../print-templates/fonts.js';
import { renderReceiptPdf } from '../../../print-templates/receipt.js';
import { sampleCertificate, sampleReceipt } from './sample-data.js';

/** Text and fonts of a PDF as poppler reads them (pdftotext, pdffonts): a reader that is not pdfkit. */
function poppler(pdf: Buffer): { text: string; fonts: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-fonts-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return { text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }), fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PDF characters the main font lacks', () => {
  const reports: MissingGlyphReport[] = [];
  const unsubscribe = onMissingGlyph((report) => reports.push(report));
  afterEach(() => {
    reports.length = 0;
  });

  it('draws 王𠮷 on a decision from a fallback font that has 𠮷 (regression: printed as 王⊠, nothing logged)', async () => {
    const { text, fonts } = poppler(await renderCertificatePdf({ ...sampleCertificate, holderName: '王𠮷' }));
    expect(text).toContain('王𠮷：');
    expect(fonts).toMatch(/NotoSansSC-Regular/);
    expect(fonts).toMatch(/NotoSansJP-Regular/);
    expect(reports).toEqual([]);
  });

  it('reaches the HKSCS characters of Noto Sans HK too', async () => {
    const { text, fonts } = poppler(await renderCertificatePdf({ ...sampleCertificate, holderName: '陈𠀾' }));
    expect(text).toContain('陈𠀾');
    expect(fonts).toMatch(/NotoSansHK-Regular/);
  });

  it('embeds only the main font when no fallback is needed', async () => {
    const { fonts } = poppler(await renderReceiptPdf(sampleReceipt));
    expect(fonts).toMatch(/NotoSansSC-Regular/);
    expect(fonts).not.toMatch(/NotoSansJP|NotoSansHK/);
  });

  it('reports a character no font has, by its Unicode block and never the character itself, and still draws the rest', async () => {
    const { text } = poppler(await renderCertificatePdf({ ...sampleCertificate, holderName: '李\u{31350}' }));
    expect(text).toContain('李');
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]).toEqual({ block: 'CJK Unified Ideographs Extension H', target: 'pdf' });
    expect(JSON.stringify(reports)).not.toContain('\u{31350}');
  });

  it('stops reporting to a listener that unsubscribed', async () => {
    unsubscribe();
    await renderCertificatePdf({ ...sampleCertificate, holderName: '李\u{31350}' });
    expect(reports).toEqual([]);
  });
});
