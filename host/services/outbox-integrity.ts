import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { AuditEntry } from './audit-chain.js';
import { databaseFiles, quickCheck } from './durable-database.js';
import { LOST_UNCHECKED } from './drainer.js';
import { ITEM_COLUMNS, Outbox, type OutboxOptions, type OutboxRow } from './outbox.js';
import { setAside } from './state-file.js';

/**
 * Storage damage must not go unnoticed (issue 10, kind 2): one corrupted leaf page silently dropped 4 of
 * 7 queued applications while the kiosk stayed in service, and a torn WAL lost queued items with no alert.
 *
 * At start the outbox file is checked (`PRAGMA quick_check`) before it is used. A damaged file is set aside
 * (`outbox.sqlite.damaged-<time>`, still sealed) and every row that can still be read is copied into a
 * fresh file, sealed payloads as they were, so readable applications are delivered with their own
 * idempotency keys. Then every application this kiosk acknowledged, as the print journal records them (a
 * receipt is journalled, in another file, before the citizen is told anything), is looked for: one the
 * outbox no longer has (unreadable row, deleted file, torn WAL) is recorded as lost for staff, never
 * reported as delivered or absent. The caller takes the kiosk out of service until a technician has seen it.
 */
export interface OutboxDamage {
  /** What was wrong, for the technician: quick_check's words, `outbox file missing`, an open error. */
  problem: string;
  /** Files moved aside (still sealed with the outbox key). */
  setAside: string[];
  /** Rows copied from the damaged file. */
  salvagedRows: number;
  /** Row ids of the damaged file that could not be read. */
  unreadableRows: number;
  /** Local numbers of acknowledged applications whose record is gone: listed for staff. */
  lost: string[];
}

export interface CheckedOutboxOptions extends OutboxOptions {
  /** Local numbers of every application acknowledged to a citizen (the print journal's receipts). */
  acknowledgedLocalNumbers: () => readonly string[];
}

/** Ids are read a window at a time; a window that fails is read id by id, so one bad page costs only its rows. */
const WINDOW = 64;
/** Past the highest id known, probing stops after this many empty windows (when even MAX(id) cannot be read). */
const EMPTY_WINDOWS_TO_STOP = 16;

export function openCheckedOutbox(options: CheckedOutboxOptions): { outbox: Outbox; damage: OutboxDamage | null } {
  const existed = existsSync(options.file);
  let problem = existed ? checkFile(options.file) : 'ok';
  let salvage: Salvage | null = null;
  let setAsideFiles: string[] = [];
  if (problem !== 'ok') {
    salvage = salvageRows(options.file);
    setAsideFiles = moveAside(options.file, options.now?.() ?? Date.now());
  }
  let outbox: Outbox;
  try {
    outbox = new Outbox(options);
  } catch (error) {
    // Damage quick_check did not name (a schema SQLite cannot read): the same salvage, then a fresh file.
    problem = `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`;
    salvage ??= salvageRows(options.file);
    setAsideFiles = [...setAsideFiles, ...moveAside(options.file, options.now?.() ?? Date.now())];
    outbox = new Outbox(options);
  }
  if (salvage) {
    outbox.restore(salvage.rows);
    outbox.audit.restore(salvage.audit);
    outbox.audit.append({ actor: 'storage', event: 'outbox.salvaged', outcome: `${salvage.rows.length} rows copied, ${salvage.unreadable} unreadable: ${problem}` });
  }
  const lost: string[] = [];
  for (const localNumber of new Set(options.acknowledgedLocalNumbers())) {
    if (outbox.get(localNumber)) continue;
    outbox.recordLost(localNumber, LOST_UNCHECKED.replace(/^lost: /, ''));
    lost.push(localNumber);
  }
  if (problem === 'ok' && lost.length > 0) problem = existed ? 'applications missing from the outbox (torn WAL or damage)' : 'outbox file missing';
  if (problem === 'ok') return { outbox, damage: null };
  return { outbox, damage: { problem, setAside: setAsideFiles, salvagedRows: salvage?.rows.length ?? 0, unreadableRows: salvage?.unreadable ?? 0, lost } };
}

/**
 * The outbox file as it is on disk now, through a connection of its own (the host's connection caches
 * pages and would not see a page damaged under it): `ok`, or what is wrong. `inode` is the file the host
 * opened: another one (or none) means the outbox was deleted or replaced under the running host.
 */
export function checkOutboxFile(file: string, inode: number | null): string {
  if (!existsSync(file)) return 'outbox file missing';
  if (inode !== null && statSync(file).ino !== inode) return 'outbox file replaced';
  // Read-only beside the host's own connection: it neither recovers nor checkpoints anything.
  return checkFile(file, true);
}

export function inodeOf(file: string): number | null {
  return existsSync(file) ? statSync(file).ino : null;
}

function checkFile(file: string, readonly = false): string {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true, readonly });
    return quickCheck(db);
  } catch (error) {
    return `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`;
  } finally {
    db?.close();
  }
}

interface Salvage {
  rows: OutboxRow[];
  audit: AuditEntry[];
  unreadable: number;
}

function moveAside(file: string, now: number): string[] {
  return databaseFiles(file).flatMap((companion) => setAside(companion, now) ?? []);
}

/** Every row of the damaged file that can be read; unreadable ones are counted. Never throws. */
function salvageRows(file: string): Salvage {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    return { rows: [], audit: [], unreadable: 0 };
  }
  try {
    const rows = readById<OutboxRow>(db, 'outbox', 'id', (id) => readRow(db as Database.Database, id));
    const audit = readById<AuditEntry>(db, 'audit', 'sequence', (sequence) => db?.prepare<[number], AuditEntry>('SELECT * FROM audit WHERE sequence = ?').get(sequence));
    return { rows: rows.found, audit: audit.found, unreadable: rows.unreadable };
  } finally {
    db.close();
  }
}

/** One row by id: with its payload if that reads, else without (kept for staff), else nothing. */
function readRow(db: Database.Database, id: number): OutboxRow | undefined {
  try {
    return db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
  } catch {
    const meta = db.prepare<[number], Omit<OutboxRow, 'payload'>>(`SELECT ${ITEM_COLUMNS} FROM outbox WHERE id = ?`).get(id);
    if (!meta || meta.state === 'delivered') return meta ? { ...meta, payload: null } : undefined;
    // Not delivered and its payload is gone: what it said is lost, its number is known.
    return { ...meta, payload: null, state: 'needs-staff', last_error: 'lost: payload-damaged' };
  }
}

function readById<T>(db: Database.Database, table: string, key: string, one: (id: number) => T | undefined): { found: T[]; unreadable: number } {
  const highest = highestId(db, table, key);
  const found: T[] = [];
  let unreadable = 0;
  let emptyWindows = 0;
  for (let start = 1; highest !== null ? start <= highest : emptyWindows < EMPTY_WINDOWS_TO_STOP; start += WINDOW) {
    const end = start + WINDOW - 1;
    let window: T[] | null;
    try {
      window = db.prepare<[number, number], T>(`SELECT * FROM ${table} WHERE ${key} BETWEEN ? AND ? ORDER BY ${key}`).all(start, end);
    } catch {
      window = null;
    }
    if (window) {
      // A window read whole may still have lost ids (a row whose cell is gone): count what is missing below the highest.
      found.push(...window);
      if (highest !== null) unreadable += Math.min(end, highest) - start + 1 - window.length;
      emptyWindows = window.length === 0 ? emptyWindows + 1 : 0;
      continue;
    }
    let any = false;
    for (let id = start; id <= (highest === null ? end : Math.min(end, highest)); id++) {
      let row: T | undefined;
      try {
        row = one(id);
      } catch {
        row = undefined;
      }
      if (row) {
        found.push(row);
        any = true;
      } else unreadable++;
    }
    emptyWindows = any ? 0 : emptyWindows + 1;
  }
  return { found, unreadable };
}

function highestId(db: Database.Database, table: string, key: string): number | null {
  try {
    return db.prepare<[], { highest: number | null }>(`SELECT MAX(${key}) AS highest FROM ${table}`).get()?.highest ?? 0;
  } catch {
    try {
      return db.prepare<[string], { seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table)?.seq ?? null;
    } catch {
      return null;
    }
  }
}
