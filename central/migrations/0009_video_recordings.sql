-- Recordings of 远程视频帮办 (issue 12): made only where the hall's configuration turns recording on, and then
-- only after the citizen agreed to a call they were told is recorded. A row is opened at that consent (nothing
-- can be uploaded for a call without one; its id is new per video call, as one help call may have several); the staff console uploads the WebM in chunks, each sealed with
-- AES-256-GCM under central's recording key (`data`: base64 of iv ‖ tag ‖ ciphertext, `key_id` names the key).
-- Rows and chunks go when `delete_after_ms` has passed (housekeeping). `video_recording_audit` keeps who
-- uploaded, listed, viewed and what was purged (no personal data). Plain SQL that SQLite and PostgreSQL both run.

CREATE TABLE IF NOT EXISTS video_recordings (
  id TEXT PRIMARY KEY,
  help_call_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  hall TEXT NOT NULL,
  staff_number TEXT NOT NULL,
  purpose TEXT NOT NULL,
  consented_at_ms BIGINT NOT NULL,
  delete_after_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS video_recordings_delete_after ON video_recordings (delete_after_ms);

CREATE TABLE IF NOT EXISTS video_recording_chunks (
  recording_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  data TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (recording_id, seq)
);

CREATE TABLE IF NOT EXISTS video_recording_audit (
  id TEXT PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  recording_id TEXT,
  outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS video_recording_audit_at ON video_recording_audit (at_ms);
