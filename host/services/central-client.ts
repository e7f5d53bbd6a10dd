import type { z } from 'zod';
import { ApiError } from '../../contract/central/api.js';
import { signRequest, type SigningKey } from '../../contract/central/signing.js';
// Registers HMAC-SM3, so a terminal configured for 国密 signing works whatever else was loaded.
import '../../contract/central/sm3.js';

/**
 * Talks to central, signed as this terminal, and sorts every failure into what the caller should do:
 * `retry` later (network, 5xx, 408/409/429 — with Retry-After when given), `needs-staff` (a person must act:
 * credentials, clock, size), or `permanent` (the request itself is wrong and never will succeed).
 * Nothing here retries on its own: the drainer owns timing, so backoff lives in one place.
 */
export type CallOutcome<T> =
  | { kind: 'ok'; status: number; value: T }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  | { kind: 'needs-staff'; reason: string }
  | { kind: 'permanent'; reason: string; status: number };

export interface CentralClientOptions {
  baseUrl: string;
  key: SigningKey;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function classifyStatus(status: number, code: string): 'retry' | 'needs-staff' | 'permanent' {
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) return 'retry';
  // Signature failures are almost always a wrong clock or rotated credentials: a technician fixes those.
  if (status === 401 || status === 403 || status === 413) return 'needs-staff';
  if (status === 422 && code === 'idempotency-key-reused') return 'needs-staff';
  return 'permanent';
}

export class CentralClient {
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: CentralClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  async call<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: T,
    body?: unknown,
    extra: { idempotencyKey?: string; timeoutMs?: number } = {},
  ): Promise<CallOutcome<z.output<T>>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...signRequest(this.options.key, method, path, text, this.now()),
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    if (extra.idempotencyKey) headers['idempotency-key'] = extra.idempotencyKey;
    let response: Response;
    let raw: string;
    try {
      response = await this.fetchImpl(new URL(path, this.options.baseUrl), {
        method,
        headers,
        ...(body === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(extra.timeoutMs ?? this.options.timeoutMs),
      });
      raw = await response.text();
    } catch (error) {
      return { kind: 'retry', reason: `network: ${(error as Error).name}`, retryAfterMs: null };
    }
    if (response.ok) {
      if (response.status === 204) return { kind: 'ok', status: 204, value: schema.parse(undefined) as z.output<T> };
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        // A cut or garbled body after a 2xx: the server may have committed, so retry with the same key.
        return { kind: 'retry', reason: 'unparseable-response', retryAfterMs: null };
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) return { kind: 'needs-staff', reason: 'response-schema-mismatch' };
      return { kind: 'ok', status: response.status, value: parsed.data };
    }
    let code = `http-${response.status}`;
    try {
      code = ApiError.parse(JSON.parse(raw)).code;
    } catch {
      // keep the status-derived code
    }
    const kind = classifyStatus(response.status, code);
    if (kind === 'retry') return { kind, reason: code, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.now()) };
    if (kind === 'needs-staff') return { kind, reason: code };
    return { kind, reason: code, status: response.status };
  }
}
