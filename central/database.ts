import Database from 'better-sqlite3';

/** Central's store: real SQLite in WAL mode, one file per reference deployment. */
export function openCentralDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS terminals (
      id TEXT PRIMARY KEY, secret TEXT NOT NULL, algorithm TEXT NOT NULL DEFAULT 'hmac-sha256',
      hall TEXT NOT NULL DEFAULT '', last_seen TEXT, queue_depth INTEGER, needs_staff INTEGER, devices TEXT, version TEXT
    );
    CREATE TABLE IF NOT EXISTS nonces (key_id TEXT NOT NULL, nonce TEXT NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (key_id, nonce));
    CREATE TABLE IF NOT EXISTS idempotency (
      key TEXT NOT NULL, terminal_id TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,
      status INTEGER, body TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (terminal_id, key)
    );
    CREATE TABLE IF NOT EXISTS cases (
      case_number TEXT PRIMARY KEY, local_number TEXT NOT NULL, terminal_id TEXT NOT NULL,
      service_id TEXT NOT NULL, service_name TEXT NOT NULL, status TEXT NOT NULL,
      applicant_id TEXT NOT NULL, applicant_name TEXT NOT NULL, identity_source TEXT NOT NULL, assisted_by TEXT,
      payload TEXT NOT NULL, reasons TEXT NOT NULL, submitted_at TEXT NOT NULL, received_at TEXT NOT NULL,
      UNIQUE (terminal_id, local_number)
    );
    CREATE TABLE IF NOT EXISTS ratings (
      case_number TEXT PRIMARY KEY REFERENCES cases(case_number), level TEXT NOT NULL, reason TEXT, contact TEXT,
      channel TEXT NOT NULL, staff_number TEXT, rated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS profiles (id_number TEXT PRIMARY KEY, mobile TEXT, address TEXT);
    CREATE TABLE IF NOT EXISTS licences (
      licence_id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, licence_type TEXT NOT NULL, title TEXT NOT NULL,
      issuer TEXT NOT NULL, issued_on TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS staff (
      staff_number TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, pin_salt TEXT NOT NULL, pin_hash TEXT NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0
    );
  `);
  return db;
}
