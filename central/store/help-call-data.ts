import type { HelpCallState } from '../../contract/help-call.js';
import { placeholders, type SqlSession } from './sql-data.js';
import type { HelpCallRecord, HelpCallStore, NewHelpCall } from './store.js';

/**
 * The help-call queue's statements (issue 12), in the SQL SQLite and PostgreSQL both run (see
 * store/sql-data.ts). Every change takes a new value of the `help-call-revision` counter, so run the
 * changing methods inside a transaction: the counter's row lock orders changes across processes, and a
 * long-poll that read revision N sees every later change as a revision above N.
 */
interface HelpCallDbRow {
  id: string;
  terminal_id: string;
  hall: string;
  screen: string;
  service_id: string | null;
  state: string;
  created_at: string;
  received_at_ms: number;
  accepted_at: string | null;
  accepted_by: string | null;
  ended_at: string | null;
  ended_at_ms: number | null;
  revision: number;
}

function record(row: HelpCallDbRow): HelpCallRecord {
  return {
    id: row.id,
    terminalId: row.terminal_id,
    hall: row.hall,
    screen: row.screen,
    serviceId: row.service_id,
    state: row.state as HelpCallState,
    createdAt: row.created_at,
    receivedAtMs: Number(row.received_at_ms),
    acceptedAt: row.accepted_at,
    acceptedBy: row.accepted_by,
    endedAt: row.ended_at,
    endedAtMs: row.ended_at_ms === null ? null : Number(row.ended_at_ms),
    revision: Number(row.revision),
  };
}

/** Help calls over one SQL session (a connection, or a transaction's connection). */
export function helpCallData(db: SqlSession): HelpCallStore {
  const nextRevision = async () => {
    const value = (await db.get<{ value: number }>("INSERT INTO counters (name, value) VALUES ('help-call-revision', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"))?.value;
    if (value === undefined) throw new Error('central store: help-call-revision counter gave no value');
    return Number(value);
  };
  const find = async (id: string) => {
    const row = await db.get<HelpCallDbRow>('SELECT * FROM help_calls WHERE id = $1', [id]);
    return row ? record(row) : null;
  };
  return {
    async file(call: NewHelpCall) {
      const existing = await find(call.id);
      if (existing) return { call: existing, created: false };
      const revision = await nextRevision();
      const inserted = await db.run(
        `INSERT INTO help_calls (id, terminal_id, hall, screen, service_id, state, created_at, received_at_ms, revision)
         VALUES ($1, $2, $3, $4, $5, 'new', $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
        [call.id, call.terminalId, call.hall, call.screen, call.serviceId, call.createdAt, call.receivedAtMs, revision],
      );
      const stored = await find(call.id);
      if (!stored) throw new Error('central store: a filed help call was not found');
      return { call: stored, created: inserted === 1 };
    },
    find,
    async transition(id, change) {
      const revision = await nextRevision();
      const from = change.from;
      const sets =
        change.to === 'accepted'
          ? 'accepted_at = $3, accepted_by = $4'
          : // closed / cancelled
            'ended_at = $3, ended_at_ms = $4';
      const values = change.to === 'accepted' ? [change.at, change.by] : [change.at, change.atMs];
      const changed = await db.run(
        `UPDATE help_calls SET state = $1, revision = $2, ${sets} WHERE id = $5 AND state IN (${placeholders(from.length, 6)})`,
        [change.to, revision, ...values, id, ...from],
      );
      return changed === 1 ? find(id) : null;
    },
    async list(filter) {
      const params: unknown[] = [filter.endedSinceMs];
      let where = "(state IN ('new', 'accepted') OR ended_at_ms >= $1)";
      if (filter.hall !== null) {
        params.push(filter.hall);
        where += ` AND hall = $${params.length}`;
      }
      if (filter.terminalId !== null) {
        params.push(filter.terminalId);
        where += ` AND terminal_id = $${params.length}`;
      }
      return (await db.all<HelpCallDbRow>(`SELECT * FROM help_calls WHERE ${where} ORDER BY received_at_ms, id LIMIT 500`, params)).map(record);
    },
    async queuePosition(call) {
      if (call.state !== 'new') return null;
      const row = await db.get<{ ahead: number | string }>(
        "SELECT CAST(COUNT(*) AS INTEGER) AS ahead FROM help_calls WHERE hall = $1 AND state = 'new' AND (received_at_ms < $2 OR (received_at_ms = $2 AND id < $3))",
        [call.hall, call.receivedAtMs, call.id],
      );
      return Number(row?.ahead ?? 0) + 1;
    },
    async revision() {
      const row = await db.get<{ value: number | string }>("SELECT value FROM counters WHERE name = 'help-call-revision'");
      return row ? Number(row.value) : 0;
    },
    async reviewCases(hall, limit) {
      const params: unknown[] = [limit];
      const byHall = hall === null ? '' : ' AND t.hall = $2';
      if (hall !== null) params.push(hall);
      const rows = await db.all<{ case_number: string; local_number: string; terminal_id: string; hall: string | null; service_id: string; service_name: string; reasons: string; submitted_at: string; assisted_by: string | null; agency_relationship: string | null; agency_authorisation_kind: string | null }>(
        `SELECT c.case_number, c.local_number, c.terminal_id, t.hall, c.service_id, c.service_name, c.reasons, c.submitted_at, c.assisted_by,
                c.agency_relationship, c.agency_authorisation_kind
         FROM cases c LEFT JOIN terminals t ON t.id = c.terminal_id
         WHERE c.status = 'accepted' AND c.reasons <> '[]'${byHall} ORDER BY c.received_at DESC LIMIT $1`,
        params,
      );
      return rows.map((row) => ({
        caseNumber: row.case_number,
        localNumber: row.local_number,
        terminalId: row.terminal_id,
        hall: row.hall ?? '',
        serviceId: row.service_id,
        serviceName: row.service_name,
        reasons: JSON.parse(row.reasons) as string[],
        submittedAt: row.submitted_at,
        assistedBy: row.assisted_by,
        agency: row.agency_relationship && row.agency_authorisation_kind ? { relationship: row.agency_relationship, authorisation: row.agency_authorisation_kind } : null,
      }));
    },
    async stuckKiosks(hall) {
      const params: unknown[] = [];
      let where = 'pending > 0';
      if (hall !== null) {
        params.push(hall);
        where += ' AND hall = $1';
      }
      const rows = await db.all<{ id: string; hall: string; pending: number; needs_staff: number | null; last_seen_ms: number | null }>(
        `SELECT id, hall, pending, needs_staff, last_seen_ms FROM terminals WHERE ${where} ORDER BY pending DESC, id LIMIT 200`,
        params,
      );
      return rows.map((row) => ({ terminalId: row.id, hall: row.hall, pending: Number(row.pending), needsStaff: Number(row.needs_staff ?? 0), lastSeenMs: row.last_seen_ms === null ? null : Number(row.last_seen_ms) }));
    },
  };
}
