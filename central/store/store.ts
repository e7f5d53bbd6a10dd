import type { CaseRecord } from '../../contract/central/api.js';
import type { SignatureAlgorithm } from '../../contract/central/signing.js';
import type { CaseStatus, ELicence } from '../../contract/domain.js';
import type { HelpCallState } from '../../contract/help-call.js';

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
  sessions: StaffSessionStore;
  fleet: FleetStore;
  config: ConfigStore;
  helpCalls: HelpCallStore;
  proofs: ProofStore;
  videoRecordings: VideoRecordingStore;
  caseAuthorisations: CaseAuthorisationStore;
}

/** A terminal as registered at central: its signing credentials and its hall. */
export interface TerminalRecord {
  id: string;
  secret: string;
  algorithm: SignatureAlgorithm;
  hall: string;
  /** GB/T 2260 code of the terminal's district; '' until it is known (its heartbeat says it). */
  district?: string;
}

export interface TerminalStore {
  /** Registers a terminal, or replaces the credentials, hall and district of a known one (its heartbeat stays). */
  register(terminal: TerminalRecord): Promise<void>;
  /** The secret and algorithm of a signing key id (the terminal id), or null when no such terminal exists. */
  credentials(keyId: string): Promise<{ secret: string; algorithm: SignatureAlgorithm } | null>;
  /** The hall name of a terminal, or null when no such terminal exists. */
  hall(terminalId: string): Promise<string | null>;
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
   * Claims `key` of `terminalId` as in flight for a request with `requestHash` until `leaseUntilMs`, and
   * returns null; or, when the key is already claimed, returns its record unchanged. A claim still in
   * flight after its lease ran out belongs to a request whose process died (a crash, a kill): it is
   * taken over by a claim with the same request hash, so the retry is processed — a duplicate case is
   * impossible all the same, as the case insert checks the terminal's local number in its transaction.
   * Atomic: of concurrent claims, from any process, exactly one returns null.
   */
  claim(terminalId: string, key: string, requestHash: string, nowMs: number, leaseUntilMs?: number): Promise<IdempotencyRecord | null>;
  /** Stores the answer of a claimed key (state `done`); call it in the transaction that made the change. */
  complete(terminalId: string, key: string, answer: { status: number; body: string }): Promise<void>;
  /** Drops a claim whose request failed, so that a retry is processed afresh. */
  release(terminalId: string, key: string): Promise<void>;
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
  /**
   * SHA-256 (hex) of what was applied for: service, applicant and draft as RFC 8785 canonical JSON
   * (central/routes/cases.ts `applicationDigest`). A later submission under the same local number is the
   * same application only when this and the applicant agree (issue 10, kind 1).
   */
  payloadDigest: string;
  /** Plain-Chinese reasons, when not approved at once. */
  reasons: string[];
  submittedAt: string;
  receivedAt: string;
  /** 人证核验 on the kiosk (issue 14, migration 0004): `face` or `staff`; absent when the service asked for none. */
  identityCheckMethod?: string | null;
  /** The 工号 of the staff member who confirmed the identity in person (人工核验). */
  identityCheckStaff?: string | null;
  identityCheckOutcome?: string | null;
  /** The delivery chosen for a paper result (contract/proofs.ts DeliveryChoice) as JSON text; absent or null when none was asked. */
  delivery?: string | null;
  /** 代办 (issue 12, migration 0007): the agent whose card was read; the applicant fields stay the principal's. Absent for 本人办理. */
  agency?: NewCaseAgency | null;
}

/** 代办 on a new case: the agent, how the principal was named, the relationship, and the authorisation (kind + JSON text). */
export interface NewCaseAgency {
  agentId: string;
  agentName: string;
  relationship: string;
  principalSource: string;
  authorisationKind: string;
  /** contract/agency.ts AgencyAuthorisation as JSON text: the 委托书 photo (base64 JPEG) or the 告知承诺 signature. */
  authorisation: string;
}

/** A filed case as a submission under its local number is compared with. */
export interface FiledCase {
  caseNumber: string;
  status: CaseStatus;
  reasons: string[];
  applicantId: string;
  payloadDigest: string | null;
}

export interface CaseStore {
  /** Files a case. Fails on a taken case number, or on a local number this terminal already used. */
  insert(record: NewCase): Promise<void>;
  /**
   * The case a terminal filed under a local number, or null; with what it was filed for, so a caller can
   * tell a redelivery from another application under a repeated number. `payloadDigest` is null for
   * cases filed before digests were kept (migration 0003).
   */
  byLocalNumber(terminalId: string, localNumber: string): Promise<FiledCase | null>;
  /** A case by case number or local number (the earliest received, if local numbers coincide), or null. */
  find(ref: string): Promise<CaseRecord | null>;
  /** An applicant's 20 latest cases, newest first. */
  byApplicant(applicantId: string): Promise<CaseRecord[]>;
  /** Whether the applicant has a case of this service still accepted or queued. */
  hasOpenCase(applicantId: string, serviceId: string): Promise<boolean>;
  /**
   * 代办 of a case (issue 12): the agent in full, relationship, how the principal was named and the authorisation
   * itself (委托书 photo or 告知承诺 signature, JSON text), for staff reviewing the case; null for 本人办理 or no such case.
   */
  agencyOf(caseNumber: string): Promise<NewCaseAgency | null>;
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
  role: 'staff' | 'technician' | 'manager';
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

/** A console sign-in (consoles/): the token itself is never stored, only its SHA-256. */
export interface StaffSessionRecord {
  tokenHash: string;
  staffNumber: string;
  role: string;
  createdAtMs: number;
  /** Ends unless used before (idle sign-out). */
  idleUntilMs: number;
  /** Ends at this time whatever happens. */
  expiresAtMs: number;
}

export interface StaffSessionStore {
  create(session: StaffSessionRecord): Promise<void>;
  /**
   * The session of a token hash if it is still valid at `nowMs`, or null; when `extendIdleToMs` is given
   * the idle deadline moves there (a person acted). Atomic, so an expired token never comes back.
   */
  use(tokenHash: string, nowMs: number, extendIdleToMs: number | null): Promise<StaffSessionRecord | null>;
  revoke(tokenHash: string): Promise<void>;
  /** Forgets sessions that ended before `nowMs`. */
  purgeEnded(nowMs: number): Promise<void>;
}

// ───────────── Fleet (heartbeats, alerts, commands) ─────────────

/** One received heartbeat, as the fleet module decided to store it (central/fleet/heartbeat.ts). */
export interface HeartbeatWrite {
  terminalId: string;
  receivedAtMs: number;
  intervalMs: number;
  state: 'serving' | 'degraded' | 'out-of-service';
  district: string;
  hall: string;
  softwareVersion: string;
  pending: number;
  needsStaff: number;
  /** The remote configuration version the kiosk reports in force. */
  configVersion: number | null;
  /** The heartbeat as JSON text, screenshot left out. */
  body: string;
  screenshot: { takenAtMs: number; mime: string; data: string } | null;
  /** The alerts this heartbeat says should be open (everything but `silent`); others of the terminal close. */
  alerts: Array<{ kind: string; message: string }>;
  commandResults: Array<{ id: string; outcome: 'done' | 'failed'; note: string; atMs: number }>;
  /** The audit head to anchor, or null to keep the anchor central has (a truncated chain keeps the old one). */
  anchor: { sequence: number; mac: string } | null;
  /** One line for the terminal's history (what changed). */
  note: string;
}

/** What central holds of a terminal before a heartbeat is stored, and what its answer needs. */
export interface TerminalFleetContext {
  terminalId: string;
  district: string;
  hall: string;
  outOfService: { message: string; by: string; atMs: number } | null;
  anchor: { sequence: number; mac: string } | null;
  pendingCommands: Array<{ id: string; kind: string; issuedBy: string; issuedAtMs: number }>;
}

export interface TerminalRow {
  terminalId: string;
  hall: string;
  district: string;
  /** The stored state; `silent` is worked out from lastSeenMs and intervalMs by the reader. */
  state: string;
  lastSeenMs: number | null;
  intervalMs: number;
  softwareVersion: string | null;
  pending: number | null;
  configVersion: number | null;
}

export interface AlertRow {
  id: string;
  terminalId: string;
  kind: string;
  message: string;
  raisedAtMs: number;
  clearedAtMs: number | null;
}

export interface FleetStore {
  /** Central's view of these terminals (unknown ids left out), read before their heartbeats are stored. */
  contexts(terminalIds: string[]): Promise<Map<string, TerminalFleetContext>>;
  /**
   * Stores heartbeats: the terminal's latest state, a history row, the screenshot, the alerts (raised
   * and cleared to match), command results and the audit anchor. Use inside one transaction per batch.
   */
  store(writes: HeartbeatWrite[]): Promise<void>;
  /**
   * Raises `silent` for every terminal whose last heartbeat is older than three of its intervals at
   * `nowMs` (terminals never heard from are left alone); answers how many were raised now.
   */
  sweepSilent(nowMs: number, message: string): Promise<number>;
  /** A page of terminals, filtered; `silent` is decided against `nowMs`. */
  list(filter: { district?: string; hall?: string; state?: string; offset: number; limit: number }, nowMs: number): Promise<{ total: number; rows: TerminalRow[] }>;
  /** Terminals by state across the fleet, and the districts and halls known. */
  overview(nowMs: number): Promise<{ counts: Record<string, number>; districts: string[]; halls: string[] }>;
  terminal(terminalId: string): Promise<TerminalRow | null>;
  /** The latest heartbeat body (JSON text) and screenshot of a terminal. */
  latest(terminalId: string): Promise<{ body: string | null; screenshot: { takenAtMs: number; mime: string; data: string } | null }>;
  history(terminalId: string, limit: number): Promise<Array<{ receivedAtMs: number; state: string; pending: number; needsStaff: number; note: string }>>;
  /** Open alerts of these terminals (all terminals when ids is null). */
  openAlerts(terminalIds: string[] | null, limit: number): Promise<AlertRow[]>;
  /** Alerts of one terminal, open and closed, newest first. */
  alerts(terminalId: string, limit: number): Promise<AlertRow[]>;
  setOutOfService(terminalId: string, value: { message: string; by: string; atMs: number } | null): Promise<boolean>;
  issueCommand(command: { id: string; terminalId: string; kind: string; issuedBy: string; issuedAtMs: number }): Promise<boolean>;
  commands(terminalId: string, limit: number): Promise<Array<{ id: string; kind: string; issuedBy: string; issuedAtMs: number; outcome: string | null; note: string | null; completedAtMs: number | null }>>;
  /** Stores uploaded log lines (JSON text) for a `fetch-logs` command of this terminal; false if no such command. */
  putLogs(terminalId: string, commandId: string, lines: string, receivedAtMs: number): Promise<boolean>;
  logs(commandId: string): Promise<{ terminalId: string; lines: string; receivedAtMs: number } | null>;
  /** Forgets history rows older than `beforeMs` (alerts and commands stay). */
  purgeHistory(beforeMs: number): Promise<void>;
}

/** A configuration layer: the settings (JSON text, contract/central/fleet.ts RemoteSettings) of one scope. */
export interface ConfigLayerRecord {
  scope: 'master' | 'district' | 'hall' | 'terminal';
  /** '' for master; the district code, hall name or terminal id. */
  scopeId: string;
  settings: string;
  version: number;
  updatedBy: string;
  updatedAtMs: number;
}

export interface ConfigStore {
  list(): Promise<ConfigLayerRecord[]>;
  /** The layers that apply to a terminal of this district and hall, master first, terminal last. */
  forTerminal(terminalId: string, district: string, hall: string): Promise<ConfigLayerRecord[]>;
  /** Every applicable layer for many terminals at once (heartbeat batches): master, and those of their districts, halls and ids. */
  forTerminals(terminals: Array<{ terminalId: string; district: string; hall: string }>): Promise<ConfigLayerRecord[]>;
  /**
   * Sets a layer's settings under a new version (the `config-version` counter) and records the change in
   * the configuration history. Use inside a transaction. Answers the version.
   */
  put(layer: Omit<ConfigLayerRecord, 'version'>): Promise<number>;
  /** The terminals a layer reaches, with their district and hall (to check every merged result). */
  reach(scope: ConfigLayerRecord['scope'], scopeId: string): Promise<Array<{ terminalId: string; district: string; hall: string }>>;
}

// ───────────── Help calls (issue 12, 呼叫工作人员) ─────────────

/** A help call as a kiosk files it (no personal data: contract/help-call.ts). */
export interface NewHelpCall {
  id: string;
  terminalId: string;
  hall: string;
  screen: string;
  serviceId: string | null;
  /** The kiosk's time of the tap, ISO 8601. */
  createdAt: string;
  /** Central's time of receipt, ms: the queue's order. */
  receivedAtMs: number;
}

/** A stored help call; `revision` is the `help-call-revision` counter's value at its last change. */
export interface HelpCallRecord extends NewHelpCall {
  state: HelpCallState;
  acceptedAt: string | null;
  acceptedBy: string | null;
  endedAt: string | null;
  endedAtMs: number | null;
  revision: number;
}

/** A state change: accepted by a 工号, or ended (closed by staff, cancelled by the kiosk). */
export type HelpCallChange =
  | { to: 'accepted'; from: readonly HelpCallState[]; at: string; by: string }
  | { to: 'closed' | 'cancelled'; from: readonly HelpCallState[]; at: string; atMs: number };

export interface HelpCallStore {
  /**
   * Files a call, or answers the stored one when its id is known (a kiosk's resend), with `created`
   * false. Use inside a transaction (it takes a revision).
   */
  file(call: NewHelpCall): Promise<{ call: HelpCallRecord; created: boolean }>;
  find(id: string): Promise<HelpCallRecord | null>;
  /**
   * Moves a call to `change.to` only when it is in one of `change.from` (so two staff cannot both accept
   * it, and nothing reopens an ended call); answers the changed call, or null when it was not in those
   * states (or does not exist). Use inside a transaction.
   */
  transition(id: string, change: HelpCallChange): Promise<HelpCallRecord | null>;
  /** Open calls and those ended at or after `endedSinceMs`, of a hall and/or terminal (null: any), oldest first, ≤ 500. */
  list(filter: { hall: string | null; terminalId: string | null; endedSinceMs: number }): Promise<HelpCallRecord[]>;
  /** The call's place among its hall's `new` calls (1 = next), or null when it is not `new`. */
  queuePosition(call: HelpCallRecord): Promise<number | null>;
  /** The highest revision any call has had (0 before the first call). */
  revision(): Promise<number>;
  /** Cases central sent to 工作人员审核 (accepted with reasons), newest first, of a hall (null: all). */
  reviewCases(
    hall: string | null,
    limit: number,
  ): Promise<
    Array<{
      caseNumber: string;
      localNumber: string;
      terminalId: string;
      hall: string;
      serviceId: string;
      serviceName: string;
      reasons: string[];
      submittedAt: string;
      assistedBy: string | null;
      /** 代办 (issue 12): relationship and authorisation kind, or null for 本人办理. */
      agency: { relationship: string; authorisation: string } | null;
    }>
  >;
  /** Terminals whose latest heartbeat reported applications still in their outbox, of a hall (null: all). */
  stuckKiosks(hall: string | null): Promise<Array<{ terminalId: string; hall: string; pending: number; needsStaff: number; lastSeenMs: number | null }>>;
}

// ───────────── Proofs and the electronic seal (issue 15) ─────────────

/** An enterprise in central's register (市场主体登记), with its proofs' fields by kind. */
export interface EnterpriseRecord {
  /** 统一社会信用代码 (GB 32100). */
  creditCode: string;
  name: string;
  /** The ID number of its 法定代表人 (or 经营者): only this person may print its proofs. */
  legalRepresentativeId: string;
  /** Proof kind id → the document's fields and rows (JSON text of `{ fields, rows? }`). */
  content: string;
}

/** A document central sealed, as kept for the verification page and the case record. */
export interface IssuedProofRecord {
  verificationCode: string;
  kind: string;
  /** The person it was issued to (or the applicant of the case it results from). */
  subjectId: string;
  creditCode: string | null;
  caseNumber: string | null;
  terminalId: string;
  /** The signed content (contract/proofs.ts ProofDocument) as JSON text. */
  document: string;
  /** SM3 of its canonical content (hex). */
  digest: string;
  sealKeyId: string;
  /** SM2 signature r ‖ s (hex). */
  signature: string;
  copies: number;
  issuedAt: string;
  /** Beijing date YYYY-MM-DD after which it is 已失效. */
  validUntil: string;
  /** Base64 of the signed PDF central issued as is (an e-licence print-out; its SM3 is the document's pdfSm3), or null. */
  pdf?: string | null;
}

export interface ProofStore {
  /** Stores (replaces) one person's data for one kind of proof: `{ fields, rows? }` as JSON text. */
  putSource(idNumber: string, kind: string, content: string): Promise<void>;
  /** A person's data for one kind of proof (JSON text), or null when central holds none. */
  source(idNumber: string, kind: string): Promise<string | null>;
  /** The kinds of proof central holds data for, for this person. */
  kindsOf(idNumber: string): Promise<string[]>;
  /** Stores (replaces) an enterprise. */
  putEnterprise(enterprise: EnterpriseRecord): Promise<void>;
  enterprise(creditCode: string): Promise<EnterpriseRecord | null>;
  /** The enterprises whose 法定代表人 this person is, by name. */
  enterprisesOf(idNumber: string): Promise<EnterpriseRecord[]>;
  /** Records a sealed document; false (nothing stored) when its verification code is taken already. */
  record(proof: IssuedProofRecord): Promise<boolean>;
  /** A sealed document by its verification code, or null. */
  byCode(verificationCode: string): Promise<IssuedProofRecord | null>;
  /** The sealed result of a case (秒批), or null. */
  byCase(caseNumber: string): Promise<IssuedProofRecord | null>;
}

// ───────────── Video recordings (issue 12, 远程视频帮办; migration 0009) ─────────────

/** A recording central keeps: opened at the citizen's consent to a recorded call; no personal data. */
export interface VideoRecordingRecord {
  /** New per video call (one help call may have several), told to the console with the consent. */
  id: string;
  /** The help call the video call was on. */
  helpCallId: string;
  terminalId: string;
  hall: string;
  /** The 工号 of the staff member of the call: only they upload its chunks. */
  staffNumber: string;
  purpose: string;
  consentedAtMs: number;
  /** When housekeeping deletes it (consent + the hall's retention). */
  deleteAfterMs: number;
  chunks: number;
  /** Media bytes (before sealing). */
  bytes: number;
}

/** An entry of the recordings' audit: upload, list, view, purge, refusals. */
export interface VideoRecordingAuditEntry {
  atMs: number;
  actor: string;
  event: string;
  recordingId: string | null;
  outcome: string;
}

export interface VideoRecordingStore {
  /** Opens a recording for a consented call; false when one is open already. */
  open(recording: Omit<VideoRecordingRecord, 'chunks' | 'bytes'>): Promise<boolean>;
  find(id: string): Promise<VideoRecordingRecord | null>;
  /** Newest first; `hall` null for every hall. */
  list(hall: string | null, limit: number): Promise<VideoRecordingRecord[]>;
  /** Keeps one sealed chunk (`data` base64 of iv ‖ tag ‖ ciphertext); false when that `seq` is kept already. */
  putChunk(id: string, seq: number, keyId: string, data: string, bytes: number): Promise<boolean>;
  /** The sealed chunks in order. */
  chunks(id: string): Promise<Array<{ seq: number; keyId: string; data: string }>>;
  /** Deletes every recording (and its chunks) whose retention has ended by `nowMs`; answers their ids. */
  purge(nowMs: number): Promise<string[]>;
  audit(entry: VideoRecordingAuditEntry): Promise<void>;
  /** Oldest first, at most `limit`. */
  auditEntries(limit: number): Promise<VideoRecordingAuditEntry[]>;
}

// ───────────── The console's case view: 代办 authorisation (issue 12; migrations 0007, 0010) ─────────────

/** A case's applicant and agency columns as stored (in clear: the route masks before anything leaves). */
export interface CaseAuthorisationRecord {
  caseNumber: string;
  serviceName: string;
  applicantId: string;
  applicantName: string;
  agentId: string | null;
  agentName: string | null;
  relationship: string | null;
  /** contract/agency.ts AgencyAuthorisation as JSON text; null for 本人办理. */
  authorisation: string | null;
}

export interface CaseViewAuditEntry {
  atMs: number;
  actor: string;
  event: string;
  caseNumber: string;
  outcome: string;
}

export interface CaseAuthorisationStore {
  find(caseNumber: string): Promise<CaseAuthorisationRecord | null>;
  audit(entry: CaseViewAuditEntry): Promise<void>;
  /** Oldest first. */
  auditEntries(caseNumber: string): Promise<CaseViewAuditEntry[]>;
}
