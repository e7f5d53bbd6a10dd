-- Central's schema as it stood before versioned migrations (central/database.ts), so databases made by
-- that code are adopted as they are: every statement is IF NOT EXISTS, and the runner records version 1.
-- Written to run unchanged on PostgreSQL too: millisecond timestamps are BIGINT (an INTEGER on PostgreSQL
-- is 32 bits; SQLite gives BIGINT the same integer affinity as INTEGER), no SQLite-only types or clauses.

CREATE TABLE IF NOT EXISTS terminals (
  id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  algorithm TEXT NOT NULL DEFAULT 'hmac-sha256',
  hall TEXT NOT NULL DEFAULT '',
  last_seen TEXT,
  queue_depth INTEGER,
  needs_staff INTEGER,
  devices TEXT,
  version TEXT
);

-- Signature nonces (terminal key id, nonce): the primary key refuses a replay, across processes too.
CREATE TABLE IF NOT EXISTS nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  ts BIGINT NOT NULL,
  PRIMARY KEY (key_id, nonce)
);

-- Idempotency-Key records: the primary key makes the first claim of a key win; `state` is
-- 'in-flight' until the answer is stored ('done') in the same transaction as the case it made.
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (terminal_id, key)
);

-- One case per terminal and local number, whatever happened to the idempotency key.
CREATE TABLE IF NOT EXISTS cases (
  case_number TEXT PRIMARY KEY,
  local_number TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  service_name TEXT NOT NULL,
  status TEXT NOT NULL,
  applicant_id TEXT NOT NULL,
  applicant_name TEXT NOT NULL,
  identity_source TEXT NOT NULL,
  assisted_by TEXT,
  payload TEXT NOT NULL,
  reasons TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (terminal_id, local_number)
);

-- 一事一评: the primary key allows one rating per case.
CREATE TABLE IF NOT EXISTS ratings (
  case_number TEXT PRIMARY KEY REFERENCES cases (case_number),
  level TEXT NOT NULL,
  reason TEXT,
  contact TEXT,
  channel TEXT NOT NULL,
  staff_number TEXT,
  rated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS profiles (
  id_number TEXT PRIMARY KEY,
  mobile TEXT,
  address TEXT
);

CREATE TABLE IF NOT EXISTS licences (
  licence_id TEXT PRIMARY KEY,
  holder_id TEXT NOT NULL,
  licence_type TEXT NOT NULL,
  title TEXT NOT NULL,
  issuer TEXT NOT NULL,
  issued_on TEXT NOT NULL
);

-- Named sequences (case numbers per Beijing day), incremented inside the transaction that uses them.
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS staff (
  staff_number TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  pin_salt TEXT NOT NULL,
  pin_hash TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0
);
