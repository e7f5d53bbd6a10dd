import type { CaseRecord } from '../../contract/central/api.js';
import type { SignatureAlgorithm } from '../../contract/central/signing.js';
import type { CaseStatus } from '../../contract/domain.js';
import { helpCallData } from './help-call-data.js';
import { videoRecordingData } from './video-recording-data.js';
import { caseAuthorisationData } from './case-authorisation-data.js';
import type { DeliveryChoice } from '../../contract/proofs.js';
import type { AgencyRelationship, AuthorisationKind } from '../../contract/agency.js';
import { maskIdNumber, maskName } from '../../contract/validators/gb11643.js';
import type { AlertRow, CentralData, ConfigLayerRecord, EnterpriseRecord, HeartbeatWrite, IdempotencyRecord, IssuedProofRecord, StaffRecord, TerminalFleetContext, TerminalRow } from './store.js';

/**
 * Every SQL statement of central, once, in the SQL that SQLite (3.35+) and PostgreSQL (15) both run:
 * `ON CONFLICT … DO NOTHING/UPDATE` (never `INSERT OR …`), `EXISTS` (never a `COUNT(*)`, which pg answers
 * as a string), `RETURNING`, `CAST(… AS BIGINT)` where PostgreSQL cannot infer a parameter's type.
 * Parameters are `$1…$n`; the SQLite session rewrites them to its `?`.
 *
 * The two stores differ only in how a session runs a statement and how a transaction holds a
 * connection (store/sqlite.ts, store/postgres.ts); what the statements mean is written here once.
 */
export interface SqlSession {
  /** Runs a statement and answers how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  get<Row>(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  all<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** `$from, $from+1, …` for `count` values: the placeholders of an IN list or a VALUES row. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, index) => `$${from + index}`).join(', ');
}

interface CaseRow {
  case_number: string;
  local_number: string;
  service_id: string;
  service_name: string;
  status: string;
  submitted_at: string;
  rated: number | boolean;
  delivery: string | null;
  agent_id: string | null;
  agent_name: string | null;
  agency_relationship: string | null;
  agency_authorisation_kind: string | null;
}

const CASE_COLUMNS = `c.case_number, c.local_number, c.service_id, c.service_name, c.status, c.submitted_at, c.delivery,
  c.agent_id, c.agent_name, c.agency_relationship, c.agency_authorisation_kind,
  EXISTS (SELECT 1 FROM ratings r WHERE r.case_number = c.case_number) AS rated`;

function caseRecord(row: CaseRow): CaseRecord {
  return {
    caseNumber: row.case_number,
    localNumber: row.local_number,
    serviceId: row.service_id,
    serviceName: row.service_name,
    status: row.status as CaseStatus,
    submittedAt: row.submitted_at,
    rated: Boolean(row.rated),
    ...(row.delivery ? { delivery: JSON.parse(row.delivery) as DeliveryChoice } : {}),
    ...(row.agent_id && row.agency_relationship && row.agency_authorisation_kind
      ? {
          agency: {
            agentNameMasked: maskName(row.agent_name ?? ''),
            agentIdMasked: maskIdNumber(row.agent_id),
            relationship: row.agency_relationship as AgencyRelationship,
            authorisation: row.agency_authorisation_kind as AuthorisationKind,
          },
        }
      : {}),
  };
}

interface TerminalDbRow {
  id: string;
  hall: string;
  district: string;
  state: string;
  last_seen_ms: number | null;
  interval_ms: number;
  version: string | null;
  pending: number | null;
  config_version: number | null;
}

const TERMINAL_COLUMNS = 'id, hall, district, state, last_seen_ms, interval_ms, version, pending, config_version';

function terminalRow(row: TerminalDbRow): TerminalRow {
  return {
    terminalId: row.id,
    hall: row.hall,
    district: row.district,
    state: row.state,
    lastSeenMs: row.last_seen_ms,
    intervalMs: row.interval_ms,
    softwareVersion: row.version,
    pending: row.pending,
    configVersion: row.config_version,
  };
}

/** A terminal's state at the time in parameter `$n` (ms): `silent` after three missed intervals, or never heard from. */
const stateAt = (n: number) => `CASE WHEN last_seen_ms IS NULL OR last_seen_ms < CAST($${n} AS BIGINT) - 3 * interval_ms THEN 'silent' ELSE state END`;

interface AlertDbRow {
  id: string;
  terminal_id: string;
  kind: string;
  message: string;
  raised_at_ms: number;
  cleared_at_ms: number | null;
}

function alertRow(row: AlertDbRow): AlertRow {
  return { id: row.id, terminalId: row.terminal_id, kind: row.kind, message: row.message, raisedAtMs: row.raised_at_ms, clearedAtMs: row.cleared_at_ms };
}

interface LayerDbRow {
  scope: ConfigLayerRecord['scope'];
  scope_id: string;
  settings: string;
  version: number;
  updated_by: string;
  updated_at_ms: number;
}

function layerRecord(row: LayerDbRow): ConfigLayerRecord {
  return { scope: row.scope, scopeId: row.scope_id, settings: row.settings, version: row.version, updatedBy: row.updated_by, updatedAtMs: row.updated_at_ms };
}

const SCOPE_ORDER = { master: 0, district: 1, hall: 2, terminal: 3 } as const;
const byScope = (a: ConfigLayerRecord, b: ConfigLayerRecord) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope];

interface EnterpriseDbRow {
  credit_code: string;
  name: string;
  legal_representative_id: string;
  content: string;
}

const ENTERPRISE_COLUMNS = 'credit_code, name, legal_representative_id, content';

function enterpriseRecord(row: EnterpriseDbRow): EnterpriseRecord {
  return { creditCode: row.credit_code, name: row.name, legalRepresentativeId: row.legal_representative_id, content: row.content };
}

interface IssuedProofDbRow {
  verification_code: string;
  kind: string;
  subject_id: string;
  credit_code: string | null;
  case_number: string | null;
  terminal_id: string;
  document: string;
  digest: string;
  seal_key_id: string;
  signature: string;
  copies: number;
  issued_at: string;
  valid_until: string;
  /** Only where selected (byCase): the verification page never needs the PDF's bytes. */
  pdf?: string | null;
}

const ISSUED_PROOF_COLUMNS = 'verification_code, kind, subject_id, credit_code, case_number, terminal_id, document, digest, seal_key_id, signature, copies, issued_at, valid_until';

function issuedProofRecord(row: IssuedProofDbRow): IssuedProofRecord {
  return {
    verificationCode: row.verification_code,
    kind: row.kind,
    subjectId: row.subject_id,
    creditCode: row.credit_code,
    caseNumber: row.case_number,
    terminalId: row.terminal_id,
    document: row.document,
    digest: row.digest,
    sealKeyId: row.seal_key_id,
    signature: row.signature,
    copies: Number(row.copies),
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    ...(row.pdf ? { pdf: row.pdf } : {}),
  };
}

/** Central's resources over one SQL session (a connection, or a transaction's connection). */
export function sqlData(db: SqlSession): CentralData {
  const alertId = (terminalId: string, kind: string, atMs: number) => `${terminalId}:${kind}:${atMs}`;

  return {
    terminals: {
      register: async (terminal) => {
        await db.run(
          `INSERT INTO terminals (id, secret, algorithm, hall, district) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, algorithm = excluded.algorithm, hall = excluded.hall,
             district = CASE WHEN excluded.district = '' THEN terminals.district ELSE excluded.district END`,
          [terminal.id, terminal.secret, terminal.algorithm, terminal.hall, terminal.district ?? ''],
        );
      },
      credentials: async (keyId) => (await db.get<{ secret: string; algorithm: SignatureAlgorithm }>('SELECT secret, algorithm FROM terminals WHERE id = $1', [keyId])) ?? null,
      hall: async (terminalId) => (await db.get<{ hall: string }>('SELECT hall FROM terminals WHERE id = $1', [terminalId]))?.hall ?? null,
    },
    nonces: {
      claim: async (keyId, nonce, timestampMs) => (await db.run('INSERT INTO nonces (key_id, nonce, ts) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [keyId, nonce, timestampMs])) === 1,
      purgeBefore: async (timestampMs) => {
        await db.run('DELETE FROM nonces WHERE ts < $1', [timestampMs]);
      },
    },
    idempotency: {
      async claim(terminalId, key, requestHash, nowMs, leaseUntilMs = nowMs + 60_000) {
        // Three statements, each atomic on its own; a claim released between them makes the loop go round again.
        for (;;) {
          const inserted = await db.get(
            `INSERT INTO idempotency (key, terminal_id, request_hash, state, created_at, lease_until) VALUES ($1, $2, $3, 'in-flight', $4, $5)
             ON CONFLICT (terminal_id, key) DO NOTHING RETURNING key`,
            [key, terminalId, requestHash, nowMs, leaseUntilMs],
          );
          if (inserted) return null;
          const takenOver = await db.get(
            `UPDATE idempotency SET lease_until = $1 WHERE terminal_id = $2 AND key = $3 AND state = 'in-flight' AND request_hash = $4 AND lease_until < $5 RETURNING key`,
            [leaseUntilMs, terminalId, key, requestHash, nowMs],
          );
          if (takenOver) return null;
          const row = await db.get<{ request_hash: string; state: IdempotencyRecord['state']; status: number | null; body: string | null }>(
            'SELECT request_hash, state, status, body FROM idempotency WHERE terminal_id = $1 AND key = $2',
            [terminalId, key],
          );
          if (row) return { requestHash: row.request_hash, state: row.state, status: row.status, body: row.body };
        }
      },
      complete: async (terminalId, key, answer) => {
        await db.run("UPDATE idempotency SET state = 'done', status = $1, body = $2 WHERE terminal_id = $3 AND key = $4", [answer.status, answer.body, terminalId, key]);
      },
      release: async (terminalId, key) => {
        await db.run("DELETE FROM idempotency WHERE terminal_id = $1 AND key = $2 AND state = 'in-flight'", [terminalId, key]);
      },
      purgeBefore: async (createdAtMs) => {
        await db.run('DELETE FROM idempotency WHERE created_at < $1', [createdAtMs]);
      },
    },
    counters: {
      next: async (name) =>
        (await db.get<{ value: number }>('INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value', [name]))?.value ?? 0,
    },
    cases: {
      insert: async (record) => {
        await db.run(
          `INSERT INTO cases (case_number, local_number, terminal_id, service_id, service_name, status, applicant_id, applicant_name,
             identity_source, assisted_by, payload, payload_digest, reasons, submitted_at, received_at,
             identity_check_method, identity_check_staff, identity_check_outcome, delivery,
             agent_id, agent_name, agency_relationship, agency_principal_source, agency_authorisation_kind, agency_authorisation)
           VALUES (${placeholders(25)})`,
          [
            record.caseNumber,
            record.localNumber,
            record.terminalId,
            record.serviceId,
            record.serviceName,
            record.status,
            record.applicantId,
            record.applicantName,
            record.identitySource,
            record.assistedBy,
            record.payload,
            record.payloadDigest,
            JSON.stringify(record.reasons),
            record.submittedAt,
            record.receivedAt,
            record.identityCheckMethod ?? null,
            record.identityCheckStaff ?? null,
            record.identityCheckOutcome ?? null,
            record.delivery ?? null,
            record.agency?.agentId ?? null,
            record.agency?.agentName ?? null,
            record.agency?.relationship ?? null,
            record.agency?.principalSource ?? null,
            record.agency?.authorisationKind ?? null,
            record.agency?.authorisation ?? null,
          ],
        );
      },
      byLocalNumber: async (terminalId, localNumber) => {
        const row = await db.get<{ case_number: string; status: string; reasons: string; applicant_id: string; payload_digest: string | null }>(
          'SELECT case_number, status, reasons, applicant_id, payload_digest FROM cases WHERE terminal_id = $1 AND local_number = $2',
          [terminalId, localNumber],
        );
        return row
          ? {
              caseNumber: row.case_number,
              status: row.status as CaseStatus,
              reasons: JSON.parse(row.reasons) as string[],
              applicantId: row.applicant_id,
              payloadDigest: row.payload_digest,
            }
          : null;
      },
      find: async (ref) => {
        const row = await db.get<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.case_number = $1 OR c.local_number = $1 ORDER BY c.received_at LIMIT 1`, [ref]);
        return row ? caseRecord(row) : null;
      },
      byApplicant: async (applicantId) =>
        (await db.all<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.applicant_id = $1 ORDER BY c.received_at DESC, c.case_number DESC LIMIT 20`, [applicantId])).map(caseRecord),
      agencyOf: async (caseNumber) => {
        const row = await db.get<{ agent_id: string | null; agent_name: string | null; agency_relationship: string | null; agency_principal_source: string | null; agency_authorisation_kind: string | null; agency_authorisation: string | null }>(
          'SELECT agent_id, agent_name, agency_relationship, agency_principal_source, agency_authorisation_kind, agency_authorisation FROM cases WHERE case_number = $1',
          [caseNumber],
        );
        if (!row?.agent_id || !row.agency_relationship || !row.agency_principal_source || !row.agency_authorisation_kind || !row.agency_authorisation) return null;
        return {
          agentId: row.agent_id,
          agentName: row.agent_name ?? '',
          relationship: row.agency_relationship,
          principalSource: row.agency_principal_source,
          authorisationKind: row.agency_authorisation_kind,
          authorisation: row.agency_authorisation,
        };
      },
      hasOpenCase: async (applicantId, serviceId) =>
        Boolean(
          (
            await db.get<{ open: number | boolean }>(
              "SELECT EXISTS (SELECT 1 FROM cases WHERE applicant_id = $1 AND service_id = $2 AND status IN ('accepted', 'queued')) AS open",
              [applicantId, serviceId],
            )
          )?.open,
        ),
    },
    ratings: {
      add: async (rating) =>
        (await db.run(
          `INSERT INTO ratings (case_number, level, reason, contact, channel, staff_number, rated_at) VALUES (${placeholders(7)}) ON CONFLICT DO NOTHING`,
          [rating.caseNumber, rating.level, rating.reason, rating.contact, rating.channel, rating.staffNumber, rating.ratedAt],
        )) === 1,
    },
    profiles: {
      put: async (profile) => {
        await db.run(
          'INSERT INTO profiles (id_number, mobile, address) VALUES ($1, $2, $3) ON CONFLICT (id_number) DO UPDATE SET mobile = excluded.mobile, address = excluded.address',
          [profile.idNumber, profile.mobile, profile.address],
        );
      },
      find: async (idNumber) => {
        const row = await db.get<{ mobile: string | null; address: string | null }>('SELECT mobile, address FROM profiles WHERE id_number = $1', [idNumber]);
        return row ? { idNumber, mobile: row.mobile, address: row.address } : null;
      },
    },
    licences: {
      find: async (holderId, licenceType) =>
        (
          await db.all<{ licence_id: string; title: string; issuer: string; issued_on: string }>(
            'SELECT licence_id, title, issuer, issued_on FROM licences WHERE holder_id = $1 AND licence_type = $2 ORDER BY licence_id',
            [holderId, licenceType],
          )
        ).map((row) => ({ licenceId: row.licence_id, licenceType, title: row.title, issuer: row.issuer, issuedOn: row.issued_on })),
    },
    staff: {
      put: async (account) => {
        await db.run(
          `INSERT INTO staff (staff_number, name, role, pin_salt, pin_hash) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (staff_number) DO UPDATE SET name = excluded.name, role = excluded.role, pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash`,
          [account.staffNumber, account.name, account.role, account.pinSalt, account.pinHash],
        );
      },
      find: async (staffNumber) => {
        const row = await db.get<{ name: string; role: StaffRecord['role']; pin_salt: string; pin_hash: string; failures: number; locked_until: number }>(
          'SELECT name, role, pin_salt, pin_hash, failures, locked_until FROM staff WHERE staff_number = $1',
          [staffNumber],
        );
        return row
          ? { staffNumber, name: row.name, role: row.role, pinSalt: row.pin_salt, pinHash: row.pin_hash, failures: row.failures, lockedUntilMs: row.locked_until }
          : null;
      },
      recordFailure: async (staffNumber, lockAfter, lockUntilMs) => {
        // Every expression reads the row as it was, so failures + 1 is the same count in both columns.
        await db.run(
          `UPDATE staff SET
             locked_until = CASE WHEN failures + 1 >= $1 THEN CAST($2 AS BIGINT) ELSE 0 END,
             failures = CASE WHEN failures + 1 >= $1 THEN 0 ELSE failures + 1 END
           WHERE staff_number = $3`,
          [lockAfter, lockUntilMs, staffNumber],
        );
      },
      clearFailures: async (staffNumber) => {
        await db.run('UPDATE staff SET failures = 0, locked_until = 0 WHERE staff_number = $1', [staffNumber]);
      },
    },
    sessions: {
      create: async (session) => {
        await db.run(`INSERT INTO staff_sessions (token_hash, staff_number, role, created_at_ms, idle_until_ms, expires_at_ms) VALUES (${placeholders(6)})`, [
          session.tokenHash,
          session.staffNumber,
          session.role,
          session.createdAtMs,
          session.idleUntilMs,
          session.expiresAtMs,
        ]);
      },
      use: async (tokenHash, nowMs, extendIdleToMs) => {
        const row = await db.get<{ staff_number: string; role: string; created_at_ms: number; idle_until_ms: number; expires_at_ms: number }>(
          `UPDATE staff_sessions SET idle_until_ms = CASE WHEN CAST($1 AS BIGINT) > idle_until_ms THEN CAST($1 AS BIGINT) ELSE idle_until_ms END
           WHERE token_hash = $2 AND idle_until_ms > $3 AND expires_at_ms > $3
           RETURNING staff_number, role, created_at_ms, idle_until_ms, expires_at_ms`,
          [extendIdleToMs ?? 0, tokenHash, nowMs],
        );
        return row
          ? { tokenHash, staffNumber: row.staff_number, role: row.role, createdAtMs: row.created_at_ms, idleUntilMs: row.idle_until_ms, expiresAtMs: row.expires_at_ms }
          : null;
      },
      revoke: async (tokenHash) => {
        await db.run('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
      },
      purgeEnded: async (nowMs) => {
        await db.run('DELETE FROM staff_sessions WHERE idle_until_ms <= $1 OR expires_at_ms <= $1', [nowMs]);
      },
    },
    fleet: {
      async contexts(terminalIds) {
        const contexts = new Map<string, TerminalFleetContext>();
        if (terminalIds.length === 0) return contexts;
        const rows = await db.all<{
          id: string;
          district: string;
          hall: string;
          remote_oos_message: string | null;
          remote_oos_by: string | null;
          remote_oos_at_ms: number | null;
          anchor_sequence: number | null;
          anchor_mac: string | null;
        }>(
          `SELECT id, district, hall, remote_oos_message, remote_oos_by, remote_oos_at_ms, anchor_sequence, anchor_mac FROM terminals WHERE id IN (${placeholders(terminalIds.length)})`,
          terminalIds,
        );
        for (const row of rows) {
          contexts.set(row.id, {
            terminalId: row.id,
            district: row.district,
            hall: row.hall,
            outOfService: row.remote_oos_message === null ? null : { message: row.remote_oos_message, by: row.remote_oos_by ?? '', atMs: row.remote_oos_at_ms ?? 0 },
            anchor: row.anchor_sequence === null || row.anchor_mac === null ? null : { sequence: row.anchor_sequence, mac: row.anchor_mac },
            pendingCommands: [],
          });
        }
        const commands = await db.all<{ id: string; terminal_id: string; kind: string; issued_by: string; issued_at_ms: number }>(
          `SELECT id, terminal_id, kind, issued_by, issued_at_ms FROM fleet_commands WHERE outcome IS NULL AND terminal_id IN (${placeholders(terminalIds.length)}) ORDER BY issued_at_ms`,
          terminalIds,
        );
        for (const command of commands) {
          contexts.get(command.terminal_id)?.pendingCommands.push({ id: command.id, kind: command.kind, issuedBy: command.issued_by, issuedAtMs: command.issued_at_ms });
        }
        return contexts;
      },

      async store(writes) {
        if (writes.length === 0) return;
        // One statement for the batch's terminals (each terminal's latest write): a round trip per row
        // would bound ingestion by the network to the database, not by the database.
        const latest = new Map<string, HeartbeatWrite>();
        for (const write of writes) if ((latest.get(write.terminalId)?.receivedAtMs ?? -1) <= write.receivedAtMs) latest.set(write.terminalId, write);
        const rows = [...latest.values()];
        for (let from = 0; from < rows.length; from += 200) {
          const chunk = rows.slice(from, from + 200);
          const types = ['TEXT', 'BIGINT', 'BIGINT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'BIGINT', 'BIGINT', 'BIGINT', 'TEXT', 'BIGINT', 'TEXT'];
          const values = chunk.map((_, row) => `(${types.map((type, column) => `CAST($${row * types.length + column + 1} AS ${type})`).join(', ')})`).join(', ');
          await db.run(
            `UPDATE terminals SET last_seen_ms = v.column2, interval_ms = v.column3, state = v.column4, district = v.column5, hall = v.column6, version = v.column7,
               pending = v.column8, needs_staff = v.column9, config_version = v.column10, heartbeat = v.column11,
               anchor_sequence = COALESCE(v.column12, terminals.anchor_sequence), anchor_mac = COALESCE(v.column13, terminals.anchor_mac)
             FROM (VALUES ${values}) AS v WHERE terminals.id = v.column1`,
            chunk.flatMap((write) => [
              write.terminalId,
              write.receivedAtMs,
              write.intervalMs,
              write.state,
              write.district,
              write.hall,
              write.softwareVersion,
              write.pending,
              write.needsStaff,
              write.configVersion,
              write.body,
              write.anchor?.sequence ?? null,
              write.anchor?.mac ?? null,
            ]),
          );
        }
        const history = writes.flatMap((write) => [write.terminalId, write.receivedAtMs, write.state, write.pending, write.needsStaff, write.note]);
        await db.run(
          `INSERT INTO fleet_history (terminal_id, received_at_ms, state, pending, needs_staff, note) VALUES ${writes.map((_, index) => `(${placeholders(6, index * 6 + 1)})`).join(', ')}`,
          history,
        );
        for (const write of writes) {
          if (!write.screenshot) continue;
          await db.run(
            `INSERT INTO fleet_screenshots (terminal_id, taken_at_ms, mime, data) VALUES ($1, $2, $3, $4)
             ON CONFLICT (terminal_id) DO UPDATE SET taken_at_ms = excluded.taken_at_ms, mime = excluded.mime, data = excluded.data`,
            [write.terminalId, write.screenshot.takenAtMs, write.screenshot.mime, write.screenshot.data],
          );
        }
        // Alerts: compare what is open with what each heartbeat says should be; change only the difference.
        const ids = writes.map((write) => write.terminalId);
        const open = await db.all<{ terminal_id: string; kind: string }>(
          `SELECT terminal_id, kind FROM fleet_alerts WHERE cleared_at_ms IS NULL AND terminal_id IN (${placeholders(ids.length)})`,
          ids,
        );
        const openByTerminal = new Map<string, Set<string>>();
        for (const row of open) openByTerminal.set(row.terminal_id, (openByTerminal.get(row.terminal_id) ?? new Set()).add(row.kind));
        for (const write of writes) {
          const wanted = new Map(write.alerts.map((alert) => [alert.kind, alert.message]));
          const current = openByTerminal.get(write.terminalId) ?? new Set<string>();
          for (const kind of current) {
            if (!wanted.has(kind)) {
              await db.run('UPDATE fleet_alerts SET cleared_at_ms = $1 WHERE terminal_id = $2 AND kind = $3 AND cleared_at_ms IS NULL', [write.receivedAtMs, write.terminalId, kind]);
            }
          }
          for (const [kind, message] of wanted) {
            if (current.has(kind)) continue;
            await db.run(
              `INSERT INTO fleet_alerts (id, terminal_id, kind, message, raised_at_ms) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (terminal_id, kind) WHERE cleared_at_ms IS NULL DO NOTHING`,
              [alertId(write.terminalId, kind, write.receivedAtMs), write.terminalId, kind, message, write.receivedAtMs],
            );
          }
          for (const result of write.commandResults) {
            await db.run('UPDATE fleet_commands SET outcome = $1, note = $2, completed_at_ms = $3 WHERE id = $4 AND terminal_id = $5 AND outcome IS NULL', [
              result.outcome,
              result.note,
              result.atMs,
              result.id,
              write.terminalId,
            ]);
          }
        }
      },

      sweepSilent: async (nowMs, message) =>
        db.run(
          `INSERT INTO fleet_alerts (id, terminal_id, kind, message, raised_at_ms)
           SELECT id || ':silent:' || CAST($1 AS TEXT), id, 'silent', CAST($2 AS TEXT), CAST($1 AS BIGINT) FROM terminals
           WHERE last_seen_ms IS NOT NULL AND last_seen_ms < CAST($1 AS BIGINT) - 3 * interval_ms
           ON CONFLICT (terminal_id, kind) WHERE cleared_at_ms IS NULL DO NOTHING`,
          [nowMs, message],
        ),

      async list(filter, nowMs) {
        const conditions: string[] = [];
        const params: unknown[] = [];
        if (filter.district) conditions.push(`district = $${params.push(filter.district)}`);
        if (filter.hall) conditions.push(`hall = $${params.push(filter.hall)}`);
        if (filter.state) conditions.push(`${stateAt(params.push(nowMs))} = $${params.push(filter.state)}`);
        const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
        const total = await db.get<{ total: number }>(`SELECT COUNT(*) AS total FROM terminals ${where}`, params);
        const rowParams = [...params];
        const rows = await db.all<TerminalDbRow>(
          `SELECT ${TERMINAL_COLUMNS.replace('state', `${stateAt(rowParams.push(nowMs))} AS state`)} FROM terminals ${where}
           ORDER BY district, hall, id LIMIT $${rowParams.push(filter.limit)} OFFSET $${rowParams.push(filter.offset)}`,
          rowParams,
        );
        return { total: Number(total?.total ?? 0), rows: rows.map(terminalRow) };
      },

      async overview(nowMs) {
        const counts = await db.all<{ state: string; n: number }>(`SELECT ${stateAt(1)} AS state, COUNT(*) AS n FROM terminals GROUP BY 1`, [nowMs]);
        const districts = await db.all<{ district: string }>("SELECT DISTINCT district FROM terminals WHERE district <> '' ORDER BY district");
        const halls = await db.all<{ hall: string }>("SELECT DISTINCT hall FROM terminals WHERE hall <> '' ORDER BY hall");
        return {
          counts: Object.fromEntries(counts.map((row) => [row.state, Number(row.n)])),
          districts: districts.map((row) => row.district),
          halls: halls.map((row) => row.hall),
        };
      },

      terminal: async (terminalId) => {
        const row = await db.get<TerminalDbRow>(`SELECT ${TERMINAL_COLUMNS} FROM terminals WHERE id = $1`, [terminalId]);
        return row ? terminalRow(row) : null;
      },

      async latest(terminalId) {
        const body = await db.get<{ heartbeat: string | null }>('SELECT heartbeat FROM terminals WHERE id = $1', [terminalId]);
        const shot = await db.get<{ taken_at_ms: number; mime: string; data: string }>('SELECT taken_at_ms, mime, data FROM fleet_screenshots WHERE terminal_id = $1', [terminalId]);
        return { body: body?.heartbeat ?? null, screenshot: shot ? { takenAtMs: shot.taken_at_ms, mime: shot.mime, data: shot.data } : null };
      },

      history: async (terminalId, limit) =>
        (
          await db.all<{ received_at_ms: number; state: string; pending: number; needs_staff: number; note: string }>(
            'SELECT received_at_ms, state, pending, needs_staff, note FROM fleet_history WHERE terminal_id = $1 ORDER BY received_at_ms DESC LIMIT $2',
            [terminalId, limit],
          )
        ).map((row) => ({ receivedAtMs: row.received_at_ms, state: row.state, pending: row.pending, needsStaff: row.needs_staff, note: row.note })),

      async openAlerts(terminalIds, limit) {
        if (terminalIds && terminalIds.length === 0) return [];
        const rows = terminalIds
          ? await db.all<AlertDbRow>(
              `SELECT * FROM fleet_alerts WHERE cleared_at_ms IS NULL AND terminal_id IN (${placeholders(terminalIds.length)}) ORDER BY raised_at_ms DESC LIMIT $${terminalIds.length + 1}`,
              [...terminalIds, limit],
            )
          : await db.all<AlertDbRow>('SELECT * FROM fleet_alerts WHERE cleared_at_ms IS NULL ORDER BY raised_at_ms DESC LIMIT $1', [limit]);
        return rows.map(alertRow);
      },

      alerts: async (terminalId, limit) =>
        (await db.all<AlertDbRow>('SELECT * FROM fleet_alerts WHERE terminal_id = $1 ORDER BY raised_at_ms DESC LIMIT $2', [terminalId, limit])).map(alertRow),

      setOutOfService: async (terminalId, value) =>
        (await db.run('UPDATE terminals SET remote_oos_message = $1, remote_oos_by = $2, remote_oos_at_ms = $3 WHERE id = $4', [
          value?.message ?? null,
          value?.by ?? null,
          value?.atMs ?? null,
          terminalId,
        ])) === 1,

      issueCommand: async (command) =>
        (await db.run(
          `INSERT INTO fleet_commands (id, terminal_id, kind, issued_by, issued_at_ms) SELECT CAST($1 AS TEXT), id, CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS BIGINT) FROM terminals WHERE id = $5`,
          [command.id, command.kind, command.issuedBy, command.issuedAtMs, command.terminalId],
        )) === 1,

      commands: async (terminalId, limit) =>
        (
          await db.all<{ id: string; kind: string; issued_by: string; issued_at_ms: number; outcome: string | null; note: string | null; completed_at_ms: number | null }>(
            'SELECT id, kind, issued_by, issued_at_ms, outcome, note, completed_at_ms FROM fleet_commands WHERE terminal_id = $1 ORDER BY issued_at_ms DESC LIMIT $2',
            [terminalId, limit],
          )
        ).map((row) => ({ id: row.id, kind: row.kind, issuedBy: row.issued_by, issuedAtMs: row.issued_at_ms, outcome: row.outcome, note: row.note, completedAtMs: row.completed_at_ms })),

      putLogs: async (terminalId, commandId, lines, receivedAtMs) =>
        (await db.run(
          `INSERT INTO fleet_logs (command_id, terminal_id, lines, received_at_ms)
           SELECT id, terminal_id, CAST($1 AS TEXT), CAST($2 AS BIGINT) FROM fleet_commands WHERE id = $3 AND terminal_id = $4 AND kind = 'fetch-logs'
           ON CONFLICT (command_id) DO UPDATE SET lines = excluded.lines, received_at_ms = excluded.received_at_ms`,
          [lines, receivedAtMs, commandId, terminalId],
        )) === 1,

      logs: async (commandId) => {
        const row = await db.get<{ terminal_id: string; lines: string; received_at_ms: number }>('SELECT terminal_id, lines, received_at_ms FROM fleet_logs WHERE command_id = $1', [commandId]);
        return row ? { terminalId: row.terminal_id, lines: row.lines, receivedAtMs: row.received_at_ms } : null;
      },

      purgeHistory: async (beforeMs) => {
        await db.run('DELETE FROM fleet_history WHERE received_at_ms < $1', [beforeMs]);
      },
    },
    config: {
      list: async () => (await db.all<LayerDbRow>('SELECT * FROM config_layers')).map(layerRecord).sort(byScope),
      forTerminal: async (terminalId, district, hall) =>
        (
          await db.all<LayerDbRow>(
            `SELECT * FROM config_layers WHERE scope = 'master' OR (scope = 'district' AND scope_id = $1) OR (scope = 'hall' AND scope_id = $2) OR (scope = 'terminal' AND scope_id = $3)`,
            [district, hall, terminalId],
          )
        )
          .map(layerRecord)
          .sort(byScope),
      async forTerminals(terminals) {
        if (terminals.length === 0) return [];
        const districts = [...new Set(terminals.map((terminal) => terminal.district))];
        const halls = [...new Set(terminals.map((terminal) => terminal.hall))];
        const ids = terminals.map((terminal) => terminal.terminalId);
        let next = 1;
        const list = (values: string[]) => {
          const text = placeholders(values.length, next);
          next += values.length;
          return text;
        };
        const sql = `SELECT * FROM config_layers WHERE scope = 'master'
          OR (scope = 'district' AND scope_id IN (${list(districts)}))
          OR (scope = 'hall' AND scope_id IN (${list(halls)}))
          OR (scope = 'terminal' AND scope_id IN (${list(ids)}))`;
        return (await db.all<LayerDbRow>(sql, [...districts, ...halls, ...ids])).map(layerRecord).sort(byScope);
      },
      async put(layer) {
        const version = (await db.get<{ value: number }>("INSERT INTO counters (name, value) VALUES ('config-version', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"))
          ?.value;
        if (version === undefined) throw new Error('central store: config-version counter gave no value');
        await db.run(
          `INSERT INTO config_layers (scope, scope_id, settings, version, updated_by, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (scope, scope_id) DO UPDATE SET settings = excluded.settings, version = excluded.version, updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms`,
          [layer.scope, layer.scopeId, layer.settings, version, layer.updatedBy, layer.updatedAtMs],
        );
        await db.run(`INSERT INTO config_history (version, scope, scope_id, settings, changed_by, changed_at_ms) VALUES (${placeholders(6)})`, [
          version,
          layer.scope,
          layer.scopeId,
          layer.settings,
          layer.updatedBy,
          layer.updatedAtMs,
        ]);
        return Number(version);
      },
      async reach(scope, scopeId) {
        const where = { master: 'TRUE', district: 'district = $1', hall: 'hall = $1', terminal: 'id = $1' }[scope];
        return (await db.all<{ id: string; district: string; hall: string }>(`SELECT id, district, hall FROM terminals WHERE ${where}`, scope === 'master' ? [] : [scopeId])).map((row) => ({
          terminalId: row.id,
          district: row.district,
          hall: row.hall,
        }));
      },
    },
    helpCalls: helpCallData(db),
    videoRecordings: videoRecordingData(db),
    caseAuthorisations: caseAuthorisationData(db),
    proofs: {
      putSource: async (idNumber, kind, content) => {
        await db.run('INSERT INTO proof_sources (id_number, kind, content) VALUES ($1, $2, $3) ON CONFLICT (id_number, kind) DO UPDATE SET content = excluded.content', [
          idNumber,
          kind,
          content,
        ]);
      },
      source: async (idNumber, kind) => (await db.get<{ content: string }>('SELECT content FROM proof_sources WHERE id_number = $1 AND kind = $2', [idNumber, kind]))?.content ?? null,
      kindsOf: async (idNumber) => (await db.all<{ kind: string }>('SELECT kind FROM proof_sources WHERE id_number = $1 ORDER BY kind', [idNumber])).map((row) => row.kind),
      putEnterprise: async (enterprise) => {
        await db.run(
          `INSERT INTO enterprises (credit_code, name, legal_representative_id, content) VALUES ($1, $2, $3, $4)
           ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, legal_representative_id = excluded.legal_representative_id, content = excluded.content`,
          [enterprise.creditCode, enterprise.name, enterprise.legalRepresentativeId, enterprise.content],
        );
      },
      enterprise: async (creditCode) => {
        const row = await db.get<EnterpriseDbRow>(`SELECT ${ENTERPRISE_COLUMNS} FROM enterprises WHERE credit_code = $1`, [creditCode]);
        return row ? enterpriseRecord(row) : null;
      },
      enterprisesOf: async (idNumber) =>
        (await db.all<EnterpriseDbRow>(`SELECT ${ENTERPRISE_COLUMNS} FROM enterprises WHERE legal_representative_id = $1 ORDER BY name, credit_code`, [idNumber])).map(enterpriseRecord),
      record: async (proof) =>
        (await db.run(
          `INSERT INTO issued_proofs (verification_code, kind, subject_id, credit_code, case_number, terminal_id, document, digest, seal_key_id, signature, copies,
             issued_at, valid_until, pdf) VALUES (${placeholders(14)}) ON CONFLICT DO NOTHING`,
          [
            proof.verificationCode,
            proof.kind,
            proof.subjectId,
            proof.creditCode,
            proof.caseNumber,
            proof.terminalId,
            proof.document,
            proof.digest,
            proof.sealKeyId,
            proof.signature,
            proof.copies,
            proof.issuedAt,
            proof.validUntil,
            proof.pdf ?? null,
          ],
        )) === 1,
      byCode: async (verificationCode) => {
        const row = await db.get<IssuedProofDbRow>(`SELECT ${ISSUED_PROOF_COLUMNS} FROM issued_proofs WHERE verification_code = $1`, [verificationCode]);
        return row ? issuedProofRecord(row) : null;
      },
      byCase: async (caseNumber) => {
        const row = await db.get<IssuedProofDbRow>(`SELECT ${ISSUED_PROOF_COLUMNS}, pdf FROM issued_proofs WHERE case_number = $1 ORDER BY issued_at LIMIT 1`, [caseNumber]);
        return row ? issuedProofRecord(row) : null;
      },
    },
  };
}
