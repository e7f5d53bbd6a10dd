import Database from 'better-sqlite3';

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
