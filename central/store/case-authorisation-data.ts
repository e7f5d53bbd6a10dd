import { randomUUID } from 'node:crypto';
import type { SqlSession } from './sql-data.js';
import type { CaseAuthorisationStore } from './store.js';

/**
 * The staff console's view of a 代办 case's authorisation (issue 12; migrations 0007 and 0010), in the SQL
 * SQLite and PostgreSQL both run: the case's agency columns as stored, and the view's audit.
 */
export function caseAuthorisationData(db: SqlSession): CaseAuthorisationStore {
  return {
    async find(caseNumber) {
      const row = await db.get<{ case_number: string; service_name: string; applicant_id: string; applicant_name: string; agent_id: string | null; agent_name: string | null; agency_relationship: string | null; agency_authorisation: string | null }>(
        'SELECT case_number, service_name, applicant_id, applicant_name, agent_id, agent_name, agency_relationship, agency_authorisation FROM cases WHERE case_number = $1',
        [caseNumber],
      );
      if (!row) return null;
      return {
        caseNumber: row.case_number,
        serviceName: row.service_name,
        applicantId: row.applicant_id,
        applicantName: row.applicant_name,
        agentId: row.agent_id,
        agentName: row.agent_name,
        relationship: row.agency_relationship,
        authorisation: row.agency_authorisation,
      };
    },
    async audit(entry) {
      await db.run('INSERT INTO case_view_audit (id, at_ms, actor, event, case_number, outcome) VALUES ($1, $2, $3, $4, $5, $6)', [randomUUID(), entry.atMs, entry.actor, entry.event, entry.caseNumber, entry.outcome]);
    },
    async auditEntries(caseNumber) {
      const rows = await db.all<{ at_ms: number; actor: string; event: string; case_number: string; outcome: string }>('SELECT at_ms, actor, event, case_number, outcome FROM case_view_audit WHERE case_number = $1 ORDER BY at_ms, id', [caseNumber]);
      return rows.map((row) => ({ atMs: Number(row.at_ms), actor: row.actor, event: row.event, caseNumber: row.case_number, outcome: row.outcome }));
    },
  };
}
