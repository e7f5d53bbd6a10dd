import Database from 'better-sqlite3';

/** Reads what the reference central service recorded, straight from its SQLite file (read-only). */
export function readCentral<T>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export { eventually } from '../../support/eventually.js';
