-- The fleet (issue 13): heartbeats and their history, alerts, one-shot commands, uploaded logs, remote
-- configuration layers with their history, console sign-ins, and a lease on idempotency claims so that
-- several central processes can share one database. Portable SQL: runs unchanged on SQLite and PostgreSQL
-- (millisecond times are BIGINT; ids are made by central, not by the database).

-- A claim in flight past its lease belongs to a request whose process died; it may be taken over.
ALTER TABLE idempotency ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;

-- A terminal's latest heartbeat, in columns the console filters and sorts on.
ALTER TABLE terminals ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN last_seen_ms BIGINT;
ALTER TABLE terminals ADD COLUMN interval_ms BIGINT NOT NULL DEFAULT 60000;
ALTER TABLE terminals ADD COLUMN state TEXT NOT NULL DEFAULT 'serving';
ALTER TABLE terminals ADD COLUMN pending INTEGER;
ALTER TABLE terminals ADD COLUMN config_version BIGINT;
ALTER TABLE terminals ADD COLUMN heartbeat TEXT;
-- Out of service set from the console (desired state, sent in every heartbeat answer).
ALTER TABLE terminals ADD COLUMN remote_oos_message TEXT;
ALTER TABLE terminals ADD COLUMN remote_oos_by TEXT;
ALTER TABLE terminals ADD COLUMN remote_oos_at_ms BIGINT;
-- The audit chain head central anchored: a later heartbeat must still hold this entry.
ALTER TABLE terminals ADD COLUMN anchor_sequence BIGINT;
ALTER TABLE terminals ADD COLUMN anchor_mac TEXT;
CREATE INDEX IF NOT EXISTS terminals_district_hall ON terminals (district, hall);

CREATE TABLE IF NOT EXISTS fleet_history (
  terminal_id TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  state TEXT NOT NULL,
  pending INTEGER NOT NULL,
  needs_staff INTEGER NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fleet_history_terminal ON fleet_history (terminal_id, received_at_ms);

CREATE TABLE IF NOT EXISTS fleet_screenshots (
  terminal_id TEXT PRIMARY KEY,
  taken_at_ms BIGINT NOT NULL,
  mime TEXT NOT NULL,
  data TEXT NOT NULL
);

-- At most one open alert per terminal and kind, whichever process raises it.
CREATE TABLE IF NOT EXISTS fleet_alerts (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  raised_at_ms BIGINT NOT NULL,
  cleared_at_ms BIGINT
);
CREATE UNIQUE INDEX IF NOT EXISTS fleet_alerts_open ON fleet_alerts (terminal_id, kind) WHERE cleared_at_ms IS NULL;
CREATE INDEX IF NOT EXISTS fleet_alerts_terminal ON fleet_alerts (terminal_id, raised_at_ms);

CREATE TABLE IF NOT EXISTS fleet_commands (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  issued_at_ms BIGINT NOT NULL,
  outcome TEXT,
  note TEXT,
  completed_at_ms BIGINT
);
CREATE INDEX IF NOT EXISTS fleet_commands_terminal ON fleet_commands (terminal_id, issued_at_ms);

CREATE TABLE IF NOT EXISTS fleet_logs (
  command_id TEXT PRIMARY KEY REFERENCES fleet_commands (id),
  terminal_id TEXT NOT NULL,
  lines TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL
);

-- Remote configuration: one row per scope ('master' with scope_id '', 'district', 'hall', 'terminal').
CREATE TABLE IF NOT EXISTS config_layers (
  scope TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  settings TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, scope_id)
);

-- Every change of a layer, kept (audit at central).
CREATE TABLE IF NOT EXISTS config_history (
  version BIGINT PRIMARY KEY,
  scope TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  settings TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at_ms BIGINT NOT NULL
);

-- Console sign-ins: the SHA-256 of the bearer token, never the token.
CREATE TABLE IF NOT EXISTS staff_sessions (
  token_hash TEXT PRIMARY KEY,
  staff_number TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  idle_until_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
