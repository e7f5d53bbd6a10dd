import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog, Service } from '../contract/catalog.js';
import { chinaDate, chinaDay } from '../contract/china-time.js';
import type { z } from 'zod';
import { DRAFT_MAX_BYTES, type ELicence } from '../contract/domain.js';
import {
  CasesByApplicantBody,
  HeartbeatBody,
  LicenceLookupBody,
  ProfileRequest,
  RatingBody,
  SharedDataCheckBody,
  StaffSignInBody,
  SubmitApplicationBody,
  type ApiError,
  type CaseRecord,
  type StaffSignInResponse,
  type SubmitApplicationResponse,
  type TerminalConfiguration,
} from './api.js';
import { decide } from './approval.js';
import { openCentralDatabase } from './database.js';
import { openApiDocument } from './openapi.js';
import { verifyRequest, type SignatureAlgorithm } from './signing.js';

/**
 * The reference central service: what the kiosk's client speaks to in demo mode and in tests.
 * Real HTTP, real SQLite, real signature checks, Idempotency-Key semantics of the IETF draft
 * (first result stored and replayed; 422 for a reused key with another payload; 409 while in flight),
 * and fault switches that tests set per run.
 */

export interface TerminalRegistration {
  id: string;
  secret: string;
  algorithm?: SignatureAlgorithm;
  hall?: string;
}

export interface Faults {
  /** Added before answering, ms. */
  latencyMs: number;
  /** Share of /v1 requests answered 503 with Retry-After (0..1). */
  errorRate: number;
  /** Share of requests whose connection is destroyed without an answer, after processing (0..1): the lost-ack case. */
  resetAfterProcessingRate: number;
  /** Share of /v1 requests whose connection is destroyed before anything is processed (0..1). */
  resetBeforeProcessingRate: number;
  /** Answer bodies trickle out at this many bytes per second (0 = at once): a slow or congested link. */
  slowBodyBytesPerSecond: number;
  /** Retry-After seconds sent with injected 503s. */
  retryAfterSeconds: number;
}

const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, resetAfterProcessingRate: 0, resetBeforeProcessingRate: 0, slowBodyBytesPerSecond: 0, retryAfterSeconds: 1 };

export interface StaffAccount {
  staffNumber: string;
  name: string;
  role: 'staff' | 'technician';
  pin: string;
}

/** One answered request, for tests and benches that measure central's load (rate, latency). */
export interface RequestRecord {
  method: string;
  path: string;
  /** HTTP status, or 0 when the connection was dropped on purpose (fault switch). */
  status: number;
  /** Start of handling, ms since epoch (real clock). */
  startedAt: number;
  /** Handling time until the answer was written or the connection dropped, ms. */
  durationMs: number;
}

/** What central has seen since it started; the chaos test reads it to count absorbed redeliveries. */
export interface CentralStats {
  requests: number;
  casesCreated: number;
  /** Requests answered from a stored idempotent result (a redelivery absorbed). */
  idempotentReplays: number;
  /** Submissions of a known (terminal, local number) under a new key, answered with the existing case. */
  localNumberReplays: number;
  inFlightConflicts: number;
  keyMismatches: number;
  signatureRejections: Record<string, number>;
}

export interface CentralOptions {
  dbFile: string;
  catalog: Catalog;
  terminals: TerminalRegistration[];
  host?: string;
  port?: number;
  /** Demo mode: synthesise an e-licence of any catalog type for any holder. */
  demoLicences?: boolean;
  /** Demo population profiles for prefill (人口库). */
  profiles?: Array<{ idNumber: string; mobile?: string; address?: string }>;
  /** Staff accounts for sign-in on terminals (PINs are stored as scrypt hashes). */
  staff?: StaffAccount[];
  /** Overrides of the configuration every terminal fetches. */
  configuration?: Partial<Omit<TerminalConfiguration, 'terminalId' | 'hallName'>>;
  /** Called once per answered (or dropped) request. */
  observe?: (record: RequestRecord) => void;
  now?: () => Date;
  random?: () => number;
}

export interface CentralServer {
  url: string;
  port: number;
  setFaults(faults: Partial<Faults>): void;
  stats(): CentralStats;
  /** Drops expired nonces and idempotency keys now (also runs every minute). */
  runHousekeeping(): void;
  close(): Promise<void>;
}

/** Idempotency keys are kept 48 h: the IETF draft asks for a published window, and kiosks retry for days offline. */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;
const STAFF_LOCK_AFTER_FAILURES = 5;
const STAFF_LOCK_MS = 15 * 60_000;
const STAFF_TOKEN_MS = 30 * 60_000;
const NONCE_TTL_MS = 15 * 60_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.code);
  }
}

const badRequest = (message: string) => new HttpError(400, { code: 'bad-request', message });

function parseBody<T extends z.ZodType>(schema: T, raw: string): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest('请求内容不是有效的 JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badRequest(`请求内容不符合接口定义：${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  return parsed.data;
}

/** Any valid submission fits (the contract bounds a draft's photos and signature), with room for the rest. */
const MAX_BODY_BYTES = DRAFT_MAX_BYTES + 256 * 1024;

function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, { code: 'too-large', message: '请求内容过大' }));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startCentralServer(options: CentralOptions): Promise<CentralServer> {
  const db = openCentralDatabase(options.dbFile);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const services = new Map<string, Service>(options.catalog.services.map((service) => [service.id, service]));
  const faults: Faults = { ...NO_FAULTS };
  const stats: CentralStats = {
    requests: 0,
    casesCreated: 0,
    idempotentReplays: 0,
    localNumberReplays: 0,
    inFlightConflicts: 0,
    keyMismatches: 0,
    signatureRejections: {},
  };
  // No request survives a restart: a key still marked in flight belongs to a request that died with the
  // previous process, before its case committed (case and key commit together), so it is released.
  db.prepare("DELETE FROM idempotency WHERE state = 'in-flight'").run();

  const upsertTerminal = db.prepare(
    `INSERT INTO terminals (id, secret, algorithm, hall) VALUES (@id, @secret, @algorithm, @hall)
     ON CONFLICT(id) DO UPDATE SET secret = excluded.secret, algorithm = excluded.algorithm, hall = excluded.hall`,
  );
  for (const terminal of options.terminals) {
    upsertTerminal.run({ id: terminal.id, secret: terminal.secret, algorithm: terminal.algorithm ?? 'hmac-sha256', hall: terminal.hall ?? '' });
  }
  const upsertProfile = db.prepare('INSERT OR REPLACE INTO profiles (id_number, mobile, address) VALUES (?, ?, ?)');
  for (const profile of options.profiles ?? []) upsertProfile.run(profile.idNumber, profile.mobile ?? null, profile.address ?? null);
  const upsertStaff = db.prepare(
    `INSERT INTO staff (staff_number, name, role, pin_salt, pin_hash) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(staff_number) DO UPDATE SET name = excluded.name, role = excluded.role, pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash`,
  );
  for (const account of options.staff ?? []) {
    const salt = randomBytes(16).toString('hex');
    upsertStaff.run(account.staffNumber, account.name, account.role, salt, scryptSync(account.pin, salt, 32).toString('hex'));
  }

  const statements = {
    terminal: db.prepare<[string], { secret: string; algorithm: SignatureAlgorithm }>('SELECT secret, algorithm FROM terminals WHERE id = ?'),
    claimNonce: db.prepare('INSERT OR IGNORE INTO nonces (key_id, nonce, ts) VALUES (?, ?, ?)'),
    purgeNonces: db.prepare('DELETE FROM nonces WHERE ts < ?'),
    purgeKeys: db.prepare('DELETE FROM idempotency WHERE created_at < ?'),
    getKey: db.prepare<[string, string], { request_hash: string; state: string; status: number | null; body: string | null }>(
      'SELECT request_hash, state, status, body FROM idempotency WHERE terminal_id = ? AND key = ?',
    ),
    claimKey: db.prepare("INSERT INTO idempotency (key, terminal_id, request_hash, state, created_at) VALUES (?, ?, ?, 'in-flight', ?)"),
    finishKey: db.prepare("UPDATE idempotency SET state = 'done', status = ?, body = ? WHERE terminal_id = ? AND key = ?"),
    releaseKey: db.prepare('DELETE FROM idempotency WHERE terminal_id = ? AND key = ?'),
    caseByLocal: db.prepare<[string, string], { case_number: string; status: string; reasons: string; service_id: string }>(
      'SELECT case_number, status, reasons, service_id FROM cases WHERE terminal_id = ? AND local_number = ?',
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
    insertCase: db.prepare(
      `INSERT INTO cases (case_number, local_number, terminal_id, service_id, service_name, status, applicant_id, applicant_name,
        identity_source, assisted_by, payload, reasons, submitted_at, received_at)
       VALUES (@caseNumber, @localNumber, @terminalId, @serviceId, @serviceName, @status, @applicantId, @applicantName,
        @identitySource, @assistedBy, @payload, @reasons, @submittedAt, @receivedAt)`,
    ),
    nextCounter: db.prepare<[string], { value: number }>(
      'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
    ),
    insertRating: db.prepare(
      `INSERT OR IGNORE INTO ratings (case_number, level, reason, contact, channel, staff_number, rated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    heartbeat: db.prepare('UPDATE terminals SET last_seen = ?, queue_depth = ?, needs_staff = ?, devices = ?, version = ? WHERE id = ?'),
    licences: db.prepare<[string, string], { licence_id: string; title: string; issuer: string; issued_on: string }>(
      'SELECT licence_id, title, issuer, issued_on FROM licences WHERE holder_id = ? AND licence_type = ?',
    ),
    profile: db.prepare<[string], { mobile: string | null; address: string | null }>('SELECT mobile, address FROM profiles WHERE id_number = ?'),
    hall: db.prepare<[string], { hall: string }>('SELECT hall FROM terminals WHERE id = ?'),
    staff: db.prepare<[string], { name: string; role: 'staff' | 'technician'; pin_salt: string; pin_hash: string; failures: number; locked_until: number }>(
      'SELECT name, role, pin_salt, pin_hash, failures, locked_until FROM staff WHERE staff_number = ?',
    ),
    staffFailed: db.prepare('UPDATE staff SET failures = ?, locked_until = ? WHERE staff_number = ?'),
  };

  function nextCaseNumber(): string {
    const day = chinaDay(now());
    const row = statements.nextCounter.get(`case-${day}`);
    return `TA${day}${String(row?.value ?? 0).padStart(6, '0')}`;
  }

  function createCase(terminalId: string, body: SubmitApplicationBody): SubmitApplicationResponse {
    const service = services.get(body.serviceId);
    if (!service) throw new HttpError(422, { code: 'unknown-service', message: '该事项已调整，请到窗口咨询' });
    // A local number maps to exactly one case per terminal, even if the idempotency record expired.
    const existing = statements.caseByLocal.get(terminalId, body.localNumber);
    if (existing) {
      stats.localNumberReplays++;
      return {
        caseNumber: existing.case_number,
        localNumber: body.localNumber,
        status: existing.status as SubmitApplicationResponse['status'],
        ...(existing.status === 'approved' ? { resultTitle: service.flow?.autoApproval?.resultTitle } : {}),
        reasons: JSON.parse(existing.reasons) as string[],
      };
    }
    const decision = decide(service, body, {
      today: chinaDate(now()),
      hasOpenCase: (applicant, serviceId) => (statements.openCase.get(applicant.idNumber, serviceId)?.n ?? 0) > 0,
    });
    const caseNumber = nextCaseNumber();
    // Counted before the commit; only a failing disk on central's side could make this one too many.
    stats.casesCreated++;
    statements.insertCase.run({
      caseNumber,
      localNumber: body.localNumber,
      terminalId,
      serviceId: service.id,
      serviceName: service.name,
      status: decision.status,
      applicantId: body.applicant.idNumber,
      applicantName: body.applicant.name,
      identitySource: body.identitySource,
      assistedBy: body.assistedBy ?? null,
      payload: JSON.stringify(body.draft),
      reasons: JSON.stringify(decision.reasons),
      submittedAt: body.submittedAt,
      receivedAt: now().toISOString(),
    });
    return {
      caseNumber,
      localNumber: body.localNumber,
      status: decision.status,
      ...(decision.status === 'approved' ? { resultTitle: service.flow?.autoApproval?.resultTitle } : {}),
      reasons: decision.reasons,
    };
  }

  async function submitApplication(terminalId: string, request: IncomingMessage, raw: string): Promise<{ status: number; body: unknown }> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8 || key.length > 128) {
      throw new HttpError(400, { code: 'missing-idempotency-key', message: '缺少幂等键' });
    }
    const body = parseBody(SubmitApplicationBody, raw);
    const requestHash = createHash('sha256').update(raw).digest('hex');
    const claimed = db.transaction(() => {
      const row = statements.getKey.get(terminalId, key);
      if (!row) {
        statements.claimKey.run(key, terminalId, requestHash, now().getTime());
        return null;
      }
      return row;
    }).immediate();
    if (claimed) {
      if (claimed.request_hash !== requestHash) {
        stats.keyMismatches++;
        throw new HttpError(422, { code: 'idempotency-key-reused', message: '同一幂等键对应了不同的申请内容' });
      }
      if (claimed.state !== 'done') {
        stats.inFlightConflicts++;
        throw new HttpError(409, { code: 'in-flight', message: '该申请正在处理中，请稍后查询' }, { 'retry-after': '1' });
      }
      stats.idempotentReplays++;
      return { status: claimed.status ?? 200, body: JSON.parse(claimed.body ?? 'null') };
    }
    try {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      const result = db.transaction(() => {
        const response = createCase(terminalId, body);
        statements.finishKey.run(201, JSON.stringify(response), terminalId, key);
        return response;
      }).immediate();
      return { status: 201, body: result };
    } catch (error) {
      // Only a stored answer may be replayed: a failure releases the key so a retry is processed afresh.
      statements.releaseKey.run(terminalId, key);
      throw error;
    }
  }

  function caseRecord(row: CaseRow): CaseRecord {
    return {
      caseNumber: row.case_number,
      localNumber: row.local_number,
      serviceId: row.service_id,
      serviceName: row.service_name,
      status: row.status as CaseRecord['status'],
      submittedAt: row.submitted_at,
      rated: row.rated > 0,
    };
  }

  async function route(request: IncomingMessage, terminalId: string, path: string, raw: string): Promise<{ status: number; body: unknown }> {
    const method = request.method ?? 'GET';
    if (method === 'GET' && path === '/v1/catalog') return { status: 200, body: options.catalog };
    if (method === 'GET' && path === '/v1/configuration') return { status: 200, body: configurationFor(terminalId) };
    if (method === 'POST' && path === '/v1/staff/sign-in') return { status: 200, body: signIn(parseBody(StaffSignInBody, raw)) };
    if (method === 'POST' && path === '/v1/applications') return submitApplication(terminalId, request, raw);
    if (method === 'GET' && path.startsWith('/v1/cases/')) {
      const ref = decodeURIComponent(path.slice('/v1/cases/'.length));
      const row = statements.caseByRef.get(ref, ref);
      if (!row) throw new HttpError(404, { code: 'case-not-found', message: '未查到该办件，请核对受理编号' });
      return { status: 200, body: caseRecord(row) };
    }
    if (method === 'POST' && path === '/v1/cases/by-applicant') {
      const body = parseBody(CasesByApplicantBody, raw);
      return { status: 200, body: statements.casesByApplicant.all(body.idNumber).map(caseRecord) };
    }
    if (method === 'POST' && path === '/v1/ratings') {
      const body = parseBody(RatingBody, raw);
      const row = statements.caseByRef.get(body.rating.caseRef, body.rating.caseRef);
      if (!row) throw new HttpError(404, { code: 'case-not-found', message: '未查到该办件，请核对受理编号' });
      const inserted = statements.insertRating.run(
        row.case_number,
        body.rating.level,
        body.rating.reason ?? null,
        body.rating.contact ?? null,
        body.channel,
        body.staffNumber ?? null,
        now().toISOString(),
      );
      // 一事一评: a second rating of the same case is refused, but a redelivered identical one is not an error.
      if (inserted.changes === 0) return { status: 200, body: { accepted: false, caseNumber: row.case_number } };
      return { status: 201, body: { accepted: true, caseNumber: row.case_number } };
    }
    if (method === 'POST' && path === '/v1/heartbeat') {
      const body = parseBody(HeartbeatBody, raw);
      statements.heartbeat.run(now().toISOString(), body.queueDepth, body.needsStaff, JSON.stringify(body.devices), body.version, terminalId);
      return { status: 204, body: null };
    }
    if (method === 'POST' && path === '/v1/profile') {
      // The ID number travels in the signed body, never in a URL that proxies and access logs keep.
      const row = statements.profile.get(parseBody(ProfileRequest, raw).idNumber);
      return { status: 200, body: { ...(row?.mobile ? { mobile: row.mobile } : {}), ...(row?.address ? { address: row.address } : {}) } };
    }
    if (method === 'POST' && path === '/v1/shared-data/check') {
      const body = parseBody(SharedDataCheckBody, raw);
      return { status: 200, body: { verified: verifySharedData(body.idNumber, body.serviceId, body.materialIds) } };
    }
    if (method === 'POST' && path === '/v1/e-licences') {
      const body = parseBody(LicenceLookupBody, raw);
      return { status: 200, body: lookupLicences(body.idNumber, body.licenceType) };
    }
    throw new HttpError(404, { code: 'not-found', message: '接口不存在' });
  }

  function configurationFor(terminalId: string): TerminalConfiguration {
    return {
      terminalId,
      hallName: statements.hall.get(terminalId)?.hall ?? '',
      idleTimeoutSeconds: 120,
      idleWarningSeconds: 30,
      purgeAfterHours: 72,
      catalogVersion: options.catalog.version,
      ...options.configuration,
    };
  }

  /** PIN check with a lockout after repeated failures (等保: unique accounts, lock on failures). */
  function signIn(body: StaffSignInBody): StaffSignInResponse {
    const account = statements.staff.get(body.staffNumber);
    const refused = new HttpError(401, { code: 'staff-credentials', message: '工号或密码不正确' });
    if (!account) throw refused;
    if (account.locked_until > now().getTime()) {
      throw new HttpError(423, { code: 'staff-locked', message: '账号已锁定，请15分钟后再试或联系管理员' });
    }
    const given = scryptSync(body.pin, account.pin_salt, 32);
    if (!timingSafeEqual(given, Buffer.from(account.pin_hash, 'hex'))) {
      const failures = account.failures + 1;
      const locked = failures >= STAFF_LOCK_AFTER_FAILURES;
      statements.staffFailed.run(locked ? 0 : failures, locked ? now().getTime() + STAFF_LOCK_MS : 0, body.staffNumber);
      throw refused;
    }
    statements.staffFailed.run(0, 0, body.staffNumber);
    return {
      staffNumber: body.staffNumber,
      name: account.name,
      role: account.role,
      token: randomBytes(24).toString('base64url'),
      expiresAt: new Date(now().getTime() + STAFF_TOKEN_MS).toISOString(),
    };
  }

  /**
   * The reference service stands in for the provincial data-sharing platform with its population data
   * (the `profiles` table, 人口库): a person it holds has their shared-data materials verified; anyone else
   * has none, and the kiosk asks for them another way. Only materials the catalog marks `shared-data` for
   * that service can be verified.
   */
  function verifySharedData(idNumber: string, serviceId: string, materialIds: readonly string[]): string[] {
    const service = services.get(serviceId);
    if (!service || !statements.profile.get(idNumber)) return [];
    const shared = new Set(service.materials.filter((material) => material.source === 'shared-data').map((material) => material.id));
    return materialIds.filter((id) => shared.has(id));
  }

  /** Material names by licence type, from the catalog, so demo licences carry the right title. */
  const licenceTitles = new Map<string, string>();
  for (const service of options.catalog.services) {
    for (const material of service.materials) if (material.licenceType) licenceTitles.set(material.licenceType, material.name);
  }

  function lookupLicences(idNumber: string, licenceType: string): ELicence[] {
    const stored = statements.licences.all(idNumber, licenceType).map((row) => ({
      licenceId: row.licence_id,
      licenceType,
      title: row.title,
      issuer: row.issuer,
      issuedOn: row.issued_on,
    }));
    if (stored.length > 0 || !options.demoLicences || !licenceTitles.has(licenceType)) return stored;
    // Demo mode: every demo citizen holds every licence the catalog asks for, with a stable id.
    const digest = createHash('sha256').update(`${idNumber}|${licenceType}`).digest('hex');
    return [
      {
        licenceId: `EL-${licenceType}-${digest.slice(0, 10)}`,
        licenceType,
        title: licenceTitles.get(licenceType) ?? licenceType,
        issuer: '泰安市电子证照库',
        issuedOn: '2020-06-01',
      },
    ];
  }

  let openApi: string | null = null;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://central.invalid');
    const startedAt = Date.now();
    stats.requests++;
    const observe = (status: number) =>
      options.observe?.({ method: request.method ?? 'GET', path: url.pathname, status, startedAt, durationMs: Date.now() - startedAt });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.once('close', () => observe(status));
      if (status === 204) {
        response.writeHead(204, headers).end();
        return;
      }
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
      if (faults.slowBodyBytesPerSecond > 0) void trickle(response, Buffer.from(text), faults.slowBodyBytesPerSecond);
      else response.end(text);
    };
    const drop = () => {
      observe(0);
      request.socket.destroy();
    };
    try {
      if (url.pathname === '/health') return send(200, { ok: true });
      if (url.pathname === '/openapi.json') {
        openApi ??= JSON.stringify(openApiDocument());
        response.once('close', () => observe(200));
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(openApi);
        return;
      }
      const raw = await readBody(request);
      if (random() < faults.resetBeforeProcessingRate) return drop();
      if (random() < faults.errorRate) {
        throw new HttpError(503, { code: 'unavailable', message: '服务繁忙' }, { 'retry-after': String(faults.retryAfterSeconds) });
      }
      const verified = verifyRequest(request.headers, request.method ?? 'GET', url.pathname + url.search, raw, {
        lookupSecret: (keyId) => statements.terminal.get(keyId) ?? null,
        claimNonce: (keyId, nonce, timestamp) => statements.claimNonce.run(keyId, nonce, timestamp).changes === 1,
        now: now().getTime(),
      });
      if (!verified.ok) {
        stats.signatureRejections[verified.reason] = (stats.signatureRejections[verified.reason] ?? 0) + 1;
        throw new HttpError(401, { code: `signature-${verified.reason}`, message: '终端身份校验失败' });
      }
      const result = await route(request, verified.keyId, url.pathname, raw);
      if (random() < faults.resetAfterProcessingRate) return drop();
      send(result.status, result.body);
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, error.body, error.headers);
      console.error('central: unexpected error', error);
      send(500, { code: 'internal', message: '服务内部错误' });
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  const runHousekeeping = () => {
    statements.purgeNonces.run(now().getTime() - NONCE_TTL_MS);
    statements.purgeKeys.run(now().getTime() - IDEMPOTENCY_TTL_MS);
  };
  const housekeeping = setInterval(runHousekeeping, 60_000);
  housekeeping.unref();

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    setFaults: (next) => Object.assign(faults, next),
    stats: () => structuredClone(stats),
    runHousekeeping,
    close: async () => {
      clearInterval(housekeeping);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes `body` in 50 ms slices at `bytesPerSecond`; stops quietly if the client went away. */
async function trickle(response: ServerResponse, body: Buffer, bytesPerSecond: number): Promise<void> {
  const slice = Math.max(1, Math.floor(bytesPerSecond / 20));
  for (let offset = 0; offset < body.length; offset += slice) {
    if (response.destroyed) return;
    response.write(body.subarray(offset, offset + slice));
    await delay(50);
  }
  if (!response.destroyed) response.end();
}
