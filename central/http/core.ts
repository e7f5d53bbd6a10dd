import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sha256Hex, verifyBody, verifyRequestHeaders } from '../../contract/central/signing.js';
import { DRAFT_MAX_BYTES } from '../../contract/domain.js';
import { findIllFormedText } from '../../contract/unicode.js';
import type { CentralContext } from '../context.js';
import { openApiDocument } from '../openapi.js';
import { badRequest, HttpError, type Answer, type RouteMatch } from './routes.js';
import { consoleFile, consoleUser } from './console.js';
import { isVerificationPath, verificationAnswer } from './verify.js';

/**
 * The one place every request to central passes through, before any resource sees it: the request
 * target must be a valid percent-encoded path (400 otherwise), the terminal's signature is checked on
 * its headers before a byte of the body is read (an unsigned or forged request costs no memory), the
 * body is read within a size limit, a time limit and a budget shared by all requests in flight, fault
 * switches fire, the body's digest and the nonce are checked, the route is found by method and path, the
 * body is parsed with the route's schema (text that is not valid Unicode is refused, never altered),
 * Idempotency-Key rules are applied (draft-ietf-httpapi-idempotency-key-header: first result stored and
 * replayed; 422 for a reused key with another payload; 409 while in flight), and every error becomes a
 * JSON answer. /health and /openapi.json are answered here, unsigned. Checks that every entry point needs
 * belong here, so every router inherits them.
 */

export interface Faults {
  /** Added to each idempotent request (a submission) after its key is claimed, before it is processed, ms. */
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

export const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, resetAfterProcessingRate: 0, resetBeforeProcessingRate: 0, slowBodyBytesPerSecond: 0, retryAfterSeconds: 1 };

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

export interface CoreOptions {
  context: CentralContext;
  /** The route table (central/routes/index.ts). */
  match: (method: string, pathname: string) => RouteMatch | null;
  /** Switched by tests at run time; read on every request. */
  faults: Faults;
  random: () => number;
  /** Called once per answered (or dropped) request. */
  observe?: (record: RequestRecord) => void;
  /** The built console app (dist/consoles), served under /console/; null: not served. */
  consoleDir?: string | null;
  /** A console sign-in ends after this long without a user action, ms. */
  consoleIdleMs?: number;
  /** Bytes of request bodies all requests in flight may hold together (default 64 MiB); beyond it 503. */
  maxConcurrentBodyBytes?: number;
  /** A body must have arrived this long after its headers (default 30 s); a slower one is answered 408. */
  bodyTimeoutMs?: number;
}

/** Console sign-ins end after 10 minutes without a user action (DOMAIN.md §7 idle logout). */
export const CONSOLE_IDLE_MS = 10 * 60_000;
/** Console requests are small: settings, filters, a message. */
const CONSOLE_MAX_BODY_BYTES = 256 * 1024;

/** Any valid submission fits (the contract bounds a draft's photos and signature), with room for the rest. */
const MAX_BODY_BYTES = DRAFT_MAX_BYTES + 256 * 1024;

/** The Node request listener of central. */
export function centralRequestListener(options: CoreOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const { context, faults, random } = options;
  const { store, stats, now } = context;
  let openApi: string | null = null;
  const budget = new BodyBudget(options.maxConcurrentBodyBytes ?? 64 * 1024 * 1024);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;

  async function answer({ route, params }: RouteMatch, terminalId: string, request: IncomingMessage, raw: string): Promise<Answer> {
    const query = new URLSearchParams(requestTarget(request.url)?.search ?? '');
    const source = request.socket.remoteAddress ?? 'unknown';
    if (!route.idempotent) return route.handle({ terminalId, user: null, query, source, params, body: route.body ? parseBody(route.body, raw) : undefined, idempotencyKey: null });
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8 || key.length > 128) {
      throw new HttpError(400, { code: 'missing-idempotency-key', message: '缺少幂等键' });
    }
    const body = route.body ? parseBody(route.body, raw) : undefined;
    const requestHash = sha256Hex(raw);
    const claimedAt = now().getTime();
    const claimed = await store.idempotency.claim(terminalId, key, requestHash, claimedAt, claimedAt + context.idempotencyLeaseMs);
    if (claimed) {
      if (claimed.requestHash !== requestHash) {
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
      return await route.handle({ terminalId, user: null, query, source, params, body, idempotencyKey: key });
    } catch (error) {
      // Only a stored answer may be replayed: a failure releases the key so a retry is processed afresh.
      await store.idempotency.release(terminalId, key);
      throw error;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    stats.requests++;
    // `GET //`, `GET /%`, `/%ff`: not a path. Parsed inside the answer's reach (a throw here once went
    // unhandled), every escape decoded once up front so no router meets a malformed one.
    const target = requestTarget(request.url);
    const pathname = target?.pathname ?? '(invalid)';
    const observe = (status: number) =>
      options.observe?.({ method: request.method ?? 'GET', path: pathname, status, startedAt, durationMs: Date.now() - startedAt });
    let bodyRead = false;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.once('close', () => observe(status));
      // A refused request whose body was never read: close the connection rather than drain it.
      const closing = bodyRead || request.complete ? {} : { connection: 'close' };
      if (!bodyRead && !request.complete) response.once('finish', () => request.socket.destroy());
      if (status === 204) {
        response.writeHead(204, { ...headers, ...closing }).end();
        return;
      }
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers, ...closing });
      if (faults.slowBodyBytesPerSecond > 0) void trickle(response, Buffer.from(text), faults.slowBodyBytesPerSecond);
      else response.end(text);
    };
    const drop = () => {
      observe(0);
      request.socket.destroy();
    };
    try {
      if (!target) throw badRequest('请求地址格式不正确');
      if (target.pathname === '/health') return send(200, { ok: true });
      if (target.pathname === '/openapi.json') {
        openApi ??= JSON.stringify(openApiDocument());
        response.once('close', () => observe(200));
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(openApi);
        return;
      }
      if (target.pathname.startsWith('/console/api/')) {
        const result = await consoleAnswer(request, target, {
          context,
          match: options.match,
          consoleIdleMs: options.consoleIdleMs ?? CONSOLE_IDLE_MS,
          readBody: async () => {
            const raw = await readBody(request, { limit: CONSOLE_MAX_BODY_BYTES, budget, timeoutMs: bodyTimeoutMs });
            bodyRead = true;
            return raw;
          },
        });
        return send(result.status, result.body, result.headers);
      }
      if (target.pathname === '/console' || target.pathname.startsWith('/console/')) {
        const file = await consoleFile(options.consoleDir ?? null, target.pathname);
        response.once('close', () => observe(file.status));
        response.writeHead(file.status, file.headers).end(file.body);
        return;
      }
      if (isVerificationPath(target.pathname)) {
        // Public, unsigned: the verification page a printed QR opens (issue 15).
        const page = await verificationAnswer(context, request.method ?? 'GET', target.pathname, new URLSearchParams(target.search));
        response.once('close', () => observe(page.status));
        response.writeHead(page.status, { ...page.headers, 'content-length': String(Buffer.byteLength(page.body)) }).end(request.method === 'HEAD' ? undefined : page.body);
        return;
      }
      const pathWithQuery = target.pathname + target.search;
      const signed = await verifyRequestHeaders(request.headers, request.method ?? 'GET', pathWithQuery, {
        lookupSecret: (keyId) => store.terminals.credentials(keyId),
        now: now().getTime(),
      });
      if (!signed.ok) throw signatureRefused(signed.reason);
      const raw = await readBody(request, { limit: MAX_BODY_BYTES, budget, timeoutMs: bodyTimeoutMs });
      bodyRead = true;
      if (random() < faults.resetBeforeProcessingRate) return drop();
      if (random() < faults.errorRate) {
        throw new HttpError(503, { code: 'unavailable', message: '服务繁忙' }, { 'retry-after': String(faults.retryAfterSeconds) });
      }
      const verified = await verifyBody(signed, raw, (keyId, nonce, timestamp) => store.nonces.claim(keyId, nonce, timestamp));
      if (!verified.ok) throw signatureRefused(verified.reason);
      const matched = options.match(request.method ?? 'GET', target.pathname);
      if (!matched || (matched.route.auth ?? 'terminal') !== 'terminal') throw new HttpError(404, { code: 'not-found', message: '接口不存在' });
      const result = await answer(matched, verified.keyId, request, raw);
      if (random() < faults.resetAfterProcessingRate) return drop();
      send(result.status, result.body);
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, error.body, error.headers);
      console.error('central: unexpected error', error);
      send(500, { code: 'internal', message: '服务内部错误' });
    }
  }

  function signatureRefused(reason: string): HttpError {
    stats.signatureRejections[reason] = (stats.signatureRejections[reason] ?? 0) + 1;
    return new HttpError(401, { code: `signature-${reason}`, message: '终端身份校验失败' });
  }

  return (request, response) => void handle(request, response);
}

function parseBody<T extends z.ZodType>(schema: T, raw: string): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest('请求内容不是有效的 JSON');
  }
  // A `\ud800` escape parses to a lone surrogate that SQLite would store as U+FFFD: refuse, never alter.
  const illFormed = findIllFormedText(json);
  if (illFormed !== null) throw new HttpError(400, { code: 'bad-text', message: `请求内容含有无法识别的字符：${illFormed}` });
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badRequest(`请求内容不符合接口定义：${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  return parsed.data;
}

/**
 * The request target's path and query, or null when it is not a valid origin-form target whose path
 * percent-decodes as UTF-8 (RFC 3986 §2.1; a malformed escape was a 500).
 */
export function requestTarget(url: string | undefined): { pathname: string; search: string } | null {
  try {
    const parsed = new URL(url ?? '/', 'http://central.invalid');
    if (parsed.host !== 'central.invalid') return null;
    decodeURIComponent(parsed.pathname);
    return { pathname: parsed.pathname, search: parsed.search };
  } catch {
    return null;
  }
}

/**
 * Bytes of request bodies held by requests in flight, against one ceiling: each request may hold up to
 * its own limit, but together they may not hold more than `limit` (100 signed 11 MB bodies at once once
 * took central from 116 MB to 1.16 GB). A request that would pass it is answered 503 with Retry-After.
 */
export class BodyBudget {
  private held = 0;
  constructor(readonly limit: number) {}
  /** Takes `bytes` if they fit; false when they would pass the ceiling. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }
  give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
  get inUse(): number {
    return this.held;
  }
}

/**
 * Reads a body within `limit` bytes (413), the shared `budget` (503, Retry-After) and `timeoutMs` from the
 * first byte asked for (408: a body trickled in to hold a connection open is cut off). Bytes taken from the
 * budget are given back when the body is done, whatever the outcome.
 */
function readBody(request: IncomingMessage, options: { limit: number; budget: BodyBudget; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: HttpError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.budget.give(size);
      request.removeAllListeners('data');
      if (error) {
        reject(error);
        request.resume();
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(() => finish(new HttpError(408, { code: 'body-timeout', message: '请求内容传输超时' })), options.timeoutMs);
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > options.limit) return finish(new HttpError(413, { code: 'too-large', message: '请求内容过大' }));
      if (!options.budget.take(chunk.length)) return finish(new HttpError(503, { code: 'busy', message: '服务繁忙，请稍后重试' }, { 'retry-after': '1' }));
      size += chunk.length;
      chunks.push(chunk);
    });
    request.on('end', () => finish(null));
    request.on('error', () => finish(new HttpError(400, { code: 'bad-body', message: '请求内容读取失败' })));
  });
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

/**
 * A /console/api/ request: the route must be a console one; unless `public`, the bearer token must be a
 * valid sign-in with a role the route allows. A request marked as background (a list the console polls)
 * does not count as the person's activity, so an unattended console still signs out.
 */
async function consoleAnswer(
  request: IncomingMessage,
  target: { pathname: string; search: string },
  options: { context: CentralContext; match: CoreOptions['match']; consoleIdleMs: number; readBody: () => Promise<string> },
): Promise<Answer & { headers?: Record<string, string> }> {
  const matched = options.match(request.method ?? 'GET', target.pathname);
  const auth = matched?.route.auth ?? 'terminal';
  if (!matched || auth === 'terminal') throw new HttpError(404, { code: 'not-found', message: '接口不存在' });
  // The sign-in is checked on the headers before the body is read, as for terminals: an anonymous
  // request costs no memory (body limit, shared budget and time limit as for every body).
  const user = auth === 'public' ? null : await consoleUser(request, options.context, options.consoleIdleMs, matched.route.roles);
  const raw = await options.readBody();
  const { route, params } = matched;
  const body = route.body ? parseBody(route.body, raw === '' ? '{}' : raw) : undefined;
  const source = request.socket.remoteAddress ?? 'unknown';
  const answer = await route.handle({ terminalId: '', user, query: new URLSearchParams(target.search), source, params, body, idempotencyKey: null });
  return { ...answer, headers: { 'cache-control': 'no-store' } };
}
