import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { AS_ISSUED_MARK } from '../../../central/proofs/licence-pdf.js';
import { startCentralServer } from '../../../central/server.js';
import { ProofDocument, proofContentDigest, type IssuedProof } from '../../../contract/proofs.js';
import type { IdentityCard } from '../../../contract/domain.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { CupsDocumentPrinter } from '../../../drivers/devices/document-printer.js';
import type { SpoolResult } from '../../../drivers/devices/printer-types.js';
import { CatalogService } from '../../../host/services/catalog.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { PrintingService } from '../../../host/services/printing.js';
import { ProofService, proofDocumentData } from '../../../host/services/proofs.js';
import { StaffAlerts } from '../../../host/services/staff-alerts.js';
import { renderProofPdf, sealFromQrText } from '../../../print-templates/proof.js';
import { downsample, inkMismatch, rasterise } from '../../unit/print/gray-image.js';
import { startPrivateCups, type PrivateCups } from '../../support/private-cups.js';
import { proofCentralFetch, seal, socialInsuranceDocument, testSealKey } from '../../support/sealed-proofs.js';

/**
 * A sealed proof through a real spooler: a private cupsd with a cups-pdf queue (as in
 * cups-spooler.integration.test.ts), fed by the host's ProofService. What comes out of cups-pdf is
 * rasterised and its QR decoded: the verification URL and the seal (SM3 digest, SM2 signature) read back
 * from the paper verify under central's public key. Paper out is a disabled queue (the spooler's view of
 * a printer that cannot print); re-enabling it prints the kept proof once. An e-licence central issues as a
 * signed PDF (a real central, SQLite) reaches the spooler byte for byte and comes out as central's page.
 */
const queue = 'KioskProofs';
const key = testSealKey();
const idNumber = '37091119900822402' + gb11643CheckChar('37091119900822402');
const identity: IdentityCard = { cardType: 'resident', name: '张三', sex: 'male', birthDate: '1990-08-22', idNumber, validFrom: '2015-01-01', validTo: '2035-01-01', expired: false, hasPhoto: true };
let cups: PrivateCups;

beforeAll(async () => {
  cups = await startPrivateCups(queue);
});

afterAll(async () => {
  await cups?.stop();
});

function build() {
  const directory = mkdtempSync(join(tmpdir(), 'proof-host-'));
  const log = createLogger({ dataDir: null });
  const document = socialInsuranceDocument(idNumber);
  const proof = seal(document, key);
  const central = proofCentralFetch({ issue: () => ({ outcome: 'issued', proof }) });
  const client = new CentralClient({ baseUrl: 'http://central.test', key: { keyId: 'TA-1', secret: 's'.repeat(32) }, timeoutMs: 2_000, fetch: central.fetch });
  const printer = new CupsDocumentPrinter({ id: 'document-printer', queue, cupsServer: cups.socket });
  const alerts = new StaffAlerts({ emit: () => undefined });
  const printing = new PrintingService({ dataDir: directory, receiptPrinter: null, documentPrinter: printer, log, onNotPrinted: (entry, reason) => alerts.raise('print-pending', reason, entry.caseReference) });
  const proofs = new ProofService({ client, catalog: new CatalogService({ dataDir: directory, log, client: null, snapshot: loadCatalog }), printing, alerts, log, publicUrl: 'http://central.test', sealPublicKey: key.publicKey });
  return { proofs, printing, printer, proof, alerts, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

// jsQR is CommonJS whose typings declare an ES default export: under NodeNext the default import is the module object.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** The QR on the first page, decoded by jsQR from a 200 dpi (or `dpi`) rendering (as a phone camera would see it). */
function qrOnPaper(pdfFile: string, dpi = 200): string | null {
  // A small QR's modules can alias on Ghostscript's raster at one resolution and not at another (the URL, so
  // the module pattern, changes with every run's port and code: a fresh-clone CI run read nothing at 300 dpi
  // once). A phone reads the paper at whatever resolution it holds it: so does this, finer each time.
  const pdf = readFileSync(pdfFile);
  for (const resolution of [...new Set([dpi, 300, 400, 600])]) {
    const { image } = rasterise(pdf, resolution);
    const rgba = new Uint8ClampedArray(image.width * image.height * 4);
    image.pixels.forEach((level, index) => rgba.set([level, level, level, 255], index * 4));
    const data = jsQR(rgba, image.width, image.height)?.data;
    if (data) return data;
  }
  return null;
}

const hexBytes = (hex: string): number[] => Array.from(Buffer.from(hex, 'hex'));

describe('a sealed proof through CUPS and cups-pdf', () => {
  it('prints the asked copies, and the seal read back from the paper’s QR verifies under central’s key', async () => {
    const { proofs, printing, printer, proof, cleanup } = build();
    try {
      const issued = await proofs.issue(identity, 'social-insurance-payment');
      if (!issued.ok) throw new Error(issued.error.message);
      const printed = await proofs.print(issued.value.ticket, 2);
      expect(printed).toMatchObject({ ok: true, value: { printed: true, copies: 2 } });
      const spoolerJobId = printing.job(printing.journal[0]?.jobId ?? '')?.attempts.at(-1)?.spoolerJobId ?? '';
      expect(await printer.waitForJob(spoolerJobId, 30_000)).toBe('completed');
      const file = await cups.outputOf(spoolerJobId);
      try {
        const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
        expect(info).toMatch(/Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)/);
        // The queue makes no hardware copies (see beforeAll): CUPS's pdftopdf makes them, one page per copy.
        expect(info).toMatch(/Pages:\s+2/);
        const qr = qrOnPaper(file);
        const sealOnPaper = sealFromQrText(qr ?? '');
        expect(sealOnPaper?.url).toBe(`http://central.test/verify/${proof.document.verificationCode}`);
        expect(sealOnPaper?.digest).toBe(proofContentDigest(proof.document));
        expect(smCrypto.sm2.doVerifySignature(hexBytes(sealOnPaper?.digest ?? ''), sealOnPaper?.signature ?? '', key.publicKey, { hash: true, der: false })).toBe(true);
        // The same check fails for a digest of other content: the test can fail.
        expect(smCrypto.sm2.doVerifySignature(hexBytes('00'.repeat(32)), sealOnPaper?.signature ?? '', key.publicKey, { hash: true, der: false })).toBe(false);
      } finally {
        rmSync(file, { force: true });
      }
    } finally {
      cleanup();
    }
  });

  it('keeps the proof while the printer cannot print and prints it once after the refill', async () => {
    const { proofs, printing, printer, alerts, cleanup } = build();
    execFileSync('cupsdisable', ['-r', 'paper out', queue], { env: cups.env });
    try {
      const issued = await proofs.issue(identity, 'social-insurance-payment');
      if (!issued.ok) throw new Error(issued.error.message);
      const kept = await proofs.print(issued.value.ticket, 1);
      expect(kept).toMatchObject({ ok: true, value: { printed: false, fetchUrl: issued.value.verificationUrl } });
      expect(printing.pending()).toHaveLength(1);
      expect(alerts.list().map((alert) => alert.kind)).toEqual(['print-pending']);

      execFileSync('cupsenable', [queue], { env: cups.env });
      // The refill is seen twice (a status poll and the citizen's second tap): one job.
      const [first, second] = await Promise.all([proofs.retryPending(), proofs.print(issued.value.ticket, 1)]);
      expect(first + (second.ok && second.value.printed ? 1 : 0)).toBeGreaterThanOrEqual(1);
      expect(await proofs.retryPending()).toBe(0);
      const attempts = printing.job(printing.journal[0]?.jobId ?? '')?.attempts ?? [];
      const submitted = attempts.filter((attempt) => attempt.outcome === 'submitted');
      expect(submitted).toHaveLength(1);
      const spoolerJobId = submitted[0]?.spoolerJobId ?? '';
      expect(await printer.waitForJob(spoolerJobId, 30_000)).toBe('completed');
      rmSync(await cups.outputOf(spoolerJobId), { force: true });
      expect(printing.pending()).toEqual([]);
    } finally {
      execFileSync('cupsenable', [queue], { env: cups.env });
      cleanup();
    }
  });

  it('prints central’s signed e-licence PDF as issued: the spooler gets central’s bytes with the licence’s text, cups-pdf prints central’s page, not the kiosk template’s', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'proof-as-issued-'));
    const secret = randomBytes(32).toString('hex');
    const central = await startCentralServer({
      dbFile: join(directory, 'central.sqlite'),
      catalog: loadCatalog(),
      terminals: [{ id: 'TA-CUPS-1', secret }],
      proofPopulation: [{ idNumber, name: '张三', sex: 'male', birthDate: '1990-08-22', ethnicity: '汉族', address: '山东省泰安市岱岳区粥店街道龙潭路66号', enterprise: { name: '泰安市张三商贸有限公司', address: '山东省泰安市岱岳区粥店街道龙潭路66号' } }],
      consoleDir: null,
      silentSweepMs: 0,
    });
    /** The kiosk's real CUPS printer, keeping what it is handed: the bytes the spooler gets. */
    class KeepingPrinter extends CupsDocumentPrinter {
      readonly handed: Uint8Array[] = [];
      override async print(pdf: Uint8Array, jobId: string, title: string, copies = 1): Promise<SpoolResult> {
        this.handed.push(pdf);
        return super.print(pdf, jobId, title, copies);
      }
    }
    try {
      const log = createLogger({ dataDir: null });
      const client = new CentralClient({ baseUrl: central.url, key: { keyId: 'TA-CUPS-1', secret, algorithm: 'hmac-sha256' }, timeoutMs: 10_000 });
      const printer = new KeepingPrinter({ id: 'document-printer', queue, cupsServer: cups.socket });
      const alerts = new StaffAlerts({ emit: () => undefined });
      const printing = new PrintingService({ dataDir: directory, receiptPrinter: null, documentPrinter: printer, log, onNotPrinted: () => undefined });
      // No pinned key: the kiosk fetches central's seal key, as a kiosk without one configured does.
      const proofs = new ProofService({ client, catalog: new CatalogService({ dataDir: directory, log, client: null, snapshot: loadCatalog }), printing, alerts, log, publicUrl: central.url });
      const issued = await proofs.issue(identity, 'business-licence-copy');
      if (!issued.ok) throw new Error(issued.error.message);
      expect(issued.value.asIssuedPdf).toBe(true);
      expect(await proofs.print(issued.value.ticket, 1)).toMatchObject({ ok: true, value: { printed: true } });

      // What reached the spooler is central's PDF, byte for byte: its SM3 is the one central sealed.
      const [handed] = printer.handed;
      expect(printer.handed).toHaveLength(1);
      const stored = centralRecordOf(join(directory, 'central.sqlite'), issued.value.verificationCode);
      expect(stored.pdf.length).toBeGreaterThan(1000);
      expect(Buffer.from(handed ?? new Uint8Array()).equals(stored.pdf)).toBe(true);
      expect(createHash('sm3').update(handed ?? new Uint8Array()).digest('hex')).toBe(stored.pdfSm3);

      // The bytes handed over carry the licence's own text (central's layout), none of the kiosk template's.
      const issuedText = execFileSync('pdftotext', ['-layout', '-', '-'], { input: handed, encoding: 'utf8' }).replace(/\s+/g, '');
      for (const line of ['营业执照', '泰安市张三商贸有限公司', '统一社会信用代码', '经营范围', AS_ISSUED_MARK, `核验码：${issued.value.verificationCode}`]) expect(issuedText).toContain(line);
      expect(issuedText).not.toContain('现将相关信息证明如下');

      const spoolerJobId = printing.job(printing.journal[0]?.jobId ?? '')?.attempts.at(-1)?.spoolerJobId ?? '';
      expect(await printer.waitForJob(spoolerJobId, 30_000)).toBe('completed');
      const file = await cups.outputOf(spoolerJobId);
      try {
        // cups-pdf's PDF (CUPS's pdftops, then Ghostscript) draws CJK glyphs as outlines, so pdftotext reads nothing
        // from it, for the kiosk's own proofs as well. What came out is compared as a page instead: it is central's
        // page (the same raster), not the page the kiosk's template makes of the same sealed content.
        // Ghostscript re-draws glyph edges: compare 4 × 4 blocks with ink, as cups-spooler.integration.test.ts does.
        const page = (pdf: Uint8Array) => downsample(rasterise(pdf).image, 4);
        const paper = page(readFileSync(file));
        const reRendered = await renderProofPdf(proofDocumentData(stored.proof, `${central.url}/verify/${issued.value.verificationCode}`));
        const mismatch = { asIssued: inkMismatch(paper, page(handed ?? new Uint8Array())), kioskTemplate: inkMismatch(paper, page(reRendered)) };
        expect(mismatch.asIssued, JSON.stringify(mismatch)).toBeLessThanOrEqual(0.05);
        expect(mismatch.kioskTemplate, JSON.stringify(mismatch)).toBeGreaterThan(0.25);
        // The QR on the paper is central's: the plain verification URL. The kiosk's template adds the seal (#seal=…).
        // (300 dpi: at 200 its small QR's modules alias on Ghostscript's edges and jsQR misses it; 100 to 300 all read it.)
        expect(qrOnPaper(file, 300)).toBe(`${central.url}/verify/${issued.value.verificationCode}`);
      } finally {
        rmSync(file, { force: true });
      }
    } finally {
      await central.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** What central stored for a verification code (its SQLite file, read-only): the sealed proof, its pdfSm3 and the PDF's bytes. */
function centralRecordOf(dbFile: string, code: string): { pdfSm3: string | undefined; pdf: Buffer; proof: IssuedProof } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db.prepare('SELECT document, digest, seal_key_id, signature, pdf FROM issued_proofs WHERE verification_code = ?').get(code) as
      | { document: string; digest: string; seal_key_id: string; signature: string; pdf: string | null }
      | undefined;
    if (!row) throw new Error(`central holds no document ${code}`);
    const document = ProofDocument.parse(JSON.parse(row.document));
    const proof: IssuedProof = { document, digest: row.digest, seal: { algorithm: 'sm2-sm3', sealName: '泰安市政务服务中心电子印章', keyId: row.seal_key_id, signature: row.signature }, copies: 1 };
    return { pdfSm3: document.pdfSm3, pdf: Buffer.from(row.pdf ?? '', 'base64'), proof };
  } finally {
    db.close();
  }
}
