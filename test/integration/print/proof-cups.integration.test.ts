import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { proofContentDigest } from '../../../contract/proofs.js';
import type { IdentityCard } from '../../../contract/domain.js';
import { gb11643CheckChar } from '../../../contract/validators/gb11643.js';
import { CupsDocumentPrinter } from '../../../drivers/devices/document-printer.js';
import { CatalogService } from '../../../host/services/catalog.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { createLogger } from '../../../host/services/log.js';
import { PrintingService } from '../../../host/services/printing.js';
import { ProofService } from '../../../host/services/proofs.js';
import { StaffAlerts } from '../../../host/services/staff-alerts.js';
import { sealFromQrText } from '../../../print-templates/proof.js';
import { rasterise } from '../../unit/print/gray-image.js';
import { startPrivateCups, type PrivateCups } from '../../support/private-cups.js';
import { proofCentralFetch, seal, socialInsuranceDocument, testSealKey } from '../../support/sealed-proofs.js';

/**
 * A sealed proof through a real spooler: a private cupsd with a cups-pdf queue (as in
 * cups-spooler.integration.test.ts), fed by the host's ProofService. What comes out of cups-pdf is
 * rasterised and its QR decoded: the verification URL and the seal (SM3 digest, SM2 signature) read back
 * from the paper verify under central's public key. Paper out is a disabled queue (the spooler's view of
 * a printer that cannot print); re-enabling it prints the kept proof once.
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

/** The QR on the first page, decoded by jsQR from a 200 dpi rendering (as a phone camera would see it). */
function qrOnPaper(pdfFile: string): string | null {
  const { image } = rasterise(readFileSync(pdfFile), 200);
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  image.pixels.forEach((level, index) => rgba.set([level, level, level, 255], index * 4));
  return jsQR(rgba, image.width, image.height)?.data ?? null;
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
});
