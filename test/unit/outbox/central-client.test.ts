import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CentralClient, classifyStatus, parseRetryAfter } from '../../../host/services/central-client.js';

const NOW = Date.parse('2026-03-02T08:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7_000);
  });

  it('reads an HTTP date relative to the injected clock', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 08:01:30 GMT', NOW)).toBe(90_000);
  });

  it('treats a date in the past as "now"', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 07:00:00 GMT', NOW)).toBe(0);
  });

  it('ignores absent and malformed values', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });
});

describe('classifyStatus', () => {
  it.each([
    [408, 'timeout', 'retry'],
    [409, 'in-flight', 'retry'],
    [425, 'too-early', 'retry'],
    [429, 'too-many', 'retry'],
    [500, 'internal', 'retry'],
    [502, 'http-502', 'retry'],
    [503, 'unavailable', 'retry'],
    [401, 'signature-stale-timestamp', 'retry'],
    [401, 'signature-bad-signature', 'needs-staff'],
    [403, 'forbidden', 'needs-staff'],
    [413, 'too-large', 'needs-staff'],
    [422, 'idempotency-key-reused', 'needs-staff'],
    [422, 'unknown-service', 'permanent'],
    [400, 'bad-request', 'permanent'],
    [404, 'not-found', 'permanent'],
  ] as const)('sorts %i %s as %s', (status, code, expected) => {
    expect(classifyStatus(status, code)).toBe(expected);
  });
});

function clientAnswering(respond: () => Response | Promise<Response>) {
  return new CentralClient({
    baseUrl: 'http://central.test',
    key: { keyId: 'TA-1', secret: 's'.repeat(32) },
    timeoutMs: 1_000,
    now: () => NOW,
    fetch: (() => Promise.resolve(respond())) as typeof fetch,
  });
}

const Ack = z.object({ caseNumber: z.string() });
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('CentralClient', () => {
  it('returns the parsed value of a 2xx', async () => {
    const outcome = await clientAnswering(() => json(201, { caseNumber: 'TA1' })).call('POST', '/v1/applications', Ack, {});
    expect(outcome).toEqual({ kind: 'ok', status: 201, value: { caseNumber: 'TA1' } });
  });

  it('asks for a retry when the network fails', async () => {
    const client = new CentralClient({
      baseUrl: 'http://central.test',
      key: { keyId: 'TA-1', secret: 's'.repeat(32) },
      timeoutMs: 1_000,
      fetch: (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
    });
    expect(await client.call('GET', '/v1/catalog', Ack)).toMatchObject({ kind: 'retry', reason: 'network: TypeError', retryAfterMs: null });
  });

  it('passes Retry-After of a 503 on, in seconds or as a date', async () => {
    expect(await clientAnswering(() => json(503, { code: 'unavailable', message: '忙' }, { 'retry-after': '9' })).call('GET', '/x', Ack)).toEqual({
      kind: 'retry',
      reason: 'unavailable',
      retryAfterMs: 9_000,
    });
    const dated = await clientAnswering(() => json(503, { code: 'unavailable', message: '忙' }, { 'retry-after': 'Mon, 02 Mar 2026 08:00:05 GMT' })).call('GET', '/x', Ack);
    expect(dated).toMatchObject({ retryAfterMs: 5_000 });
  });

  it('retries a 2xx whose body was cut, because central may have committed it', async () => {
    const outcome = await clientAnswering(() => new Response('{"caseNumber":"TA', { status: 201 })).call('POST', '/x', Ack, {});
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'unparseable-response' });
  });

  it('sends a 2xx that does not match the schema to staff rather than guess', async () => {
    const outcome = await clientAnswering(() => json(201, { case: 1 })).call('POST', '/x', Ack, {});
    expect(outcome).toEqual({ kind: 'needs-staff', reason: 'response-schema-mismatch' });
  });

  it('names a failed signature as needs-staff, a stale timestamp as retry (our clock, not staff work) and a bad request as permanent', async () => {
    expect(await clientAnswering(() => json(401, { code: 'signature-bad-signature', message: '终端身份校验失败' })).call('GET', '/x', Ack)).toEqual({
      kind: 'needs-staff',
      reason: 'signature-bad-signature',
    });
    expect(await clientAnswering(() => json(401, { code: 'signature-stale-timestamp', message: '终端身份校验失败' })).call('GET', '/x', Ack)).toEqual({
      kind: 'retry',
      reason: 'signature-stale-timestamp',
      retryAfterMs: null,
    });
    expect(await clientAnswering(() => json(400, { code: 'bad-request', message: '不符合' })).call('GET', '/x', Ack)).toEqual({
      kind: 'permanent',
      reason: 'bad-request',
      status: 400,
    });
  });

  it('signs again at once with central\'s time when refused as stale, learning it from the Date header', async () => {
    const centralNow = NOW - 10 * 60_000; // the kiosk runs 10 minutes fast
    const timestamps: number[] = [];
    const offsets: number[] = [];
    const client = new CentralClient({
      baseUrl: 'http://central.test',
      key: { keyId: 'TA-1', secret: 's'.repeat(32) },
      timeoutMs: 1_000,
      now: () => NOW,
      onClockOffset: (offset) => offsets.push(offset),
      fetch: ((_url: URL, init: RequestInit) => {
        const timestamp = Number((init.headers as Record<string, string>)['x-timestamp']);
        timestamps.push(timestamp);
        const date = new Date(centralNow).toUTCString();
        if (Math.abs(timestamp - centralNow) > 300_000) return Promise.resolve(json(401, { code: 'signature-stale-timestamp', message: '终端身份校验失败' }, { date }));
        return Promise.resolve(json(201, { caseNumber: 'TA1' }, { date }));
      }) as typeof fetch,
    });
    expect(await client.call('POST', '/v1/applications', Ack, {})).toEqual({ kind: 'ok', status: 201, value: { caseNumber: 'TA1' } });
    expect(timestamps).toHaveLength(2);
    expect(Math.abs((timestamps[1] ?? 0) - centralNow)).toBeLessThanOrEqual(2_000);
    expect(Math.abs(client.clockOffsetMs + 10 * 60_000)).toBeLessThanOrEqual(2_000);
    expect(offsets).toHaveLength(1);
  });

  it("knows no clock offset for the heartbeat until central answered with a Date header, then knows it even when it is 0", async () => {
    let date: string | null = null;
    const client = clientAnswering(() => json(201, { caseNumber: 'TA1' }, date ? { date } : {}));
    expect(client.knownClockOffsetMs).toBeNull();
    await client.call('POST', '/v1/applications', Ack, {});
    expect(client.knownClockOffsetMs).toBeNull();
    date = new Date(NOW).toUTCString();
    await client.call('POST', '/v1/applications', Ack, {});
    expect(client.knownClockOffsetMs).toBe(0);
  });

  it('never follows a redirect: one request, nothing re-sent elsewhere, and the technician is told', async () => {
    const requests: Array<{ url: string; redirect: RequestInit['redirect'] }> = [];
    const redirects: Array<{ status: number; location: string | null }> = [];
    const client = new CentralClient({
      baseUrl: 'http://central.test',
      key: { keyId: 'TA-1', secret: 's'.repeat(32) },
      timeoutMs: 1_000,
      onRedirect: ({ status, location }) => redirects.push({ status, location }),
      fetch: ((url: URL, init: RequestInit) => {
        requests.push({ url: String(url), redirect: init.redirect });
        return Promise.resolve(new Response(null, { status: 307, headers: { location: 'http://elsewhere.test/v1/applications' } }));
      }) as typeof fetch,
    });
    expect(await client.call('POST', '/v1/applications', Ack, { idNumber: '370902196803151236' })).toEqual({ kind: 'retry', reason: 'central-redirect', retryAfterMs: null });
    expect(requests).toEqual([{ url: 'http://central.test/v1/applications', redirect: 'manual' }]);
    expect(redirects).toEqual([{ status: 307, location: 'http://elsewhere.test/v1/applications' }]);
  });

  it('falls back to the status when an error body is not JSON (a proxy page)', async () => {
    const outcome = await clientAnswering(() => new Response('<html>Bad gateway</html>', { status: 502 })).call('GET', '/x', Ack);
    expect(outcome).toEqual({ kind: 'retry', reason: 'http-502', retryAfterMs: null });
  });
});
