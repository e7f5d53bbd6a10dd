import type Database from 'better-sqlite3';
import { openDurableDatabaseReplacingDamaged } from './durable-database.js';

/**
 * Wrong-PIN count and lock of one 工号 (or of the whole terminal, under TERMINAL_KEY); `lockedUntil` 0
 * when not locked; `lastFailureAt` (ms) the newest failure, from which a count expires.
 */
export interface SignInFailures {
  count: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** The row that counts every failure on this terminal, whatever the 工号 (never a valid 工号: digits only). */
export const TERMINAL_KEY = '*terminal*';

/** Where StaffAuth keeps failures; in memory for tests, on disk for the kiosk. */
export interface LockoutStore {
  get(number: string): SignInFailures | undefined;
  set(number: string, failures: SignInFailures): void;
  delete(number: string): void;
  /** Removes rows whose lock has run out and whose last failure is older than `before` (ms); returns how many. */
  prune(now: number, before: number): number;
  /** Rows kept (for tests and diagnostics). */
  size(): number;
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
  prune(now: number, before: number): number {
    let removed = 0;
    for (const [number, failures] of this.entries) {
      if (failures.lockedUntil <= now && failures.lastFailureAt < before) {
        this.entries.delete(number);
        removed++;
      }
    }
    return removed;
  }
  size(): number {
    return this.entries.size;
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
    // Files written before failures expired have no last_failure_at: their rows count as failed just now.
    const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(sign_in_failures)').all();
    if (!columns.some((column) => column.name === 'last_failure_at')) this.db.exec('ALTER TABLE sign_in_failures ADD COLUMN last_failure_at INTEGER NOT NULL DEFAULT 0');
    this.db.prepare('UPDATE sign_in_failures SET last_failure_at = ? WHERE last_failure_at = 0').run(Date.now());
    this.statements = {
      get: this.db.prepare<[string], { count: number; locked_until: number; last_failure_at: number }>('SELECT count, locked_until, last_failure_at FROM sign_in_failures WHERE staff_number = ?'),
      set: this.db.prepare(
        'INSERT INTO sign_in_failures (staff_number, count, locked_until, last_failure_at) VALUES (?, ?, ?, ?) ON CONFLICT (staff_number) DO UPDATE SET count = excluded.count, locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at',
      ),
      delete: this.db.prepare('DELETE FROM sign_in_failures WHERE staff_number = ?'),
      prune: this.db.prepare('DELETE FROM sign_in_failures WHERE locked_until <= ? AND last_failure_at < ?'),
      size: this.db.prepare<[], { rows: number }>('SELECT COUNT(*) AS rows FROM sign_in_failures'),
    };
  }

  get(number: string): SignInFailures | undefined {
    const written = this.written.get(number);
    if (written !== undefined) return written ?? undefined;
    try {
      const row = this.statements.get.get(number);
      return row ? { count: row.count, lockedUntil: row.locked_until, lastFailureAt: row.last_failure_at } : undefined;
    } catch {
      return undefined;
    }
  }

  set(number: string, failures: SignInFailures): void {
    this.written.set(number, failures);
    try {
      this.statements.set.run(number, failures.count, failures.lockedUntil, failures.lastFailureAt);
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

  prune(now: number, before: number): number {
    for (const [number, failures] of this.written) {
      // A null (a delete the disk may not have taken) stays: dropping it could bring the old row back.
      if (failures !== null && failures.lockedUntil <= now && failures.lastFailureAt < before) this.written.delete(number);
    }
    try {
      return this.statements.prune.run(now, before).changes;
    } catch {
      return 0;
    }
  }

  size(): number {
    try {
      return this.statements.size.get()?.rows ?? 0;
    } catch {
      return [...this.written.values()].filter(Boolean).length;
    }
  }

  close(): void {
    this.db.close();
  }
}
