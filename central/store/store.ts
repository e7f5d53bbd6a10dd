import type { CaseRecord } from '../../contract/central/api.js';
import type { SignatureAlgorithm } from '../../contract/central/signing.js';
import type { CaseStatus, ELicence } from '../../contract/domain.js';

/**
 * Everything central keeps, behind one interface: every SQL statement lives in an implementation
 * (today `store/sqlite.ts`; PostgreSQL next), never in a route. Methods are async so an implementation
 * may talk to a database server. What must hold across several central processes — one answer per
 * Idempotency-Key, one case per terminal and local number, one number per case, one rating per case,
 * one use per nonce — is held by unique constraints and transactions (central/migrations/), not by
 * anything a process keeps in memory.
 *
 * Times are milliseconds since the epoch where a field says `Ms`, ISO 8601 strings elsewhere.
 */
export interface CentralStore extends CentralData {
  /**
   * Runs `work` in one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: one connection): everything
   * done through `tx` commits together, or nothing does when `work` throws. Inside `work`, use only
   * `tx`: the store itself waits for the transaction to end, so calling it there never returns (the
   * SQLite store throws instead of hanging).
   */
  transaction<T>(work: (tx: CentralData) => Promise<T>): Promise<T>;
  /** Closes the database once pending work is done; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** The store's resources, one interface each; a new resource (fleet, help calls, proofs) adds one here. */
export interface CentralData {
  terminals: TerminalStore;
  nonces: NonceStore;
  idempotency: IdempotencyStore;
  counters: CounterStore;
  cases: CaseStore;
  ratings: RatingStore;
  profiles: ProfileStore;
  licences: LicenceStore;
  staff: StaffStore;
}

/** A terminal as registered at central: its signing credentials and its hall. */
export interface TerminalRecord {
  id: string;
  secret: string;
  algorithm: SignatureAlgorithm;
  hall: string;
}

/** The last heartbeat of a terminal, as stored. */
export interface HeartbeatRecord {
  /** When central received it, ISO 8601. */
  receivedAt: string;
  queueDepth: number;
  needsStaff: number;
  /** The device statuses as sent, JSON text. */
  devices: string;
  version: string;
}

export interface TerminalStore {
  /** Registers a terminal, or replaces the credentials and hall of a known one (its heartbeat stays). */
  register(terminal: TerminalRecord): Promise<void>;
  /** The secret and algorithm of a signing key id (the terminal id), or null when no such terminal exists. */
  credentials(keyId: string): Promise<{ secret: string; algorithm: SignatureAlgorithm } | null>;
  /** The hall name of a terminal, or null when no such terminal exists. */
  hall(terminalId: string): Promise<string | null>;
  /** Keeps the latest heartbeat; a heartbeat of an unknown terminal changes nothing. */
  recordHeartbeat(terminalId: string, heartbeat: HeartbeatRecord): Promise<void>;
}

export interface NonceStore {
  /**
   * Records a signature nonce of `keyId` used at `timestampMs`; false when it was recorded before
   * (a replay). Atomic: of two concurrent claims, from any process, exactly one is true.
   */
  claim(keyId: string, nonce: string, timestampMs: number): Promise<boolean>;
  /** Forgets nonces whose timestamp is before `timestampMs`: the signature window refuses those anyway. */
  purgeBefore(timestampMs: number): Promise<void>;
}

/** An Idempotency-Key record (draft-ietf-httpapi-idempotency-key-header). */
export interface IdempotencyRecord {
  /** SHA-256 (hex) of the request body the key was first used with. */
  requestHash: string;
  state: 'in-flight' | 'done';
  /** The stored answer, once `done`. */
  status: number | null;
  /** The stored answer's body as JSON text, once `done`. */
  body: string | null;
}

export interface IdempotencyStore {
  /**
   * Claims `key` of `terminalId` as in flight for a request with `requestHash`, and returns null; or,
   * when the key is already claimed, returns its record unchanged. Atomic: of two concurrent claims,
   * from any process, exactly one returns null.
   */
  claim(terminalId: string, key: string, requestHash: string, createdAtMs: number): Promise<IdempotencyRecord | null>;
  /** Stores the answer of a claimed key (state `done`); call it in the transaction that made the change. */
  complete(terminalId: string, key: string, answer: { status: number; body: string }): Promise<void>;
  /** Drops a claim whose request failed, so that a retry is processed afresh. */
  release(terminalId: string, key: string): Promise<void>;
  /**
   * Drops every claim still in flight. Central calls it at start: with one process, such a claim belongs
   * to a request that died with the previous process before its change committed. (With several
   * processes on one database this would release live claims: claims then need an owner or a lease.)
   */
  releaseInFlight(): Promise<void>;
  /** Forgets keys created before `createdAtMs` (the published retention window has passed). */
  purgeBefore(createdAtMs: number): Promise<void>;
}

export interface CounterStore {
  /** Increments the named counter and returns its new value (1 for a new name). Use it inside a transaction. */
  next(name: string): Promise<number>;
}

/** A case as stored when it is filed. */
export interface NewCase {
  caseNumber: string;
  localNumber: string;
  terminalId: string;
  serviceId: string;
  serviceName: string;
  status: CaseStatus;
  applicantId: string;
  applicantName: string;
  identitySource: string;
  assistedBy: string | null;
  /** The application draft as JSON text. */
  payload: string;
  /** Plain-Chinese reasons, when not approved at once. */
  reasons: string[];
  submittedAt: string;
  receivedAt: string;
}

export interface CaseStore {
  /** Files a case. Fails on a taken case number, or on a local number this terminal already used. */
  insert(record: NewCase): Promise<void>;
  /** The case a terminal filed under a local number, or null. */
  byLocalNumber(terminalId: string, localNumber: string): Promise<{ caseNumber: string; status: CaseStatus; reasons: string[] } | null>;
  /** A case by case number or local number (the earliest received, if local numbers coincide), or null. */
  find(ref: string): Promise<CaseRecord | null>;
  /** An applicant's 20 latest cases, newest first. */
  byApplicant(applicantId: string): Promise<CaseRecord[]>;
  /** Whether the applicant has a case of this service still accepted or queued. */
  hasOpenCase(applicantId: string, serviceId: string): Promise<boolean>;
}

export interface NewRating {
  caseNumber: string;
  level: string;
  reason: string | null;
  contact: string | null;
  channel: string;
  staffNumber: string | null;
  ratedAt: string;
}

export interface RatingStore {
  /** Stores the rating of a case; false (and nothing stored) when the case was already rated (一事一评). */
  add(rating: NewRating): Promise<boolean>;
}

/** A citizen's shared profile (人口库) used for prefill. */
export interface ProfileRecord {
  idNumber: string;
  mobile: string | null;
  address: string | null;
}

export interface ProfileStore {
  /** Stores a profile, replacing the one with the same ID number. */
  put(profile: ProfileRecord): Promise<void>;
  find(idNumber: string): Promise<ProfileRecord | null>;
}

export interface LicenceStore {
  /** The e-licences (电子证照) of a holder of one type. */
  find(holderId: string, licenceType: string): Promise<ELicence[]>;
}

/** A staff account; the PIN only as an scrypt hash with its salt (hex). */
export interface StaffRecord {
  staffNumber: string;
  name: string;
  role: 'staff' | 'technician';
  pinSalt: string;
  pinHash: string;
}

export interface StaffStore {
  /** Creates or updates an account (name, role, PIN); its failure count and lock stay. */
  put(account: StaffRecord): Promise<void>;
  /** An account with its lockout state, or null. */
  find(staffNumber: string): Promise<(StaffRecord & { failures: number; lockedUntilMs: number }) | null>;
  /**
   * Counts one wrong PIN, atomically (concurrent wrong PINs each count): on the `lockAfter`-th the
   * account is locked until `lockUntilMs` and the count starts again.
   */
  recordFailure(staffNumber: string, lockAfter: number, lockUntilMs: number): Promise<void>;
  /** A right PIN: no failures, no lock. */
  clearFailures(staffNumber: string): Promise<void>;
}
