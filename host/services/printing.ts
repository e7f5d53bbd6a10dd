import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrinterAssignment } from '../../contract/staff.js';
import { validCopies, type DocumentPrinter, type ReceiptPrinter } from '../../drivers/devices/printer-types.js';
import { renderCertificatePdf, type CertificateData } from '../../print-templates/certificate.js';
import { InMemoryPrintJournalStore, PrintJournal, type AttemptOutcome, type PrintJournalEntry, type PrintJournalStore } from '../../print-templates/journal.js';
import type { EscPosOptions, PaperWidth } from '../../print-templates/escpos.js';
import { renderReceiptEscPos, renderReceiptPdf, type ReceiptData } from '../../print-templates/receipt.js';
import { renderTestPageEscPos, renderTestPagePdf, type TestPageData } from '../../print-templates/test-page.js';
import type { Logger } from './log.js';

export interface PrintOutcome {
  jobId: string;
  printed: boolean;
  /** Plain Chinese when not printed: why, and what to do instead. */
  notice?: string;
}

/** One attempt at one printer, as the journal records it plus the citizen's message. */
/** One line per job with its latest attempt: a flat view of the journal for diagnostics and tests. */
export interface JournalEntry {
  jobId: string;
  document: PrintJournalEntry['document'];
  /** Local number for receipts; what the caller gave for other documents (the case number). */
  caseRef: string;
  printer: string;
  status: 'printed' | 'not-printed' | 'dismissed';
  reason?: string;
  at: string;
}

interface Attempt {
  attempt: AttemptOutcome;
  notice?: string;
}

const NO_RECEIPT_PRINTER = '本机未配置打印机。请扫描屏幕上的二维码保存回执，或到窗口打印。';
const NO_DOCUMENT_PRINTER = '本机未配置文书打印机，结果已生成电子证照，可在“爱山东”App 查看，或到窗口打印。';

/**
 * Prints what a session produces, and keeps what did not print.
 *
 * - Receipts go to the printer the technician assigned (the ESC/POS roll printer by default; the A4
 *   printer when the roll printer is broken). The roll printer's paper is checked before anything is
 *   sent (EscPosReceiptPrinter.print), so a receipt never comes out after the citizen has left.
 * - Every job is opened in the print journal before it is sent and each attempt is recorded, so a job
 *   that did not print stays pending (across restarts: the host backs the journal with SQLite) until
 *   staff reprint or dismiss it; `onNotPrinted` raises the staff alert.
 * - Receipts are journalled under the local number: it exists from the first moment, is printed on
 *   every receipt, and finds the outbox record a reprint is rendered from. The journal holds no
 *   personal data; PDFs go to a per-session spool folder that the session's end empties.
 */
export class PrintingService {
  private readonly spoolDir: string;
  private readonly store: PrintJournalStore;
  private readonly printJournal: PrintJournal;
  private assignment: PrinterAssignment;

  constructor(
    private readonly options: {
      dataDir: string;
      receiptPrinter: ReceiptPrinter | null;
      documentPrinter: DocumentPrinter | null;
      log: Logger;
      journalStore?: PrintJournalStore;
      assignment?: PrinterAssignment | null;
      /** Width of the receipt printer's roll (devices.receiptPrinter.paperWidth); default 80 mm. */
      receiptPaper?: PaperWidth;
      /** A job was kept because it did not print: staff must be told. */
      onNotPrinted?: (entry: PrintJournalEntry, reason: string) => void;
    },
  ) {
    this.spoolDir = join(options.dataDir, 'spool');
    mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
    this.wipeSpool();
    this.store = options.journalStore ?? new InMemoryPrintJournalStore();
    this.printJournal = new PrintJournal(this.store);
    this.assignment = options.assignment ?? { receipts: options.receiptPrinter ? 'receipt-printer' : 'document-printer', documents: 'document-printer' };
  }

  /**
   * Parses the print fonts and renders a throw-away receipt (PDF and ESC/POS, sent nowhere), so that the
   * first citizen's receipt after a start does not pay for it (about 700 ms on a hall PC). No personal data.
   */
  async warmUp(): Promise<void> {
    const sample: ReceiptData = {
      hallName: '泰安市政务服务中心',
      terminalId: 'WARM-UP',
      caseNumber: null,
      localNumber: 'WARM-UP-0000',
      serviceName: '新生儿出生“一件事”',
      applicantName: '张*',
      applicantIdMasked: '370***********0000',
      submittedAt: new Date().toISOString(),
      materials: [{ name: '出生医学证明', supply: 'e-licence' }],
      promisedLimitDays: 3,
      progressQr: 'https://zwfw.taian.gov.cn/q/WARM-UP',
      offline: true,
      statusLine: '已保存待提交，网络恢复后自动提交审批。',
    };
    await renderReceiptPdf(sample);
    renderReceiptEscPos(sample, this.escPos());
  }

  private escPos(): EscPosOptions {
    return { paper: this.options.receiptPaper ?? '80mm' };
  }

  /** The session ended: nothing it printed stays on disk (剩余信息保护). */
  wipeSpool(): void {
    for (const file of readdirSync(this.spoolDir)) rmSync(join(this.spoolDir, file), { force: true });
  }

  getAssignment(): PrinterAssignment {
    return { ...this.assignment };
  }

  assign(assignment: PrinterAssignment): void {
    this.assignment = { ...assignment };
  }

  /** Every job in creation order, with its latest attempt. */
  get journal(): JournalEntry[] {
    return this.store.list().map((entry) => {
      const last = entry.attempts.at(-1);
      return {
        jobId: entry.jobId,
        document: entry.document,
        caseRef: entry.caseReference,
        printer: last?.printerId ?? 'none',
        status: entry.state === 'pending' ? 'not-printed' : entry.state,
        ...(entry.state === 'pending' && last?.reason ? { reason: last.reason } : {}),
        at: last?.at ?? entry.createdAt,
      };
    });
  }

  job(jobId: string): PrintJournalEntry | undefined {
    return this.printJournal.get(jobId);
  }

  /** The citizen took the QR instead: the job leaves the pending list and stays in the journal. */
  dismiss(jobId: string): boolean {
    return this.printJournal.dismiss(jobId).ok;
  }

  /** Jobs waiting for 补打, oldest first. */
  pending(): PrintJournalEntry[] {
    return this.printJournal.pending();
  }

  async printReceipt(data: ReceiptData): Promise<PrintOutcome & { pdfFile: string }> {
    const jobId = randomUUID();
    this.printJournal.open(jobId, 'receipt', data.localNumber);
    const { pdf, pdfFile } = await this.spoolReceipt(jobId, data);
    const result = await this.sendReceipt(jobId, data, pdf);
    this.record(jobId, result);
    return { jobId, printed: isPrinted(result), ...(result.notice ? { notice: result.notice } : {}), pdfFile };
  }

  /**
   * Staff 补打: the receipt rendered again (from the outbox record, by the caller) on the assigned
   * printer; the attempt is recorded on the same job with the staff number. A job that printed meanwhile
   * is refused unless `copy` (a duplicate at the citizen's request).
   */
  async reprintReceipt(jobId: string, data: ReceiptData, staffId: string, copy = false): Promise<{ printed: boolean; notice?: string; code?: 'unknown-job' | 'already-printed' | 'duplicate-job' }> {
    const reprintable = this.printJournal.reprintable(jobId, copy);
    if (!reprintable.ok) return { printed: false, code: reprintable.code };
    // No spool file: staff mode has no citizen session whose end would wipe it.
    const result = await this.sendReceipt(jobId, data, await renderReceiptPdf(data));
    this.record(jobId, { ...result, attempt: { ...result.attempt, staffId } });
    return { printed: isPrinted(result), ...(result.notice ? { notice: result.notice } : {}) };
  }

  async printCertificate(data: CertificateData, caseRef: string): Promise<PrintOutcome> {
    const jobId = randomUUID();
    this.printJournal.open(jobId, 'certificate', caseRef);
    const pdf = await renderCertificatePdf(data);
    writeFileSync(join(this.spoolDir, `${jobId}-certificate.pdf`), pdf, { mode: 0o600 });
    const printer = this.assignment.documents === 'document-printer' ? this.options.documentPrinter : null;
    const result: Attempt = printer
      ? spoolAttempt(await printer.print(pdf, jobId, data.title ?? '办理结果'), printer.id)
      : { attempt: { printerId: 'none', outcome: 'not-ready', reason: 'no-device' }, notice: NO_DOCUMENT_PRINTER };
    this.record(jobId, result);
    return { jobId, printed: isPrinted(result), ...(result.notice ? { notice: result.notice } : {}) };
  }

  /**
   * A sealed document as issued (查询打印: a proof central signed and the host verified), `copies` copies in
   * one spooler job on the document printer. Journalled under `reference` (the verification code: no
   * personal data) before it is sent, so a job the printer could not take stays pending and `onNotPrinted`
   * raises the staff alert. Nothing is re-rendered: `pdf` goes to the spooler byte for byte.
   */
  async printSealed(pdf: Uint8Array, reference: string, title: string, copies: number): Promise<PrintOutcome & { reason?: string }> {
    if (!validCopies(copies)) throw new RangeError(`copies out of range: ${copies}`);
    const jobId = randomUUID();
    this.printJournal.open(jobId, 'proof', reference);
    return { jobId, ...(await this.sendSealed(jobId, pdf, title, copies)) };
  }

  /**
   * Prints a kept sealed job once more (the printer is back: paper refilled). Only a job still pending is
   * sent, and it is marked printed before anything else can ask, so a refill seen twice prints it once.
   */
  async retrySealed(jobId: string, pdf: Uint8Array, title: string, copies: number): Promise<{ printed: boolean; notice?: string; reason?: string; code?: 'unknown-job' | 'already-printed' | 'duplicate-job' | 'in-flight' }> {
    if (this.sealedInFlight.has(jobId)) return { printed: false, code: 'in-flight' };
    const reprintable = this.printJournal.reprintable(jobId);
    if (!reprintable.ok) return { printed: false, code: reprintable.code };
    return this.sendSealed(jobId, pdf, title, copies);
  }

  private readonly sealedInFlight = new Set<string>();

  private async sendSealed(jobId: string, pdf: Uint8Array, title: string, copies: number): Promise<{ printed: boolean; notice?: string; reason?: string }> {
    this.sealedInFlight.add(jobId);
    try {
      const printer = this.assignment.documents === 'document-printer' ? this.options.documentPrinter : null;
      const result: Attempt = printer
        ? spoolAttempt(await printer.print(pdf, jobId, title, copies), printer.id)
        : { attempt: { printerId: 'none', outcome: 'not-ready', reason: 'no-device' }, notice: NO_DOCUMENT_PRINTER };
      this.record(jobId, result);
      return { printed: isPrinted(result), ...(result.notice ? { notice: result.notice } : {}), ...(result.attempt.reason ? { reason: result.attempt.reason } : {}) };
    } finally {
      this.sealedInFlight.delete(jobId);
    }
  }

  /** 打印测试页 on one printer; not journalled (no case), the caller audits it. */
  async printTestPage(printerId: 'receipt-printer' | 'document-printer', data: TestPageData): Promise<{ printed: boolean; reason?: string; message: string }> {
    const jobId = randomUUID();
    let attempt: Attempt;
    if (printerId === 'receipt-printer') {
      const printer = this.options.receiptPrinter;
      if (!printer) return { printed: false, reason: 'no-device', message: '本机没有配置凭条打印机' };
      attempt = receiptAttempt(await printer.print(renderTestPageEscPos(data, this.escPos()), jobId), printer.id);
    } else {
      const printer = this.options.documentPrinter;
      if (!printer) return { printed: false, reason: 'no-device', message: '本机没有配置文书（A4）打印机' };
      attempt = spoolAttempt(await printer.print(await renderTestPagePdf(data), jobId, '打印测试页'), printer.id);
    }
    this.options.log.log(isPrinted(attempt) ? 'info' : 'warn', 'print.test-page', { printer: printerId, outcome: attempt.attempt.outcome, reason: attempt.attempt.reason });
    return isPrinted(attempt)
      ? { printed: true, message: printerId === 'receipt-printer' ? '测试页已打印，请检查字迹、二维码和切纸' : '测试页已送到打印队列，请到打印机取纸检查' }
      : { printed: false, ...(attempt.attempt.reason ? { reason: attempt.attempt.reason } : {}), message: attempt.notice ?? '测试页没有打印出来' };
  }

  private async spoolReceipt(jobId: string, data: ReceiptData): Promise<{ pdf: Buffer; pdfFile: string }> {
    const pdf = await renderReceiptPdf(data);
    const pdfFile = join(this.spoolDir, `${jobId}-receipt.pdf`);
    writeFileSync(pdfFile, pdf, { mode: 0o600 });
    return { pdf, pdfFile };
  }

  private async sendReceipt(jobId: string, data: ReceiptData, pdf: Buffer): Promise<Attempt> {
    const { receiptPrinter, documentPrinter } = this.options;
    if (this.assignment.receipts === 'receipt-printer' && receiptPrinter) {
      return receiptAttempt(await receiptPrinter.print(renderReceiptEscPos(data, this.escPos()), jobId), receiptPrinter.id);
    }
    if (this.assignment.receipts === 'document-printer' && documentPrinter) {
      return spoolAttempt(await documentPrinter.print(pdf, jobId, '受理回执'), documentPrinter.id);
    }
    return { attempt: { printerId: 'none', outcome: 'not-ready', reason: 'no-device' }, notice: NO_RECEIPT_PRINTER };
  }

  private record(jobId: string, { attempt }: Attempt): void {
    const recorded = this.printJournal.record(jobId, attempt);
    const entry = recorded.ok ? recorded.value : null;
    this.options.log.log(isPrinted({ attempt }) ? 'info' : 'warn', 'print.job', {
      jobId,
      document: entry?.document,
      caseRef: entry?.caseReference,
      printer: attempt.printerId,
      outcome: attempt.outcome,
      reason: attempt.reason,
      reprintedBy: attempt.staffId,
    });
    if (entry && entry.state === 'pending') this.options.onNotPrinted?.(entry, attempt.reason ?? attempt.outcome);
  }
}

function isPrinted({ attempt }: Attempt): boolean {
  return attempt.outcome === 'printed' || attempt.outcome === 'submitted';
}

function receiptAttempt(result: Awaited<ReturnType<ReceiptPrinter['print']>>, printerId: string): Attempt {
  if (result.outcome === 'printed') return { attempt: { printerId, outcome: 'printed' } };
  return { attempt: { printerId, outcome: result.outcome, reason: result.reason }, notice: result.message };
}

function spoolAttempt(result: Awaited<ReturnType<DocumentPrinter['print']>>, printerId: string): Attempt {
  if (result.outcome === 'submitted') return { attempt: { printerId, outcome: 'submitted', spoolerJobId: result.spoolerJobId } };
  return { attempt: { printerId, outcome: result.outcome, reason: result.reason }, notice: result.message };
}
