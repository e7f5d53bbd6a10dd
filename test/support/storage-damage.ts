import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Damage as disks and power cuts make it, for the storage tests (issue 10, kind 2): a page of a SQLite
 * file overwritten with noise, found through SQLite's own page map (the dbstat virtual table), so a test
 * can aim at a leaf of the table whose rows it cares about.
 */
export function pagesOf(file: string, table: string, pageType: 'leaf' | 'internal' | 'overflow' = 'leaf'): { pages: number[]; pageSize: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.prepare<[string, string], { pageno: number }>('SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno').all(table, pageType).map((row) => row.pageno);
    return { pages, pageSize };
  } finally {
    db.close();
  }
}

/** Moves everything in the WAL into the main file and empties it (so damage to the main file is damage to the data). */
export function checkpoint(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** Overwrites one page (1-based, as SQLite numbers them) with noise from `random`. */
export function corruptPage(file: string, page: number, pageSize: number, random: () => number = Math.random): void {
  const noise = Buffer.from(Array.from({ length: pageSize }, () => Math.floor(random() * 256)));
  const descriptor = openSync(file, 'r+');
  try {
    writeSync(descriptor, noise, 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(descriptor);
  }
}
