import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sha256Hex, verifyRequest } from '../../contract/central/signing.js';
import { DRAFT_MAX_BYTES } from '../../contract/domain.js';
import type { CentralContext } from '../context.js';
import { openApiDocument } from '../openapi.js';
import { badRequest, HttpError, type Answer, type RouteMatch } from './routes.js';
import { consoleFile, consoleUser } from './console.js';

/**
 * The one place every request to central passes through, before any resource sees it: the body is
 * read within a size limit, fault switches fire, the terminal's signature and nonce are checked, the
 * route is found by method and path, the body is parsed with the route's schema, Idempotency-Key rules
 * are applied (draft-ietf-httpapi-idempotency-key-header: first result stored and replayed; 422 for a
 * reused key with another payload; 409 while in flight), and every error becomes a JSON answer.
 * /health and /openapi.json are answered here, unsigned. Checks that every entry point needs belong here.
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

  async function answer({ route, params }: RouteMatch, terminalId: string, request: IncomingMessage, raw: string): Promise<Answer> {
    const query = new URL(request.url ?? '/', 'http://central.invalid').searchParams;
    if (!route.idempotent) return route.handle({ terminalId, user: null, query, params, body: route.body ? parseBody(route.body, raw) : undefined, idempotencyKey: null });
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
      return await route.handle({ terminalId, user: null, query, params, body, idempotencyKey: key });
    } catch (error) {
      // Only a stored answer may be replayed: a failure releases the key so a retry is processed afresh.
      await store.idempotency.release(terminalId, key);
      throw error;
    }
  }

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
      if (url.pathname.startsWith('/console/api/')) {
        const result = await consoleAnswer(request, url, { context, match: options.match, consoleIdleMs: options.consoleIdleMs ?? CONSOLE_IDLE_MS });
        return send(result.status, result.body, result.headers);
      }
      if (url.pathname === '/console' || url.pathname.startsWith('/console/')) {
        const file = await consoleFile(options.consoleDir ?? null, url.pathname);
        response.once('close', () => observe(file.status));
        response.writeHead(file.status, file.headers).end(file.body);
        return;
      }
      const raw = await readBody(request);
      if (random() < faults.resetBeforeProcessingRate) return drop();
      if (random() < faults.errorRate) {
        throw new HttpError(503, { code: 'unavailable', message: '服务繁忙' }, { 'retry-after': String(faults.retryAfterSeconds) });
      }
      const verified = await verifyRequest(request.headers, request.method ?? 'GET', url.pathname + url.search, raw, {
        lookupSecret: (keyId) => store.terminals.credentials(keyId),
        claimNonce: (keyId, nonce, timestamp) => store.nonces.claim(keyId, nonce, timestamp),
        now: now().getTime(),
      });
      if (!verified.ok) {
        stats.signatureRejections[verified.reason] = (stats.signatureRejections[verified.reason] ?? 0) + 1;
        throw new HttpError(401, { code: `signature-${verified.reason}`, message: '终端身份校验失败' });
      }
      const matched = options.match(request.method ?? 'GET', url.pathname);
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

  return (request, response) => void handle(request, response);
}

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
  url: URL,
  options: { context: CentralContext; match: CoreOptions['match']; consoleIdleMs: number },
): Promise<Answer & { headers?: Record<string, string> }> {
  const matched = options.match(request.method ?? 'GET', url.pathname);
  const auth = matched?.route.auth ?? 'terminal';
  if (!matched || auth === 'terminal') throw new HttpError(404, { code: 'not-found', message: '接口不存在' });
  const raw = await readBody(request, CONSOLE_MAX_BODY_BYTES);
  const user = auth === 'public' ? null : await consoleUser(request, options.context, options.consoleIdleMs, matched.route.roles);
  const { route, params } = matched;
  const body = route.body ? parseBody(route.body, raw === '' ? '{}' : raw) : undefined;
  const answer = await route.handle({ terminalId: '', user, query: url.searchParams, params, body, idempotencyKey: null });
  return { ...answer, headers: { 'cache-control': 'no-store' } };
}
