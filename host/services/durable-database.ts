import Database from 'better-sqlite3';
import { setAside } from './state-file.js';

/**
 * A SQLite file whose commits survive a power cut: WAL with synchronous=FULL (each commit fsynced), and
 * a busy timeout so a checkpoint never fails a write. Every store the kiosk promises to keep (outbox,
 * print journal, staff lockouts) opens its file through here.
 */
export function openDurableDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * SQLite's quick check of every page and index (`PRAGMA quick_check`): `ok`, or the problems it found.
 * A file SQLite cannot open at all (not a database, header destroyed) answers with the error's text.
 */
export function quickCheck(db: Database.Database): string {
  try {
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    return rows.map((row) => row.quick_check).join('; ') || 'ok';
  } catch (error) {
    return `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`;
  }
}

/** The database file and its WAL and shared-memory companions. */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * For stores whose loss is a nuisance, not a loss of applications (print journal, staff lockouts): a file
 * that fails SQLite's quick check, or cannot be opened, is set aside (`.damaged-<time>`) and started
 * afresh, and `onReplaced` says so (issue 10, kind 2: damaged local state is treated as missing, with a
 * warning; the host starts). The outbox has its own salvage (outbox-integrity.ts).
 */
export function openDurableDatabaseReplacingDamaged(file: string, onReplaced: (problem: string, setAsideAs: string | null) => void): Database.Database {
  let problem: string;
  try {
    const db = openDurableDatabase(file);
    problem = quickCheck(db);
    if (problem === 'ok') return db;
    db.close();
  } catch (error) {
    problem = `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`;
  }
  const [main, ...companions] = databaseFiles(file);
  const aside = setAside(main ?? file);
  for (const companion of companions) if (aside) setAside(companion);
  onReplaced(problem, aside);
  return openDurableDatabase(file);
}
