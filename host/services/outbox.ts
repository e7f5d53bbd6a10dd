import type Database from 'better-sqlite3';
import { openDurableDatabase } from './durable-database.js';
import { randomUUID } from 'node:crypto';
import { chinaDay } from '../../contract/china-time.js';
import type { OutboxEntry } from '../../contract/domain.js';
import { AuditChain } from './audit-chain.js';
import type { LocalNumberFloor } from './local-numbers.js';
import { open as openSealed, seal, type OutboxCipher } from './outbox-crypto.js';

/**
 * The durable outbox. A submission is written here, encrypted, in one transaction before the citizen
 * is told anything; only central's acknowledgement moves it to `delivered`, and only a later purge
 * (with an audit entry) removes its personal data. Nothing else deletes: an item that cannot be sent
 * goes to `needs-staff`, where staff see it and an alert is raised.
 */

/**
 * True when SQLite or the file system refused a write for lack of space or an I/O fault: the kiosk
 * must stop taking submissions (out of service) rather than tell a citizen "已提交" it cannot keep.
 */
export function isStorageFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(code) || code === 'ENOSPC' || code === 'EIO' || code === 'EROFS';
}
export type OutboxKind = 'application' | 'rating';
export type OutboxState = 'pending' | 'delivered' | 'needs-staff';

export interface OutboxItem {
  id: number;
  localNumber: string;
  kind: OutboxKind;
  idempotencyKey: string;
  serviceId: string;
  /** Pseudonym of the applicant for staff lists and logs; never the ID number. */
  applicantPseudonym: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  caseNumber: string | null;
  /** Central's acknowledgement (no personal data), once delivered. */
  acknowledgement: unknown;
  createdAt: number;
  deliveredAt: number | null;
  purgedAt: number | null;
  /** Must go after this local number's application (a rating after its case). */
  after: string | null;
}

/** One outbox row as stored (the sealed payload as bytes): what salvage copies from a damaged file. */
export interface OutboxRow {
  id: number;
  local_number: string;
  kind: OutboxKind;
  idempotency_key: string;
  service_id: string;
  applicant_pseudonym: string;
  payload: Buffer | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  case_number: string | null;
  acknowledgement: string | null;
  created_at: number;
  delivered_at: number | null;
  purged_at: number | null;
  after_local: string | null;
}

/** Every column but the sealed payload: lists and the drainer's batches never carry payloads they do not open. */
export const ITEM_COLUMNS =
  'id, local_number, kind, idempotency_key, service_id, applicant_pseudonym, state, attempts, next_attempt_at, last_error, case_number, acknowledgement, created_at, delivered_at, purged_at, after_local';
type ItemRow = Omit<OutboxRow, 'payload'>;

function toItem(row: ItemRow): OutboxItem {
  return {
    id: row.id,
    localNumber: row.local_number,
    kind: row.kind,
    idempotencyKey: row.idempotency_key,
    serviceId: row.service_id,
    applicantPseudonym: row.applicant_pseudonym,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    caseNumber: row.case_number,
    acknowledgement: row.acknowledgement ? (JSON.parse(row.acknowledgement) as unknown) : null,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    purgedAt: row.purged_at,
    after: row.after_local,
  };
}

export interface EnqueueInput {
  kind: OutboxKind;
  serviceId: string;
  applicantPseudonym: string;
  /** The request body for central, given the local number: contains personal data, so it is sealed. */
  payload: (localNumber: string) => unknown;
  /** For ratings: the local number of the case they rate. */
  after?: string;
  /** Fixed local number (ratings reuse the case's with a suffix); generated when absent. */
  localNumber?: string;
}

export interface OutboxOptions {
  file: string;
  key: Buffer;
  terminalId: string;
  /** How new payloads are sealed; items sealed before a switch still open (the version byte says how). */
  cipher?: OutboxCipher;
  now?: () => number;
  /**
   * Numbers handed out before this outbox existed or remembered them (local-numbers.ts): numbering starts
   * above its floor, and each number is reserved through it before use. Absent: the outbox alone decides.
   */
  localNumbers?: LocalNumberFloor;
}

/**
 * The outbox's SQLite file with its pragmas (the bench's bare insert opens its file the same way, so the
 * enqueue ratio compares like with like). A committed enqueue survives power loss, which is what "已提交"
 * promises; and a purged or relocated sealed payload is overwritten with zeros, not left in a free page
 * (剩余信息保护).
 */
export function openOutboxDatabase(file: string): Database.Database {
  const db = openDurableDatabase(file);
  db.pragma('secure_delete = ON');
  return db;
}

export class Outbox {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly statements;
  /** Append-only, hash-chained record of every state change that removes data or needs a person. */
  readonly audit: AuditChain;
  /** A checkpoint after a purge was held up: the WAL may still hold purged payloads' old pages. */
  private walScrubPending = false;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.db = openOutboxDatabase(options.file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        local_number TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('application', 'rating')),
        -- A random UUID per item; not indexed: nothing looks items up by key, and every index is one more
        -- page written (and fsynced) per enqueue. Central scopes keys by terminal anyway.
        idempotency_key TEXT NOT NULL,
        service_id TEXT NOT NULL,
        applicant_pseudonym TEXT NOT NULL,
        payload BLOB,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'needs-staff')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        case_number TEXT,
        acknowledgement TEXT,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        purged_at INTEGER,
        after_local TEXT
      );
      CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at, id);
    `);
    this.audit = new AuditChain(this.db, options.key, this.now);
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO outbox (local_number, kind, idempotency_key, service_id, applicant_pseudonym, payload, state, next_attempt_at, created_at, after_local)
         VALUES (@localNumber, @kind, @idempotencyKey, @serviceId, @applicantPseudonym, @payload, 'pending', @now, @now, @after)`,
      ),
      // The day's last number, read from the local-number index inside the enqueue transaction (no counter
      // row to write: rows are never deleted, so a number is never handed out twice). Zero-padded numbers
      // sort as text up to 9999 a day; past that (never seen at a kiosk) the slower scan decides.
      lastOfDay: this.db.prepare<[string, string], { local_number: string }>('SELECT local_number FROM outbox WHERE local_number > ? AND local_number < ? ORDER BY local_number DESC LIMIT 1'),
      lastOfDayScan: this.db.prepare<[number, string, string], { last: number | null }>(
        "SELECT MAX(CAST(substr(local_number, ?) AS INTEGER)) AS last FROM outbox WHERE local_number > ? AND local_number < ? AND kind = 'application'",
      ),
      byLocal: this.db.prepare<[string], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM outbox WHERE local_number = ?`),
      payloadOf: this.db.prepare<[string], Pick<OutboxRow, 'local_number' | 'kind' | 'payload'>>('SELECT local_number, kind, payload FROM outbox WHERE local_number = ?'),
      due: this.db.prepare<[number, number], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE state = 'pending' AND next_attempt_at <= ?
           AND (after_local IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.local_number = o.after_local AND p.state = 'delivered'))
         ORDER BY id LIMIT ?`,
      ),
      nextDue: this.db.prepare<[], { at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'"),
      delivered: this.db.prepare(
        "UPDATE outbox SET state = 'delivered', case_number = ?, acknowledgement = ?, delivered_at = ?, last_error = NULL WHERE id = ? AND state = 'pending'",
      ),
      retry: this.db.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'"),
      needsStaff: this.db.prepare("UPDATE outbox SET state = 'needs-staff', attempts = attempts + 1, last_error = ? WHERE id = ? AND state = 'pending'"),
      // Only what can be sent again: a record lost to storage damage has no payload to send.
      requeue: this.db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = NULL WHERE local_number = ? AND state = 'needs-staff' AND payload IS NOT NULL"),
      restore: this.db.prepare(
        `INSERT OR IGNORE INTO outbox (id, local_number, kind, idempotency_key, service_id, applicant_pseudonym, payload, state, attempts, next_attempt_at, last_error, case_number, acknowledgement, created_at, delivered_at, purged_at, after_local)
         VALUES (@id, @local_number, @kind, @idempotency_key, @service_id, @applicant_pseudonym, @payload, @state, @attempts, @next_attempt_at, @last_error, @case_number, @acknowledgement, @created_at, @delivered_at, @purged_at, @after_local)`,
      ),
      lost: this.db.prepare(
        `INSERT OR IGNORE INTO outbox (local_number, kind, idempotency_key, service_id, applicant_pseudonym, payload, state, next_attempt_at, last_error, created_at)
         VALUES (?, 'application', ?, '-', '-', NULL, 'needs-staff', ?, ?, ?)`,
      ),
      byLastError: this.db.prepare<[string, number], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM outbox WHERE state = 'needs-staff' AND last_error = ? ORDER BY id LIMIT ?`),
      foundOnCentral: this.db.prepare(
        "UPDATE outbox SET state = 'delivered', case_number = ?, acknowledgement = ?, delivered_at = ?, purged_at = ?, last_error = NULL WHERE local_number = ? AND state = 'needs-staff' AND payload IS NULL",
      ),
      setLastError: this.db.prepare("UPDATE outbox SET last_error = ? WHERE local_number = ? AND state = 'needs-staff'"),
      depth: this.db.prepare<[], { pending: number; needsStaff: number }>(
        "SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'needs-staff'), 0) AS needsStaff FROM outbox",
      ),
      oldestUnsent: this.db.prepare<[], { createdAt: number | null }>("SELECT MIN(created_at) AS createdAt FROM outbox WHERE state IN ('pending', 'needs-staff')"),
      listState: this.db.prepare<[string], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM outbox WHERE state = ? ORDER BY id`),
      // Reads the (state, …) index: no index on the pseudonym, which would cost every enqueue a page.
      unacknowledgedOf: this.db.prepare<[string], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM outbox WHERE state IN ('pending', 'needs-staff') AND kind = 'application' AND applicant_pseudonym = ? ORDER BY id DESC`,
      ),
      replanAttempts: this.db.prepare<[number, number]>("UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?"),
      replanDeliveries: this.db.prepare<[number, number]>("UPDATE outbox SET delivered_at = ? WHERE state = 'delivered' AND delivered_at > ?"),
      purgeable: this.db.prepare<[number], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM outbox WHERE state = 'delivered' AND payload IS NOT NULL AND delivered_at <= ?`),
      purge: this.db.prepare('UPDATE outbox SET payload = NULL, purged_at = ? WHERE id = ? AND state = ? AND payload IS NOT NULL'),
    };
  }

  private nextLocalNumber(): string {
    const day = chinaDay(this.now());
    const prefix = `${this.options.terminalId}-${day}-`;
    // '~' sorts after every digit: the range is exactly this day's numbers (a rating's `-R` included).
    const upper = `${prefix}~`;
    const newest = this.statements.lastOfDay.get(prefix, upper)?.local_number.slice(prefix.length);
    let last = Number(/^\d+/.exec(newest ?? '')?.[0] ?? 0);
    if (last >= 9999) last = this.statements.lastOfDayScan.get(prefix.length + 1, prefix, upper)?.last ?? last;
    const sequence = Math.max(last, this.options.localNumbers?.floor(day) ?? 0) + 1;
    this.options.localNumbers?.reserve(day, sequence);
    return `${prefix}${String(sequence).padStart(4, '0')}`;
  }

  /** One transaction: the item exists, sealed, before this returns. Throws only if the disk refuses. */
  enqueue(input: EnqueueInput): OutboxItem {
    const insert = this.db.transaction((): OutboxItem => {
      const localNumber = input.localNumber ?? this.nextLocalNumber();
      const now = this.now();
      const item: OutboxItem = {
        id: 0,
        localNumber,
        kind: input.kind,
        idempotencyKey: randomUUID(),
        serviceId: input.serviceId,
        applicantPseudonym: input.applicantPseudonym,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        caseNumber: null,
        acknowledgement: null,
        createdAt: now,
        deliveredAt: null,
        purgedAt: null,
        after: input.after ?? null,
      };
      const { lastInsertRowid } = this.statements.insert.run({
        localNumber,
        kind: item.kind,
        idempotencyKey: item.idempotencyKey,
        serviceId: item.serviceId,
        applicantPseudonym: item.applicantPseudonym,
        payload: seal(this.options.key, JSON.stringify(input.payload(localNumber)), `${localNumber}|${input.kind}`, this.options.cipher),
        now,
        after: item.after,
      });
      return { ...item, id: Number(lastInsertRowid) };
    });
    // The row as written, not read back: the committed transaction is the proof, and a read is one
    // more trip through SQLite on the path the citizen waits on.
    return insert.immediate();
  }

  get(localNumber: string): OutboxItem | null {
    const row = this.statements.byLocal.get(localNumber);
    return row ? toItem(row) : null;
  }

  /** The sealed request body, or null once purged. */
  payload(item: OutboxItem): unknown {
    const row = this.statements.payloadOf.get(item.localNumber);
    if (!row?.payload) return null;
    return JSON.parse(openSealed(this.options.key, row.payload, `${row.local_number}|${row.kind}`)) as unknown;
  }

  due(limit = 20): OutboxItem[] {
    return this.statements.due.all(this.now(), limit).map(toItem);
  }

  /** Milliseconds until the next pending item is due, or null when nothing is pending. */
  msUntilNextDue(): number | null {
    const at = this.statements.nextDue.get()?.at;
    return at === null || at === undefined ? null : Math.max(0, at - this.now());
  }

  /**
   * Redoes plans a wall-clock step made wrong (issue 10, kind 3): an attempt planned further ahead than
   * `horizonMs` (more than any backoff plans) was planned under a clock that has since stepped back, so
   * it is due now; a delivery stamped in the future starts its retention period now, so the purge of its
   * personal data is not put off by the size of the step. A clock stepped forward needs nothing: plans
   * fall due early, which the backoff tolerates. Returns how many attempts were made due.
   */
  replan(horizonMs: number): number {
    const now = this.now();
    return this.db
      .transaction(() => {
        this.statements.replanDeliveries.run(now, now);
        return this.statements.replanAttempts.run(now, now + horizonMs).changes;
      })
      .immediate();
  }

  markDelivered(item: OutboxItem, caseNumber: string | null, acknowledgement: unknown): void {
    this.statements.delivered.run(caseNumber, JSON.stringify(acknowledgement), this.now(), item.id);
  }

  scheduleRetry(item: OutboxItem, at: number, error: string): void {
    this.statements.retry.run(at, error, item.id);
  }

  markNeedsStaff(item: OutboxItem, error: string): void {
    this.db
      .transaction(() => {
        if (this.statements.needsStaff.run(error, item.id).changes === 1) {
          this.audit.append({ actor: 'drainer', event: 'outbox.needs-staff', subject: item.localNumber, pseudonym: item.applicantPseudonym, outcome: error });
        }
      })
      .immediate();
  }

  /** One applicant's applications central has not acknowledged yet, newest first (读卡查询 while offline). */
  unacknowledgedOf(applicantPseudonym: string): OutboxItem[] {
    return this.statements.unacknowledgedOf.all(applicantPseudonym).map(toItem);
  }

  /** Staff sent it back to the queue after fixing the cause (clock, credentials, catalog). */
  requeue(localNumber: string, actor: string): boolean {
    return this.db
      .transaction(() => {
        const item = this.get(localNumber);
        if (!item || this.statements.requeue.run(this.now(), localNumber).changes !== 1) return false;
        this.audit.append({ actor, event: 'outbox.requeued', subject: localNumber, pseudonym: item.applicantPseudonym, outcome: 'pending' });
        return true;
      })
      .immediate();
  }

  /**
   * Sends needs-staff items back to the queue (staff fixed a terminal-wide cause: clock, credentials):
   * every one, or those whose last error is `lastError`.
   */
  requeueAll(actor: string, lastError?: string): number {
    return this.list('needs-staff')
      .filter((item) => lastError === undefined || item.lastError === lastError)
      .filter((item) => this.requeue(item.localNumber, actor)).length;
  }

  /** What staff see: everything central has not acknowledged, needs-staff first; numbers only, no personal data. */
  staffView(): OutboxEntry[] {
    return [...this.list('needs-staff'), ...this.list('pending')].map((item) => ({
      localNumber: item.localNumber,
      kind: item.kind,
      serviceId: item.serviceId,
      state: item.state === 'needs-staff' ? 'needs-staff' : 'pending',
      attempts: item.attempts,
      lastError: item.lastError,
      createdAt: new Date(item.createdAt).toISOString(),
      nextAttemptAt: item.state === 'pending' ? new Date(item.nextAttemptAt).toISOString() : null,
    }));
  }

  depth(): { pending: number; needsStaff: number } {
    const row = this.statements.depth.get();
    return { pending: row?.pending ?? 0, needsStaff: row?.needsStaff ?? 0 };
  }

  /** When the oldest application central has not acknowledged was queued (ms), or null when none waits: the heartbeat's outbox age. */
  oldestUnsentAt(): number | null {
    return this.statements.oldestUnsent.get()?.createdAt ?? null;
  }

  list(state: OutboxState): OutboxItem[] {
    return this.statements.listState.all(state).map(toItem);
  }

  /**
   * Drops the personal data of items acknowledged more than `olderThanMs` ago, each with its audit entry
   * in the same transaction; never touches undelivered items. Returns what was purged.
   */
  purgeDelivered(olderThanMs: number): OutboxItem[] {
    const purged: OutboxItem[] = [];
    this.db
      .transaction(() => {
        for (const row of this.statements.purgeable.all(this.now() - olderThanMs)) {
          if (this.statements.purge.run(this.now(), row.id, 'delivered').changes !== 1) continue;
          this.audit.append({
            actor: 'retention',
            event: 'outbox.personal-data-purged',
            subject: row.local_number,
            pseudonym: row.applicant_pseudonym,
            outcome: `acknowledged ${row.case_number ?? '-'} at ${new Date(row.delivered_at ?? 0).toISOString()}`,
          });
          purged.push(toItem(row));
        }
      })
      .immediate();
    if (purged.length > 0 || this.walScrubPending) this.walScrubPending = !this.scrubWal();
    return purged;
  }

  /**
   * secure_delete zeroes what a purge frees, but in WAL mode the page as it was before stays in the WAL
   * (and, until a checkpoint, in the main file), where it decrypted with the key beside it, while running
   * and after a SIGKILL (issue 10, kind 7; 剩余信息保护). A TRUNCATE checkpoint writes the zeroed pages into
   * the main file and empties the WAL. One another connection holds up (a reader) is retried at the next
   * purge run: the rows are purged already, only their old images wait. True when it completed.
   */
  private scrubWal(): boolean {
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return result?.busy === 0;
  }

  /**
   * Copies rows salvaged from a damaged outbox file into this one, as they were (same ids, keys, sealed
   * payloads: the payload's associated data is its local number and kind, so it opens here too). A row
   * whose payload could not be read arrives with `payload: null` and is kept for staff.
   */
  restore(rows: readonly OutboxRow[]): void {
    this.db.transaction(() => {
      for (const row of rows) this.statements.restore.run(row);
    })();
  }

  /**
   * An application this kiosk acknowledged (its receipt is in the print journal) whose record is gone or
   * unreadable (issue 10, kind 2): kept as a needs-staff row without payload, so it is listed for staff and
   * 办件查询 says so, instead of the number answering "not found". `reason` becomes `lost: <reason>`.
   */
  recordLost(localNumber: string, reason: string): boolean {
    return this.db
      .transaction(() => {
        const now = this.now();
        if (this.statements.lost.run(localNumber, randomUUID(), now, `lost: ${reason}`, now).changes !== 1) return false;
        this.audit.append({ actor: 'storage', event: 'outbox.record-lost', subject: localNumber, outcome: reason });
        return true;
      })
      .immediate();
  }

  /** Lost records whose last error is exactly `lastError` (e.g. `lost: record-damaged`, not yet asked of central). */
  withLastError(lastError: string, limit = 20): OutboxItem[] {
    return this.statements.byLastError.all(lastError, limit).map(toItem);
  }

  /** Central has a case for a lost record's local number: it was delivered before the damage, to its own case. */
  markFoundOnCentral(localNumber: string, caseNumber: string, acknowledgement: unknown): boolean {
    return this.db
      .transaction(() => {
        const now = this.now();
        if (this.statements.foundOnCentral.run(caseNumber, JSON.stringify(acknowledgement), now, now, localNumber).changes !== 1) return false;
        this.audit.append({ actor: 'storage', event: 'outbox.found-on-central', subject: localNumber, outcome: caseNumber });
        return true;
      })
      .immediate();
  }

  /** Updates a needs-staff item's reason (a lost record central does not have either). */
  setStaffReason(localNumber: string, lastError: string): void {
    this.statements.setLastError.run(lastError, localNumber);
  }

  /** SQLite's own check of every page and index: `ok` or the problems found. */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  private createdSinceStatement: Database.Statement<[number, number], ItemRow> | null = null;

  /**
   * Applications created in `[fromMs, toMs)` (ms since the epoch), newest first, payloads not opened:
   * the staff desk's 今日办件 (host/staff-today.ts). Ratings are not listed.
   */
  applicationsCreatedBetween(fromMs: number, toMs: number): OutboxItem[] {
    this.createdSinceStatement ??= this.db.prepare<[number, number], ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox WHERE kind = 'application' AND created_at >= ? AND created_at < ? ORDER BY id DESC`,
    );
    return this.createdSinceStatement.all(fromMs, toMs).map(toItem);
  }

  close(): void {
    this.db.close();
  }
}
