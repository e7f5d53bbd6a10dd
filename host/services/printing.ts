import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentPrinter, ReceiptPrinter } from '../../drivers/devices/printer-types.js';
import { renderCertificatePdf, type CertificateData } from '../../print-templates/certificate.js';
import { renderReceiptEscPos, renderReceiptPdf, type ReceiptData } from '../../print-templates/receipt.js';
import type { Logger } from './log.js';

export interface PrintOutcome {
  jobId: string;
  printed: boolean;
  /** Plain Chinese when not printed: why, and what to do instead. */
  notice?: string;
}

export interface JournalEntry {
  jobId: string;
  document: 'receipt' | 'certificate';
  /** Case or local number: the only reference kept; no personal data. */
  caseRef: string;
  printer: string;
  status: 'printed' | 'not-printed';
  reason?: string;
  at: string;
}

/**
 * Prints what a session produces. The receipt goes to the ESC/POS printer when there is one (its
 * paper is checked first: a receipt must never come out after the citizen has left), otherwise to the
 * document printer; PDFs are rendered into a per-session spool folder that the session's end empties.
 * The journal keeps only job id, document kind, case reference and outcome, so staff can reprint
 * from the outbox record without any personal data in the journal.
 */
export class PrintingService {
  private readonly spoolDir: string;
  readonly journal: JournalEntry[] = [];

  constructor(
    private readonly options: {
      dataDir: string;
      receiptPrinter: ReceiptPrinter | null;
      documentPrinter: DocumentPrinter | null;
      log: Logger;
      onJournal?: (entry: JournalEntry) => void;
    },
  ) {
    this.spoolDir = join(options.dataDir, 'spool');
    mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
    this.wipeSpool();
  }

  /** The session ended: nothing it printed stays on disk (剩余信息保护). */
  wipeSpool(): void {
    for (const file of readdirSync(this.spoolDir)) rmSync(join(this.spoolDir, file), { force: true });
  }

  private record(entry: Omit<JournalEntry, 'at'>): void {
    const full = { ...entry, at: new Date().toISOString() };
    this.journal.push(full);
    this.options.onJournal?.(full);
    this.options.log.log(entry.status === 'printed' ? 'info' : 'warn', 'print.job', { ...full });
  }

  async printReceipt(data: ReceiptData): Promise<PrintOutcome & { pdfFile: string }> {
    const jobId = randomUUID();
    const caseRef = data.caseNumber ?? data.localNumber;
    const pdf = await renderReceiptPdf(data);
    const pdfFile = join(this.spoolDir, `${jobId}-receipt.pdf`);
    writeFileSync(pdfFile, pdf, { mode: 0o600 });
    const { receiptPrinter, documentPrinter } = this.options;
    if (receiptPrinter) {
      const result = await receiptPrinter.print(renderReceiptEscPos(data), jobId);
      if (result.outcome === 'printed') {
        this.record({ jobId, document: 'receipt', caseRef, printer: receiptPrinter.id, status: 'printed' });
        return { jobId, printed: true, pdfFile };
      }
      this.record({ jobId, document: 'receipt', caseRef, printer: receiptPrinter.id, status: 'not-printed', reason: result.reason });
      return { jobId, printed: false, notice: result.message, pdfFile };
    }
    if (documentPrinter) {
      const result = await documentPrinter.print(pdf, jobId, '受理回执');
      const printed = result.outcome === 'submitted';
      this.record({ jobId, document: 'receipt', caseRef, printer: documentPrinter.id, status: printed ? 'printed' : 'not-printed', ...(printed ? {} : { reason: result.reason }) });
      return printed ? { jobId, printed, pdfFile } : { jobId, printed, notice: result.message, pdfFile };
    }
    this.record({ jobId, document: 'receipt', caseRef, printer: 'none', status: 'not-printed', reason: 'no-device' });
    return { jobId, printed: false, notice: '本机未配置打印机。请扫描屏幕上的二维码保存回执，或到窗口打印。', pdfFile };
  }

  async printCertificate(data: CertificateData, caseRef: string): Promise<PrintOutcome> {
    const jobId = randomUUID();
    const pdf = await renderCertificatePdf(data);
    writeFileSync(join(this.spoolDir, `${jobId}-certificate.pdf`), pdf, { mode: 0o600 });
    const printer = this.options.documentPrinter;
    if (!printer) {
      this.record({ jobId, document: 'certificate', caseRef, printer: 'none', status: 'not-printed', reason: 'no-device' });
      return { jobId, printed: false, notice: '本机未配置文书打印机，结果已生成电子证照，可在“爱山东”App 查看，或到窗口打印。' };
    }
    const result = await printer.print(pdf, jobId, data.title ?? '办理结果');
    const printed = result.outcome === 'submitted';
    this.record({ jobId, document: 'certificate', caseRef, printer: printer.id, status: printed ? 'printed' : 'not-printed', ...(printed ? {} : { reason: result.reason }) });
    return printed ? { jobId, printed } : { jobId, printed, notice: result.message };
  }
}
