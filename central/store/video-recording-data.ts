import { randomUUID } from 'node:crypto';
import type { SqlSession } from './sql-data.js';
import type { VideoRecordingRecord, VideoRecordingStore } from './store.js';

/**
 * The statements of 远程视频帮办 recordings (issue 12; migration 0009), in the SQL SQLite and PostgreSQL both
 * run (see store/sql-data.ts). Chunks arrive sealed (central/video/recording.ts seals and opens them); this
 * module only keeps and deletes rows.
 */
interface RecordingDbRow {
  id: string;
  help_call_id: string;
  terminal_id: string;
  hall: string;
  staff_number: string;
  purpose: string;
  consented_at_ms: number;
  delete_after_ms: number;
  chunks: number | null;
  bytes: number | null;
}

function record(row: RecordingDbRow): VideoRecordingRecord {
  return {
    id: row.id,
    helpCallId: row.help_call_id,
    terminalId: row.terminal_id,
    hall: row.hall,
    staffNumber: row.staff_number,
    purpose: row.purpose,
    consentedAtMs: Number(row.consented_at_ms),
    deleteAfterMs: Number(row.delete_after_ms),
    chunks: Number(row.chunks ?? 0),
    bytes: Number(row.bytes ?? 0),
  };
}

const SELECT = `SELECT r.id, r.help_call_id, r.terminal_id, r.hall, r.staff_number, r.purpose, r.consented_at_ms, r.delete_after_ms,
  (SELECT COUNT(*) FROM video_recording_chunks c WHERE c.recording_id = r.id) AS chunks,
  (SELECT COALESCE(SUM(c.bytes), 0) FROM video_recording_chunks c WHERE c.recording_id = r.id) AS bytes
  FROM video_recordings r`;

/** Recordings over one SQL session (a connection, or a transaction's connection). */
export function videoRecordingData(db: SqlSession): VideoRecordingStore {
  return {
    async open(recording) {
      const changed = await db.run(
        `INSERT INTO video_recordings (id, help_call_id, terminal_id, hall, staff_number, purpose, consented_at_ms, delete_after_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
        [recording.id, recording.helpCallId, recording.terminalId, recording.hall, recording.staffNumber, recording.purpose, recording.consentedAtMs, recording.deleteAfterMs],
      );
      return changed > 0;
    },
    async find(id) {
      const row = await db.get<RecordingDbRow>(`${SELECT} WHERE r.id = $1`, [id]);
      return row ? record(row) : null;
    },
    async list(hall, limit) {
      const rows = hall === null ? await db.all<RecordingDbRow>(`${SELECT} ORDER BY r.consented_at_ms DESC LIMIT $1`, [limit]) : await db.all<RecordingDbRow>(`${SELECT} WHERE r.hall = $1 ORDER BY r.consented_at_ms DESC LIMIT $2`, [hall, limit]);
      return rows.map(record);
    },
    async putChunk(id, seq, keyId, data, bytes) {
      const changed = await db.run('INSERT INTO video_recording_chunks (recording_id, seq, key_id, data, bytes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (recording_id, seq) DO NOTHING', [id, seq, keyId, data, bytes]);
      return changed > 0;
    },
    async chunks(id) {
      return (await db.all<{ seq: number; key_id: string; data: string }>('SELECT seq, key_id, data FROM video_recording_chunks WHERE recording_id = $1 ORDER BY seq', [id])).map((row) => ({ seq: Number(row.seq), keyId: row.key_id, data: row.data }));
    },
    async purge(nowMs) {
      const due = await db.all<{ id: string }>('SELECT id FROM video_recordings WHERE delete_after_ms <= $1', [nowMs]);
      for (const { id } of due) {
        await db.run('DELETE FROM video_recording_chunks WHERE recording_id = $1', [id]);
        await db.run('DELETE FROM video_recordings WHERE id = $1', [id]);
      }
      return due.map((row) => row.id);
    },
    async audit(entry) {
      await db.run('INSERT INTO video_recording_audit (id, at_ms, actor, event, recording_id, outcome) VALUES ($1, $2, $3, $4, $5, $6)', [randomUUID(), entry.atMs, entry.actor, entry.event, entry.recordingId, entry.outcome]);
    },
    async auditEntries(limit) {
      const rows = await db.all<{ at_ms: number; actor: string; event: string; recording_id: string | null; outcome: string }>('SELECT at_ms, actor, event, recording_id, outcome FROM video_recording_audit ORDER BY at_ms, id LIMIT $1', [limit]);
      return rows.map((row) => ({ atMs: Number(row.at_ms), actor: row.actor, event: row.event, recordingId: row.recording_id, outcome: row.outcome }));
    },
  };
}
