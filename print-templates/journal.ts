import { z } from 'zod';

/**
 * The print journal: what was printed, when, on which printer, with what outcome. It holds no personal
 * data: a document is identified by its kind and case/local number only, and the bytes to reprint are
 * rendered again from the outbox record when staff reprint.
 *
 * "Kept and reprintable": a job that did not print (paper out, cover open, spooler refused) stays
 * `pending`; staff see it in the pending list and reprint it, which records a new attempt on the same
 * entry. Nothing leaves the pending list except a successful print or an explicit staff dismissal.
 */

export const PrintDocumentKind = z.enum(['receipt', 'certificate', 'commitment', 'acceptance-notice', 'rejection-notice', 'test-page', 'proof']);
export type PrintDocumentKind = z.infer<typeof PrintDocumentKind>;

export const PrintJobState = z.enum(['pending', 'printed', 'dismissed']);
export type PrintJobState = z.infer<typeof PrintJobState>;

export const PrintAttempt = z.object({
  at: z.string(),
  printerId: z.string(),
  /** printed | submitted (spooler) | not-ready | failed */
  outcome: z.enum(['printed', 'submitted', 'not-ready', 'failed']),
  /** Reason code when not printed (`paper-out`, `cover-open` …). */
  reason: z.string().optional(),
  /** Spooler job id for document printers. */
  spoolerJobId: z.string().optional(),
  /** Staff member who reprinted, when it was a reprint. */
  staffId: z.string().optional(),
});
export type PrintAttempt = z.infer<typeof PrintAttempt>;

export const PrintJournalEntry = z.object({
  jobId: z.string(),
  document: PrintDocumentKind,
  /** Case number, or the local number while offline: the only reference to the citizen's case. */
  caseReference: z.string(),
  createdAt: z.string(),
  state: PrintJobState,
  attempts: z.array(PrintAttempt),
});
export type PrintJournalEntry = z.infer<typeof PrintJournalEntry>;

/** Where entries live: in memory for tests and demo, SQLite in the host. Writes replace the whole entry. */
export interface PrintJournalStore {
  get(jobId: string): PrintJournalEntry | undefined;
  put(entry: PrintJournalEntry): void;
  /** Entries in creation order. */
  list(): PrintJournalEntry[];
}

export class InMemoryPrintJournalStore implements PrintJournalStore {
  private readonly entries = new Map<string, PrintJournalEntry>();
  get(jobId: string): PrintJournalEntry | undefined {
    const entry = this.entries.get(jobId);
    return entry && structuredClone(entry);
  }
  put(entry: PrintJournalEntry): void {
    this.entries.set(entry.jobId, structuredClone(entry));
  }
  list(): PrintJournalEntry[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }
}

export type AttemptOutcome = Omit<PrintAttempt, 'at'>;

export type JournalResult<T> = { ok: true; value: T } | { ok: false; code: 'unknown-job' | 'already-printed' | 'duplicate-job' };

export class PrintJournal {
  constructor(
    private readonly store: PrintJournalStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a job before it is sent, so a crash mid-print still leaves it pending. */
  open(jobId: string, document: PrintDocumentKind, caseReference: string): JournalResult<PrintJournalEntry> {
    if (this.store.get(jobId)) return { ok: false, code: 'duplicate-job' };
    const entry: PrintJournalEntry = { jobId, document, caseReference, createdAt: this.now().toISOString(), state: 'pending', attempts: [] };
    this.store.put(PrintJournalEntry.parse(entry));
    return { ok: true, value: entry };
  }

  /** Records one attempt; a printed (or spooled) attempt closes the job, anything else keeps it pending. */
  record(jobId: string, attempt: AttemptOutcome): JournalResult<PrintJournalEntry> {
    const entry = this.store.get(jobId);
    if (!entry) return { ok: false, code: 'unknown-job' };
    entry.attempts.push(PrintAttempt.parse({ ...attempt, at: this.now().toISOString() }));
    if (attempt.outcome === 'printed' || attempt.outcome === 'submitted') entry.state = 'printed';
    this.store.put(entry);
    return { ok: true, value: entry };
  }

  /**
   * Before staff reprint: is the job known and still pending? Printed jobs may be reprinted too only
   * when `allowCopy` (a duplicate receipt at the citizen's request); the attempt then says who did it.
   */
  reprintable(jobId: string, allowCopy = false): JournalResult<PrintJournalEntry> {
    const entry = this.store.get(jobId);
    if (!entry) return { ok: false, code: 'unknown-job' };
    if (entry.state === 'printed' && !allowCopy) return { ok: false, code: 'already-printed' };
    return { ok: true, value: entry };
  }

  /** Staff decided the job will not be printed (the citizen took the QR instead); kept for the record. */
  dismiss(jobId: string): JournalResult<PrintJournalEntry> {
    const entry = this.store.get(jobId);
    if (!entry) return { ok: false, code: 'unknown-job' };
    entry.state = 'dismissed';
    this.store.put(entry);
    return { ok: true, value: entry };
  }

  /** Jobs waiting for staff, oldest first. */
  pending(): PrintJournalEntry[] {
    return this.store.list().filter((entry) => entry.state === 'pending');
  }

  get(jobId: string): PrintJournalEntry | undefined {
    return this.store.get(jobId);
  }
}
