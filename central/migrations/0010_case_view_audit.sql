-- The staff console's case view (issue 12): who opened which case's 代办 authorisation (the 委托书 photo or the
-- signed 代办告知承诺) and when, and refusals. No personal data: 工号, case number, outcome.
-- Plain SQL that SQLite and PostgreSQL both run.

CREATE TABLE IF NOT EXISTS case_view_audit (
  id TEXT PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  case_number TEXT NOT NULL,
  outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_view_audit_case ON case_view_audit (case_number);
