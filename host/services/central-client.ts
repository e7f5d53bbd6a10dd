import type { z } from 'zod';
import { ApiError } from '../../contract/central/api.js';
import { signRequest, type SigningKey } from '../../contract/central/signing.js';
// Registers HMAC-SM3, so a terminal configured for 国密 signing works whatever else was loaded.
import '../../contract/central/sm3.js';

/**
 * Talks to central, signed as this terminal, and sorts every failure into what the caller should do:
 * `retry` later (network, 5xx, 408/409/429 — with Retry-After when given), `needs-staff` (a person must act:
 * credentials, size), or `permanent` (the request itself is wrong and never will succeed).
 * Nothing here retries on its own, with one exception: a request refused for a stale timestamp is signed
 * again at once with central's time, learned from the refusal's `Date` header (issue 10, kind 3).
 * The drainer owns all other timing, so backoff lives in one place.
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
  /** Central's clock differs from this kiosk's by `offsetMs` (positive: central is ahead); called when the estimate changes. */
  onClockOffset?: (offsetMs: number) => void;
  /**
   * Central answered with a redirect, which is never followed (issue 10, kind 8): the request would carry
   * the applicant's ID number and name, and the terminal's signature, to another address. A redirect means
   * the central URL is configured wrong (or something between is hijacking it): a technician must look.
   */
  onRedirect?: (event: { status: number; location: string | null; path: string }) => void;
}

/**
 * How far our estimate of central's clock may move before it is updated: the `Date` header has whole
 * seconds (up to 1 s truncation) and the answer took half a round trip to arrive, so smaller changes are
 * measurement noise.
 */
const OFFSET_NOISE_MS = 2_000;

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function classifyStatus(status: number, code: string): 'retry' | 'needs-staff' | 'permanent' {
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) return 'retry';
  // A stale timestamp is our clock, which the client corrects from central's Date header: never staff work.
  if (status === 401 && code === 'signature-stale-timestamp') return 'retry';
  // Other signature failures are rotated or wrong credentials: a technician fixes those.
  if (status === 401 || status === 403 || status === 413) return 'needs-staff';
  if (status === 422 && code === 'idempotency-key-reused') return 'needs-staff';
  return 'permanent';
}

export class CentralClient {
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private offsetMs = 0;
  private offsetKnown = false;

  constructor(private readonly options: CentralClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** This terminal's signing key (to probe another central address with). */
  get key(): SigningKey {
    return this.options.key;
  }

  /** Central's address now (remote configuration may move it). */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Moves to another central address (remote configuration, after the new one answered a signed request). */
  setBaseUrl(url: string): void {
    this.options.baseUrl = url;
  }

  /** Central's clock minus ours, ms, as last learned from a `Date` header (0 until then). */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** Central's clock minus ours, ms, or null until central answered with a `Date` header (the heartbeat's clock offset). */
  get knownClockOffsetMs(): number | null {
    return this.offsetKnown ? this.offsetMs : null;
  }

  /** Central's time now, as far as this kiosk knows it: what requests are signed with. */
  centralNow(): number {
    return this.now() + this.offsetMs;
  }

  async call<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: T,
    body?: unknown,
    extra: { idempotencyKey?: string; timeoutMs?: number } = {},
  ): Promise<CallOutcome<z.output<T>>> {
    const first = await this.exchange(method, path, schema, body, extra);
    // Refused as stale, and the refusal taught us central's time: sign again with it, once.
    if (first.kind === 'stale') return first.offsetLearned ? this.settle(await this.exchange(method, path, schema, body, extra)) : this.settle(first);
    return first;
  }

  private settle<T>(outcome: CallOutcome<T> | { kind: 'stale'; offsetLearned: boolean }): CallOutcome<T> {
    return outcome.kind === 'stale' ? { kind: 'retry', reason: 'signature-stale-timestamp', retryAfterMs: null } : outcome;
  }

  private async exchange<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: T,
    body: unknown,
    extra: { idempotencyKey?: string; timeoutMs?: number },
  ): Promise<CallOutcome<z.output<T>> | { kind: 'stale'; offsetLearned: boolean }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const sentAt = this.now();
    const headers: Record<string, string> = {
      ...signRequest(this.options.key, method, path, text, sentAt + this.offsetMs),
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
        // Never follow: a redirect would re-send the body (ID number, name) and the signature elsewhere.
        redirect: 'manual',
        ...(body === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(extra.timeoutMs ?? this.options.timeoutMs),
      });
      raw = await response.text();
    } catch (error) {
      return { kind: 'retry', reason: `network: ${(error as Error).name}`, retryAfterMs: null };
    }
    const offsetLearned = this.learnOffset(response.headers.get('date'), sentAt, this.now());
    if (response.status >= 300 && response.status < 400) {
      this.options.onRedirect?.({ status: response.status, location: response.headers.get('location'), path });
      return { kind: 'retry', reason: 'central-redirect', retryAfterMs: null };
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
    if (response.status === 401 && code === 'signature-stale-timestamp') return { kind: 'stale', offsetLearned };
    const kind = classifyStatus(response.status, code);
    if (kind === 'retry') return { kind, reason: code, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.centralNow()) };
    if (kind === 'needs-staff') return { kind, reason: code };
    return { kind, reason: code, status: response.status };
  }

  /**
   * Central's `Date` header (RFC 9110 §6.6.1, whole seconds) against our clock at the middle of the
   * exchange. True when the estimate moved by more than the noise and was taken.
   */
  private learnOffset(dateHeader: string | null, sentAt: number, receivedAt: number): boolean {
    const centralDate = dateHeader ? Date.parse(dateHeader) : NaN;
    if (Number.isNaN(centralDate)) return false;
    this.offsetKnown = true;
    // The header truncates to the second: central's clock stood somewhere in [date, date + 1 s).
    const estimate = Math.round(centralDate + 500 - (sentAt + receivedAt) / 2);
    if (Math.abs(estimate - this.offsetMs) <= OFFSET_NOISE_MS) return false;
    this.offsetMs = Math.abs(estimate) <= OFFSET_NOISE_MS ? 0 : estimate;
    this.options.onClockOffset?.(this.offsetMs);
    return true;
  }
}
