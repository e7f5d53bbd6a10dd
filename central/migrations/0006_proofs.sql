-- Proofs and the electronic seal (issue 15): the shared data proofs are issued from (standing in for the
-- departments' systems behind the data-sharing platform), the enterprises with their 法定代表人, every
-- document central sealed (kept by its verification code for the public verification page), and the
-- delivery chosen for a case's paper result. Portable SQL: runs unchanged on SQLite and PostgreSQL.

-- One record per person and kind of proof: the fields and table rows the proof prints, as JSON text.
CREATE TABLE IF NOT EXISTS proof_sources (
  id_number TEXT NOT NULL,
  kind TEXT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (id_number, kind)
);

-- 市场主体登记: an enterprise, its 法定代表人's ID number, and the fields of its proofs (JSON per kind).
CREATE TABLE IF NOT EXISTS enterprises (
  credit_code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  legal_representative_id TEXT NOT NULL,
  content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS enterprises_legal_representative ON enterprises (legal_representative_id);

-- Every sealed document. The verification code is the key a scanned QR looks up: unique, never reused.
-- `document` is the signed content (JSON text); digest and signature as sealed; subject_id for the record.
CREATE TABLE IF NOT EXISTS issued_proofs (
  verification_code TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  credit_code TEXT,
  case_number TEXT,
  terminal_id TEXT NOT NULL,
  document TEXT NOT NULL,
  digest TEXT NOT NULL,
  seal_key_id TEXT NOT NULL,
  signature TEXT NOT NULL,
  copies INTEGER NOT NULL,
  issued_at TEXT NOT NULL,
  valid_until TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issued_proofs_case ON issued_proofs (case_number);
CREATE INDEX IF NOT EXISTS issued_proofs_subject ON issued_proofs (subject_id);

-- How a case's paper result reaches the applicant (contract/proofs.ts DeliveryChoice, JSON text), or NULL.
ALTER TABLE cases ADD COLUMN delivery TEXT;
