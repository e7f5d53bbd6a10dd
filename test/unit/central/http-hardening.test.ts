import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import { signRequest, type SigningKey } from '../../../contract/central/signing.js';
import { BodyBudget, requestTarget } from '../../../central/http/core.js';
import { rawRequest } from '../../support/raw-http.js';
import { centralPerTest, submissionBody, testIdNumber, type TestCentral } from '../../support/central-fixture.js';

/**
 * Central's HTTP core against what a careless or hostile client sends (issue 11, kinds 1 and 2): request
 * targets that are not paths, bodies held or trickled without a signature, many bodies at once, text that
 * is not valid Unicode. Every answer is a 4xx (or 503 with Retry-After) and central stays up.
 */
const start = centralPerTest('central-http-');

/** A signed request as raw bytes: headers for the whole body, of which only `sendBytes` are sent at first. */
function signedRequestHead(key: SigningKey, port: number, path: string, body: string): string {
  const headers = signRequest(key, 'POST', path, body);
  const lines = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Sends `head` and the first `bytes` of `body`, then waits (holding the connection) for an answer. */
function sendPartly(port: number, head: string, body: string, bytes: number, timeoutMs = 3_000): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text });
    };
    socket.on('error', () => finish());
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\r\n\r\n') && /\}$/.test(text)) finish();
    });
    socket.on('close', () => finish());
    socket.on('connect', () => socket.write(Buffer.concat([Buffer.from(head), Buffer.from(body).subarray(0, bytes)])));
  });
}

async function healthy(central: TestCentral): Promise<void> {
  expect((await fetch(`${central.central.url}/health`)).status).toBe(200);
}

describe('central HTTP core', () => {
  it('answers a malformed percent-encoding with 400, not 500 (regression), and a target that is no path with 400', async () => {
    const central = await start();
    const host = `127.0.0.1:${central.central.port}`;
    for (const target of ['/%', '/%ff', '/v1/cases/%E4%B8', '/v1/cases/%ed%a0%80', '//', '//evil.example/v1/catalog', 'http://[']) {
      expect((await rawRequest(central.central.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(400);
    }
    await healthy(central);
  });

  it('answers an unsigned request before reading its body: an 11 MB body is never buffered (regression: 100 of them took 1 GB)', async () => {
    const central = await start();
    const port = central.central.port;
    const head = `POST ${CENTRAL_PATHS.applications} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${11 * 1024 * 1024}\r\n\r\n`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => sendPartly(port, head, 'x'.repeat(64 * 1024), 64 * 1024)));
    for (const answer of answers) expect(answer.status).toBe(401);
    expect(central.central.stats().signatureRejections['missing-headers']).toBe(20);
    await healthy(central);
  });

  it('refuses a forged signature on its headers alone, before the body', async () => {
    const central = await start();
    const port = central.central.port;
    const body = JSON.stringify(submissionBody('K-FORGED-1'));
    const forged = signedRequestHead({ ...central.key, secret: 'f'.repeat(64) }, port, CENTRAL_PATHS.applications, body);
    const answer = await sendPartly(port, forged, body, 10);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('signature-bad-signature');
  });

  it('answers 503 with Retry-After when bodies in flight together pass the shared budget, and serves again after', async () => {
    const central = await start({ maxConcurrentBodyBytes: 256 * 1024 });
    const port = central.central.port;
    const body = JSON.stringify({ ...submissionBody('K-BIG-1'), padding: 'x'.repeat(200 * 1024) });
    const head = signedRequestHead(central.key, port, CENTRAL_PATHS.applications, body);
    // The first holds 150 KB of its body and waits; the second pushes past 256 KB.
    const first = sendPartly(port, head, body, 150 * 1024, 1_500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await sendPartly(port, signedRequestHead(central.key, port, CENTRAL_PATHS.applications, body), body, 150 * 1024);
    expect(second.status).toBe(503);
    expect(second.text.toLowerCase()).toContain('retry-after: 1');
    await first;
    await healthy(central);
  });

  it('cuts off a body trickled in slower than the time limit with 408', async () => {
    const central = await start({ bodyTimeoutMs: 300 });
    const port = central.central.port;
    const body = JSON.stringify(submissionBody('K-SLOW-1'));
    const answer = await sendPartly(port, signedRequestHead(central.key, port, CENTRAL_PATHS.applications, body), body, 20);
    expect(answer.status).toBe(408);
    await healthy(central);
  });

  it('refuses a name with an unpaired surrogate, sent as a JSON escape, and stores nothing (regression: stored altered)', async () => {
    const central = await start();
    const body = JSON.stringify(submissionBody('K-SURROGATE-1', testIdNumber(5))).replace('"测试申请人"', '"王\\ud842"');
    expect(body).toContain('\\ud842');
    const headers = signRequest(central.key, 'POST', CENTRAL_PATHS.applications, body);
    const response = await fetch(`${central.central.url}${CENTRAL_PATHS.applications}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': 'surrogate-key-0001' },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'bad-text' });
    expect(central.central.stats().casesCreated).toBe(0);
  });
});

describe('requestTarget and BodyBudget', () => {
  it('takes origin-form paths and refuses what does not decode', () => {
    expect(requestTarget('/v1/cases/TA%2D1?x=1')).toEqual({ pathname: '/v1/cases/TA%2D1', search: '?x=1' });
    expect(requestTarget('/%zz')).toBeNull();
    expect(requestTarget('//other.example/')).toBeNull();
    expect(requestTarget(undefined)).toEqual({ pathname: '/', search: '' });
  });

  it('shares one ceiling and gives bytes back', () => {
    const budget = new BodyBudget(100);
    expect(budget.take(60)).toBe(true);
    expect(budget.take(50)).toBe(false);
    budget.give(60);
    expect(budget.take(100)).toBe(true);
    expect(budget.inUse).toBe(100);
  });
});
