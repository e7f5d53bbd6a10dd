import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CENTRAL_PATHS } from '../../../contract/central/api.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { Drainer } from '../../../host/services/drainer.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox } from '../../../host/services/outbox.js';
import { startTestCentral, submissionBody, temporaryDirectories } from '../../support/central-fixture.js';
import { eventually } from '../../support/eventually.js';

/**
 * The central client against real HTTP (Node's fetch, the reference central): a kiosk clock 10 minutes fast
 * (issue 10, kind 3) and a central URL that redirects (kind 8).
 */
const directories = temporaryDirectories();
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  directories.cleanup();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('A kiosk whose clock runs 10 minutes fast', () => {
  it('delivers every application, none to the staff list (was: every one to staff with signature-stale-timestamp)', async () => {
    const dir = directories.make();
    const test = await startTestCentral(dir);
    closers.push(() => test.central.close());
    const fast = () => Date.now() + 10 * 60_000;
    const offsets: number[] = [];
    const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), key: randomBytes(32), terminalId: test.key.keyId, now: fast });
    closers.push(() => outbox.close());
    const drainer = new Drainer({
      outbox,
      client: new CentralClient({ baseUrl: test.central.url, key: test.key, timeoutMs: 3_000, now: fast, onClockOffset: (offset) => offsets.push(offset) }),
      log: createLogger({ dataDir: null, minLevel: 'error' }),
      now: fast,
      policy: { baseMs: 50, capMs: 300 },
    });
    closers.push(() => drainer.stop());
    const items = [0, 1, 2].map(() => outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) }));
    drainer.start();
    await eventually(() => outbox.depth().pending === 0, 15_000, 'the queue to drain');
    expect(items.map((item) => outbox.get(item.localNumber)?.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(outbox.depth().needsStaff).toBe(0);
    // Refused once, corrected from central's Date header, then signed with central's time.
    expect(test.central.stats().signatureRejections['stale-timestamp']).toBe(1);
    expect(offsets).toHaveLength(1);
    expect(Math.abs((offsets[0] ?? 0) + 10 * 60_000)).toBeLessThan(3_000);
  });
});

describe('A central URL that redirects', () => {
  it('re-sends nothing to the other address (was: the whole application, three times, with its signature) and keeps the item queued', async () => {
    const elsewhere: string[] = [];
    const other = await listen(
      createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          elsewhere.push(`${request.method} ${request.url} ${body.length}`);
          response.writeHead(201, { 'content-type': 'application/json' }).end('{"caseNumber":"FAKE","localNumber":"x","status":"accepted"}');
        });
      }),
    );
    const misconfigured = await listen(createServer((request, response) => response.writeHead(307, { location: `${other}${request.url ?? '/'}` }).end()));
    const dir = directories.make();
    const redirects: string[] = [];
    const client = new CentralClient({
      baseUrl: misconfigured,
      key: { keyId: 'TA-TEST-0001', secret: randomBytes(16).toString('hex') },
      timeoutMs: 3_000,
      onRedirect: ({ location }) => redirects.push(location ?? ''),
    });
    const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-TEST-0001' });
    closers.push(() => outbox.close());
    const drainer = new Drainer({ outbox, client, log: createLogger({ dataDir: null, minLevel: 'error' }), policy: { baseMs: 50, capMs: 200 } });
    closers.push(() => drainer.stop());
    const item = outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) });
    drainer.start();
    await eventually(() => redirects.length >= 2, 15_000, 'the drainer to probe twice');
    // A look-up with the ID number in its body is refused the same way.
    expect(await client.call('POST', CENTRAL_PATHS.profile, z.object({}), { idNumber: '370902196803151236' })).toEqual({ kind: 'retry', reason: 'central-redirect', retryAfterMs: null });
    expect(elsewhere).toEqual([]);
    expect(redirects.every((location) => location.startsWith(other))).toBe(true);
    expect(outbox.get(item.localNumber)).toMatchObject({ state: 'pending', lastError: 'central-redirect' });
  });
});
