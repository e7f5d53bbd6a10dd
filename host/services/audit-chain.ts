import type Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';

/**
 * The local audit trail (DOMAIN.md §7: time, actor, event, outcome; tamper-evident; pseudonymised;
 * kept ≥ 6 months). It lives in the outbox database so that an entry and the change it records commit
 * in one transaction: a purge without its audit entry cannot happen, even on power loss.
 *
 * - Append-only: triggers refuse UPDATE and DELETE, so no code path here can rewrite history.
 * - Tamper-evident: each entry's MAC covers the previous entry's MAC (a hash chain) under a key derived
 *   from the outbox key, which is kept outside the database. Someone with the database alone cannot
 *   edit, insert or remove an entry without `verify()` failing, except by cutting the newest entries off
 *   the end; that is caught by central, which anchors the head from every heartbeat and checks that a
 *   later chain still holds the anchored entry (central/fleet/heartbeat.ts). A forger who also holds the
 *   key could rebuild a chain; the anchor at central still shows the old head's MAC.
 * - Pseudonymised: subjects are local numbers and applicant pseudonyms, never names or ID numbers.
 * - Never pruned by this code: retention of audit entries is a records decision (≥ 6 months).
 */
export interface AuditEntry {
  sequence: number;
  at: number;
  /** `drainer`, `retention`, `staff:<number>`, `host`. */
  actor: string;
  event: string;
  /** Local number (not personal data) or `-`. */
  subject: string;
  /** Applicant pseudonym from the log's HMAC, or `-`. */
  pseudonym: string;
  outcome: string;
  mac: string;
}

const GENESIS = '0'.repeat(64);

export class AuditChain {
  private readonly key: Buffer;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    outboxKey: Buffer,
    private readonly now: () => number,
  ) {
    this.key = createHmac('sha256', outboxKey).update('taian-kiosk audit chain').digest();
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        sequence INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, event TEXT NOT NULL,
        subject TEXT NOT NULL, pseudonym TEXT NOT NULL, outcome TEXT NOT NULL, mac TEXT NOT NULL
      );
      CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `);
    this.statements = {
      head: db.prepare<[], { sequence: number; mac: string }>('SELECT sequence, mac FROM audit ORDER BY sequence DESC LIMIT 1'),
      insert: db.prepare('INSERT INTO audit (sequence, at, actor, event, subject, pseudonym, outcome, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      all: db.prepare<[], AuditEntry>('SELECT * FROM audit ORDER BY sequence'),
      macAt: db.prepare<[number], { mac: string }>('SELECT mac FROM audit WHERE sequence = ?'),
    };
  }

  private mac(previous: string, entry: Omit<AuditEntry, 'mac'>): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([previous, entry.sequence, entry.at, entry.actor, entry.event, entry.subject, entry.pseudonym, entry.outcome]))
      .digest('hex');
  }

  /** Appends one entry. Call inside the transaction that makes the change it records. */
  append(entry: { actor: string; event: string; subject?: string; pseudonym?: string; outcome: string }): AuditEntry {
    const head = this.statements.head.get();
    const base = {
      sequence: (head?.sequence ?? 0) + 1,
      at: this.now(),
      actor: entry.actor,
      event: entry.event,
      subject: entry.subject ?? '-',
      pseudonym: entry.pseudonym ?? '-',
      outcome: entry.outcome,
    };
    const mac = this.mac(head?.mac ?? GENESIS, base);
    this.statements.insert.run(base.sequence, base.at, base.actor, base.event, base.subject, base.pseudonym, base.outcome, mac);
    return { ...base, mac };
  }

  /** The newest entry's sequence and MAC (0 and 64 zeros for an empty chain): what central anchors. */
  head(): { sequence: number; mac: string } {
    const head = this.statements.head.get();
    return { sequence: head?.sequence ?? 0, mac: head?.mac ?? GENESIS };
  }

  /** The MAC of the entry at `sequence`, or null when the chain holds no such entry (any more). */
  macAt(sequence: number): string | null {
    return this.statements.macAt.get(sequence)?.mac ?? null;
  }

  /**
   * Copies entries salvaged from a damaged outbox file, as they were (sequence and MAC kept): the chain
   * still verifies up to the first entry that could not be read, and `verify()` shows where it breaks.
   */
  restore(entries: readonly AuditEntry[]): void {
    for (const entry of entries) this.statements.insert.run(entry.sequence, entry.at, entry.actor, entry.event, entry.subject, entry.pseudonym, entry.outcome, entry.mac);
  }

  entries(): AuditEntry[] {
    return this.statements.all.all();
  }

  /** Walks the chain: the first entry whose MAC or sequence does not follow, or null when intact. */
  verify(): { intact: true; entries: number } | { intact: false; brokenAt: number } {
    let previous = GENESIS;
    let expectedSequence = 1;
    const rows = this.statements.all.all();
    for (const row of rows) {
      if (row.sequence !== expectedSequence || this.mac(previous, row) !== row.mac) return { intact: false, brokenAt: expectedSequence };
      previous = row.mac;
      expectedSequence++;
    }
    return { intact: true, entries: rows.length };
  }
}
