import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { CaseRecord } from '../../contract/central/api.js';
import type { SignatureAlgorithm } from '../../contract/central/signing.js';
import type { CaseStatus } from '../../contract/domain.js';
import { loadMigrations, pendingMigrations, type Migration } from './migrations.js';
import type { CentralData, CentralStore, IdempotencyRecord, StaffRecord } from './store.js';

/**
 * Central's store on SQLite (better-sqlite3): one file per reference deployment, WAL, synchronous=FULL,
 * the migrations of central/migrations/ applied at open. `:memory:` works for benches.
 *
 * better-sqlite3 is synchronous and one connection serves every request, so work is queued: a
 * transaction holds the connection until it commits, and every other call waits its turn, so nothing
 * of another request can slip into an open transaction while it awaits.
 */
export async function openSqliteStore(file: string, migrations: Migration[] = loadMigrations()): Promise<CentralStore> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);

  const direct = sqliteData(db);
  const insideTransaction = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    if (insideTransaction.getStore()) {
      return Promise.reject(new Error('central store: inside a transaction, use its tx, not the store (the store waits for the transaction)'));
    }
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
  const queued = Object.fromEntries(
    Object.entries(direct).map(([resource, methods]) => [
      resource,
      Object.fromEntries(
        Object.entries(methods as Record<string, (...args: unknown[]) => Promise<unknown>>).map(([name, method]) => [name, (...args: unknown[]) => exclusive(() => method(...args))]),
      ),
    ]),
  ) as unknown as CentralData;

  return {
    ...queued,
    transaction: (work) =>
      exclusive(() =>
        insideTransaction.run(true, async () => {
          db.exec('BEGIN IMMEDIATE');
          try {
            const result = await work(direct);
            db.exec('COMMIT');
            return result;
          } catch (error) {
            if (db.inTransaction) db.exec('ROLLBACK');
            throw error;
          }
        }),
      ),
    close: () =>
      exclusive(async () => {
        db.close();
      }),
  };
}

/** Applies the pending migrations in one IMMEDIATE transaction: a second process opening the file waits, then finds them applied. */
function migrate(db: Database.Database, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    const applied = db.prepare<[], number>('SELECT version FROM schema_migrations').pluck().all();
    for (const migration of pendingMigrations(migrations, applied)) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
  }).immediate();
}

interface CaseRow {
  case_number: string;
  local_number: string;
  service_id: string;
  service_name: string;
  status: string;
  submitted_at: string;
  rated: number;
}

function caseRecord(row: CaseRow): CaseRecord {
  return {
    caseNumber: row.case_number,
    localNumber: row.local_number,
    serviceId: row.service_id,
    serviceName: row.service_name,
    status: row.status as CaseStatus,
    submittedAt: row.submitted_at,
    rated: row.rated > 0,
  };
}

/** The statements, unqueued: used as they are inside a transaction, and through the queue outside one. */
function sqliteData(db: Database.Database): CentralData {
  const statements = {
    registerTerminal: db.prepare(
      `INSERT INTO terminals (id, secret, algorithm, hall) VALUES (@id, @secret, @algorithm, @hall)
       ON CONFLICT(id) DO UPDATE SET secret = excluded.secret, algorithm = excluded.algorithm, hall = excluded.hall`,
    ),
    credentials: db.prepare<[string], { secret: string; algorithm: SignatureAlgorithm }>('SELECT secret, algorithm FROM terminals WHERE id = ?'),
    hall: db.prepare<[string], { hall: string }>('SELECT hall FROM terminals WHERE id = ?'),
    heartbeat: db.prepare('UPDATE terminals SET last_seen = ?, queue_depth = ?, needs_staff = ?, devices = ?, version = ? WHERE id = ?'),
    claimNonce: db.prepare('INSERT OR IGNORE INTO nonces (key_id, nonce, ts) VALUES (?, ?, ?)'),
    purgeNonces: db.prepare('DELETE FROM nonces WHERE ts < ?'),
    getKey: db.prepare<[string, string], { request_hash: string; state: 'in-flight' | 'done'; status: number | null; body: string | null }>(
      'SELECT request_hash, state, status, body FROM idempotency WHERE terminal_id = ? AND key = ?',
    ),
    claimKey: db.prepare("INSERT INTO idempotency (key, terminal_id, request_hash, state, created_at) VALUES (?, ?, ?, 'in-flight', ?)"),
    finishKey: db.prepare("UPDATE idempotency SET state = 'done', status = ?, body = ? WHERE terminal_id = ? AND key = ?"),
    releaseKey: db.prepare('DELETE FROM idempotency WHERE terminal_id = ? AND key = ?'),
    releaseInFlight: db.prepare("DELETE FROM idempotency WHERE state = 'in-flight'"),
    purgeKeys: db.prepare('DELETE FROM idempotency WHERE created_at < ?'),
    nextCounter: db.prepare<[string], { value: number }>(
      'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
    ),
    insertCase: db.prepare(
      `INSERT INTO cases (case_number, local_number, terminal_id, service_id, service_name, status, applicant_id, applicant_name,
        identity_source, assisted_by, payload, reasons, submitted_at, received_at)
       VALUES (@caseNumber, @localNumber, @terminalId, @serviceId, @serviceName, @status, @applicantId, @applicantName,
        @identitySource, @assistedBy, @payload, @reasons, @submittedAt, @receivedAt)`,
    ),
    caseByLocal: db.prepare<[string, string], { case_number: string; status: string; reasons: string }>(
      'SELECT case_number, status, reasons FROM cases WHERE terminal_id = ? AND local_number = ?',
    ),
    caseByRef: db.prepare<[string, string], CaseRow>(
      `SELECT c.*, (SELECT COUNT(*) FROM ratings r WHERE r.case_number = c.case_number) AS rated FROM cases c
       WHERE c.case_number = ? OR c.local_number = ? ORDER BY c.received_at LIMIT 1`,
    ),
    casesByApplicant: db.prepare<[string], CaseRow>(
      `SELECT c.*, (SELECT COUNT(*) FROM ratings r WHERE r.case_number = c.case_number) AS rated FROM cases c
       WHERE c.applicant_id = ? ORDER BY c.received_at DESC, c.case_number DESC LIMIT 20`,
    ),
    openCase: db.prepare<[string, string], { n: number }>(
      "SELECT COUNT(*) AS n FROM cases WHERE applicant_id = ? AND service_id = ? AND status IN ('accepted', 'queued')",
    ),
    insertRating: db.prepare(
      `INSERT OR IGNORE INTO ratings (case_number, level, reason, contact, channel, staff_number, rated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    putProfile: db.prepare('INSERT OR REPLACE INTO profiles (id_number, mobile, address) VALUES (?, ?, ?)'),
    profile: db.prepare<[string], { mobile: string | null; address: string | null }>('SELECT mobile, address FROM profiles WHERE id_number = ?'),
    licences: db.prepare<[string, string], { licence_id: string; title: string; issuer: string; issued_on: string }>(
      'SELECT licence_id, title, issuer, issued_on FROM licences WHERE holder_id = ? AND licence_type = ?',
    ),
    putStaff: db.prepare(
      `INSERT INTO staff (staff_number, name, role, pin_salt, pin_hash) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(staff_number) DO UPDATE SET name = excluded.name, role = excluded.role, pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash`,
    ),
    staff: db.prepare<[string], { name: string; role: StaffRecord['role']; pin_salt: string; pin_hash: string; failures: number; locked_until: number }>(
      'SELECT name, role, pin_salt, pin_hash, failures, locked_until FROM staff WHERE staff_number = ?',
    ),
    // Every expression reads the row as it was, so failures + 1 is the same count in both columns.
    staffFailure: db.prepare(
      `UPDATE staff SET
         locked_until = CASE WHEN failures + 1 >= @lockAfter THEN @lockUntil ELSE 0 END,
         failures = CASE WHEN failures + 1 >= @lockAfter THEN 0 ELSE failures + 1 END
       WHERE staff_number = @staffNumber`,
    ),
    staffCleared: db.prepare('UPDATE staff SET failures = 0, locked_until = 0 WHERE staff_number = ?'),
  };

  return {
    terminals: {
      register: async (terminal) => {
        statements.registerTerminal.run(terminal);
      },
      credentials: async (keyId) => statements.credentials.get(keyId) ?? null,
      hall: async (terminalId) => statements.hall.get(terminalId)?.hall ?? null,
      recordHeartbeat: async (terminalId, heartbeat) => {
        statements.heartbeat.run(heartbeat.receivedAt, heartbeat.queueDepth, heartbeat.needsStaff, heartbeat.devices, heartbeat.version, terminalId);
      },
    },
    nonces: {
      claim: async (keyId, nonce, timestampMs) => statements.claimNonce.run(keyId, nonce, timestampMs).changes === 1,
      purgeBefore: async (timestampMs) => {
        statements.purgeNonces.run(timestampMs);
      },
    },
    idempotency: {
      claim: async (terminalId, key, requestHash, createdAtMs) =>
        db
          .transaction((): IdempotencyRecord | null => {
            const row = statements.getKey.get(terminalId, key);
            if (row) return { requestHash: row.request_hash, state: row.state, status: row.status, body: row.body };
            statements.claimKey.run(key, terminalId, requestHash, createdAtMs);
            return null;
          })
          .immediate(),
      complete: async (terminalId, key, answer) => {
        statements.finishKey.run(answer.status, answer.body, terminalId, key);
      },
      release: async (terminalId, key) => {
        statements.releaseKey.run(terminalId, key);
      },
      releaseInFlight: async () => {
        statements.releaseInFlight.run();
      },
      purgeBefore: async (createdAtMs) => {
        statements.purgeKeys.run(createdAtMs);
      },
    },
    counters: {
      next: async (name) => statements.nextCounter.get(name)?.value ?? 0,
    },
    cases: {
      insert: async (record) => {
        statements.insertCase.run({ ...record, reasons: JSON.stringify(record.reasons) });
      },
      byLocalNumber: async (terminalId, localNumber) => {
        const row = statements.caseByLocal.get(terminalId, localNumber);
        return row ? { caseNumber: row.case_number, status: row.status as CaseStatus, reasons: JSON.parse(row.reasons) as string[] } : null;
      },
      find: async (ref) => {
        const row = statements.caseByRef.get(ref, ref);
        return row ? caseRecord(row) : null;
      },
      byApplicant: async (applicantId) => statements.casesByApplicant.all(applicantId).map(caseRecord),
      hasOpenCase: async (applicantId, serviceId) => (statements.openCase.get(applicantId, serviceId)?.n ?? 0) > 0,
    },
    ratings: {
      add: async (rating) =>
        statements.insertRating.run(rating.caseNumber, rating.level, rating.reason, rating.contact, rating.channel, rating.staffNumber, rating.ratedAt).changes === 1,
    },
    profiles: {
      put: async (profile) => {
        statements.putProfile.run(profile.idNumber, profile.mobile, profile.address);
      },
      find: async (idNumber) => {
        const row = statements.profile.get(idNumber);
        return row ? { idNumber, mobile: row.mobile, address: row.address } : null;
      },
    },
    licences: {
      find: async (holderId, licenceType) =>
        statements.licences.all(holderId, licenceType).map((row) => ({
          licenceId: row.licence_id,
          licenceType,
          title: row.title,
          issuer: row.issuer,
          issuedOn: row.issued_on,
        })),
    },
    staff: {
      put: async (account) => {
        statements.putStaff.run(account.staffNumber, account.name, account.role, account.pinSalt, account.pinHash);
      },
      find: async (staffNumber) => {
        const row = statements.staff.get(staffNumber);
        return row
          ? { staffNumber, name: row.name, role: row.role, pinSalt: row.pin_salt, pinHash: row.pin_hash, failures: row.failures, lockedUntilMs: row.locked_until }
          : null;
      },
      recordFailure: async (staffNumber, lockAfter, lockUntilMs) => {
        statements.staffFailure.run({ staffNumber, lockAfter, lockUntil: lockUntilMs });
      },
      clearFailures: async (staffNumber) => {
        statements.staffCleared.run(staffNumber);
      },
    },
  };
}
