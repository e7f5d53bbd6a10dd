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

/** A row of central's `cases` table as the e2e tests read it (central/ store schema). */
export interface CaseRow {
  case_number: string;
  local_number: string;
  service_id: string;
  applicant_id: string;
  status: string;
  /** The draft as central received it, JSON. */
  payload: string;
  reasons: string;
}

export { eventually } from '../../support/eventually.js';
