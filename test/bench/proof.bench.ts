import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../catalog/load.js';
import type { IdentityCard } from '../../contract/domain.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';
import { CupsDocumentPrinter } from '../../drivers/devices/document-printer.js';
import { CatalogService } from '../../host/services/catalog.js';
import { CentralClient } from '../../host/services/central-client.js';
import { createLogger } from '../../host/services/log.js';
import { PrintingService } from '../../host/services/printing.js';
import { ProofService } from '../../host/services/proofs.js';
import { StaffAlerts } from '../../host/services/staff-alerts.js';
import { loadFonts } from '../../print-templates/fonts.js';
import { renderCertificatePdf } from '../../print-templates/certificate.js';
import { renderProofPdf } from '../../print-templates/proof.js';
import { startPrivateCups } from '../support/private-cups.js';
import { proofCentralFetch, seal, socialInsuranceDocument, testSealKey } from '../support/sealed-proofs.js';
import { sampleCertificate, sampleProof } from '../unit/print/sample-data.js';
import { type Figures, median, round } from './figures.js';

/**
 * 查询打印 figures (issue 15):
 * - `proof.render_warm_ms`: one A4 proof with its seal, watermark, table and QR, warm (goal ≤ 15 ms);
 * - `proof.tap_to_paper_ms`: from the host taking 打印 (`ProofService.print`, what the `proof:print`
 *   channel calls) to the job accepted by a real CUPS (lp's request id), median of 15 (goal < 1,500 ms).
 *   It includes the readiness check (lpstat) and lp; the bridge hop before it is a few ms (see ux.bench).
 */
export default async function (): Promise<Figures> {
  loadFonts();
  for (let warmup = 0; warmup < 5; warmup += 1) await renderProofPdf(sampleProof);
  const renders: number[] = [];
  const certificates: number[] = [];
  // Interleaved with the 秒批 certificate, so the ratio holds on a machine busy with other work.
  for (let run = 0; run < 50; run += 1) {
    let start = performance.now();
    await renderProofPdf(sampleProof);
    renders.push(performance.now() - start);
    start = performance.now();
    await renderCertificatePdf(sampleCertificate);
    certificates.push(performance.now() - start);
  }

  const cups = await startPrivateCups('BenchProofs');
  const directory = mkdtempSync(join(tmpdir(), 'proof-bench-'));
  const taps: number[] = [];
  try {
    const key = testSealKey();
    const idNumber = '37091119900822402' + gb11643CheckChar('37091119900822402');
    const identity: IdentityCard = { cardType: 'resident', name: '张三', sex: 'male', birthDate: '1990-08-22', idNumber, validFrom: '2015-01-01', validTo: '2035-01-01', expired: false, hasPhoto: true };
    const log = createLogger({ dataDir: null });
    const central = proofCentralFetch({ issue: () => ({ outcome: 'issued', proof: seal(socialInsuranceDocument(idNumber), key) }) });
    const client = new CentralClient({ baseUrl: 'http://central.test', key: { keyId: 'TA-1', secret: 's'.repeat(32) }, timeoutMs: 2_000, fetch: central.fetch });
    const printing = new PrintingService({ dataDir: directory, receiptPrinter: null, documentPrinter: new CupsDocumentPrinter({ id: 'document-printer', queue: cups.queue, cupsServer: cups.socket }), log });
    const alerts = new StaffAlerts({ emit: () => undefined });
    const proofs = new ProofService({ client, catalog: new CatalogService({ dataDir: directory, log, client: null, snapshot: loadCatalog }), printing, alerts, log, publicUrl: 'http://central.test', sealPublicKey: key.publicKey });
    for (let run = 0; run < 15; run += 1) {
      const issued = await proofs.issue(identity, 'social-insurance-payment');
      if (!issued.ok) throw new Error(issued.error.message);
      const start = performance.now();
      const printed = await proofs.print(issued.value.ticket, 1);
      taps.push(performance.now() - start);
      if (!printed.ok || !printed.value.printed) throw new Error('the bench proof did not reach the spooler');
      // Nothing left in cups-pdf's folder (shared with the spooler tests, which find their files by job number).
      const spoolerJobId = printing.job(printing.journal.at(-1)?.jobId ?? '')?.attempts.at(-1)?.spoolerJobId;
      if (spoolerJobId) rmSync(await cups.outputOf(spoolerJobId), { force: true });
    }
  } finally {
    await cups.stop();
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    'proof.render_warm_ms': { value: round(median(renders)), unit: 'ms' },
    'proof.render_warm_vs_certificate': { value: round(median(renders) / median(certificates), 2), unit: 'x' },
    'proof.tap_to_paper_ms': { value: round(median(taps)), unit: 'ms' },
  };
}
