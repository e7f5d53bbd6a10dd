import type { DocumentPrinter } from '../../drivers/devices/printer-types.js';
import type { KioskConfig } from '../config.js';
import type { CatalogService } from './catalog.js';
import type { CentralClient } from './central-client.js';
import type { Logger } from './log.js';
import type { PrintingService } from './printing.js';
import { ProofService } from './proofs.js';
import type { SessionService } from './session.js';
import type { StaffAlerts } from './staff-alerts.js';

/**
 * Builds the 查询打印 service for host/main.ts and ties it to the session and the document printer: the
 * session's end wipes its proofs; the printer coming back online (paper refilled, queue re-enabled) prints
 * the proofs kept after a failed attempt, once each (the journal refuses a job already printed).
 */
export function createProofService(parts: {
  config: KioskConfig;
  client: CentralClient;
  catalog: CatalogService;
  printing: PrintingService;
  alerts: StaffAlerts;
  log: Logger;
  documentPrinter: DocumentPrinter | null;
  session: SessionService;
}): ProofService {
  const proofs = new ProofService({
    client: parts.client,
    catalog: parts.catalog,
    printing: parts.printing,
    alerts: parts.alerts,
    log: parts.log,
    publicUrl: parts.config.central.url,
    sealPublicKey: parts.config.central.sealPublicKey ?? null,
  });
  parts.session.onWipe(() => proofs.wipe());
  parts.documentPrinter?.on('status', (status) => {
    if (status.state !== 'online') return;
    void proofs.retryPending().catch((error: unknown) => parts.log.log('warn', 'proof.retry-failed', { error: error instanceof Error ? error.message : 'unknown' }));
  });
  return proofs;
}
