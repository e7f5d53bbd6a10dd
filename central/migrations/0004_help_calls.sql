-- Help calls (issue 12, 呼叫工作人员): a kiosk's call for a staff member, queued per hall for the staff
-- console. No personal data: terminal, hall, screen and service only. `revision` is taken from the
-- `help-call-revision` counter on every change, so a long-poll from any central process sharing the
-- database sees a change as a revision above the one it holds. Plain SQL that SQLite and PostgreSQL both run.

CREATE TABLE IF NOT EXISTS help_calls (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  hall TEXT NOT NULL,
  screen TEXT NOT NULL,
  service_id TEXT,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  accepted_at TEXT,
  accepted_by TEXT,
  ended_at TEXT,
  ended_at_ms BIGINT,
  revision BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS help_calls_revision ON help_calls (revision);
CREATE INDEX IF NOT EXISTS help_calls_hall_state ON help_calls (hall, state);
