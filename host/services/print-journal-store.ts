import type Database from 'better-sqlite3';
import { openDurableDatabaseReplacingDamaged } from './durable-database.js';
import { PrintJournalEntry, type PrintJournalStore } from '../../print-templates/journal.js';

interface Row {
  job_id: string;
  document: string;
  case_reference: string;
  created_at: string;
  state: string;
  attempts: string;
}

/**
 * The print journal on disk (`<dataDir>/print-journal.sqlite`), so a receipt that did not print is
 * still waiting for 补打 after a restart or a power cut. It holds what PrintJournalEntry holds and
 * nothing more: job id, document kind, local/case number, times, printer ids, reason codes and the
 * reprinting staff number; never a name, an ID number or document bytes (those are rendered again
 * from the outbox record). Rows are parsed on the way out like anything else read from disk.
 */
export class SqlitePrintJournalStore implements PrintJournalStore {
  private readonly db: Database.Database;
  private readonly statements;

  /** `onReplaced`: the file was damaged and started afresh (jobs kept for 补打 are gone: staff must be told). */
  constructor(file: string, onReplaced: (problem: string) => void = () => undefined) {
    // A job recorded as pending must survive a power cut that follows the "paper out" notice.
    this.db = openDurableDatabaseReplacingDamaged(file, onReplaced);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS print_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        document TEXT NOT NULL,
        case_reference TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS print_journal_state ON print_journal (state, seq);
    `);
    this.statements = {
      get: this.db.prepare<[string], Row>('SELECT * FROM print_journal WHERE job_id = ?'),
      upsert: this.db.prepare(
        `INSERT INTO print_journal (job_id, document, case_reference, created_at, state, attempts) VALUES (@jobId, @document, @caseReference, @createdAt, @state, @attempts)
         ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts`,
      ),
      all: this.db.prepare<[], Row>('SELECT * FROM print_journal ORDER BY seq'),
      byState: this.db.prepare<[string], Row>('SELECT * FROM print_journal WHERE state = ? ORDER BY seq'),
    };
  }

  get(jobId: string): PrintJournalEntry | undefined {
    const row = this.statements.get.get(jobId);
    return row ? toEntry(row) : undefined;
  }

  put(entry: PrintJournalEntry): void {
    const valid = PrintJournalEntry.parse(entry);
    this.statements.upsert.run({ ...valid, attempts: JSON.stringify(valid.attempts) });
  }

  list(): PrintJournalEntry[] {
    return this.statements.all.all().map(toEntry);
  }

  /** Pending jobs without reading the whole history (PrintJournal.pending() filters `list()`). */
  pending(): PrintJournalEntry[] {
    return this.statements.byState.all('pending').map(toEntry);
  }

  close(): void {
    this.db.close();
  }
}

function toEntry(row: Row): PrintJournalEntry {
  return PrintJournalEntry.parse({
    jobId: row.job_id,
    document: row.document,
    caseReference: row.case_reference,
    createdAt: row.created_at,
    state: row.state,
    attempts: JSON.parse(row.attempts) as unknown,
  });
}
