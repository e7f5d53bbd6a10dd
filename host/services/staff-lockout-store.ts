import type Database from 'better-sqlite3';
import { openDurableDatabaseReplacingDamaged } from './durable-database.js';

/** Wrong-PIN count and lock of one 工号; `lockedUntil` 0 when not locked. */
export interface SignInFailures {
  count: number;
  lockedUntil: number;
}

/** Where StaffAuth keeps failures; in memory for tests, on disk for the kiosk. */
export interface LockoutStore {
  get(number: string): SignInFailures | undefined;
  set(number: string, failures: SignInFailures): void;
  delete(number: string): void;
}

export class MemoryLockoutStore implements LockoutStore {
  private readonly entries = new Map<string, SignInFailures>();
  get(number: string): SignInFailures | undefined {
    return this.entries.get(number);
  }
  set(number: string, failures: SignInFailures): void {
    this.entries.set(number, failures);
  }
  delete(number: string): void {
    this.entries.delete(number);
  }
}

/**
 * Failures on disk (`<dataDir>/staff-lockout.sqlite`): the host restarts itself when it dies, so a lock
 * kept only in memory would end with any crash, and anyone guessing PINs could crash-loop it away.
 * SQLite rather than a JSON file: each failure is one atomic, durable upsert with no temp-file dance,
 * and a torn write cannot leave an unreadable file that unlocks everything. Keyed by 工号 alone; no PIN,
 * no name.
 *
 * This process's own writes are also kept in memory and read first, so a disk that refuses a write (full,
 * failing) never stops wrong PINs from counting or a lock from holding until the next restart; and a
 * technician can still sign in to deal with the disk.
 */
export class SqliteLockoutStore implements LockoutStore {
  private readonly db: Database.Database;
  private readonly statements;
  /** Written here first; null marks a delete the disk may not have taken. */
  private readonly written = new Map<string, SignInFailures | null>();

  /** `onReplaced`: the file was damaged and started afresh (counts and locks are gone: worth a warning). */
  constructor(file: string, onReplaced: (problem: string) => void = () => undefined) {
    this.db = openDurableDatabaseReplacingDamaged(file, onReplaced);
    this.db.exec('CREATE TABLE IF NOT EXISTS sign_in_failures (staff_number TEXT PRIMARY KEY, count INTEGER NOT NULL, locked_until INTEGER NOT NULL) WITHOUT ROWID');
    this.statements = {
      get: this.db.prepare<[string], { count: number; locked_until: number }>('SELECT count, locked_until FROM sign_in_failures WHERE staff_number = ?'),
      set: this.db.prepare(
        'INSERT INTO sign_in_failures (staff_number, count, locked_until) VALUES (?, ?, ?) ON CONFLICT (staff_number) DO UPDATE SET count = excluded.count, locked_until = excluded.locked_until',
      ),
      delete: this.db.prepare('DELETE FROM sign_in_failures WHERE staff_number = ?'),
    };
  }

  get(number: string): SignInFailures | undefined {
    const written = this.written.get(number);
    if (written !== undefined) return written ?? undefined;
    try {
      const row = this.statements.get.get(number);
      return row ? { count: row.count, lockedUntil: row.locked_until } : undefined;
    } catch {
      return undefined;
    }
  }

  set(number: string, failures: SignInFailures): void {
    this.written.set(number, failures);
    try {
      this.statements.set.run(number, failures.count, failures.lockedUntil);
    } catch {
      // Kept in memory (above) until the disk takes writes again.
    }
  }

  delete(number: string): void {
    this.written.set(number, null);
    try {
      this.statements.delete.run(number);
    } catch {
      // As for set.
    }
  }

  close(): void {
    this.db.close();
  }
}
