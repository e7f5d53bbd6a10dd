import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CaseRecord, CENTRAL_PATHS, StaffSignInResponse, SubmitApplicationBody } from '../../../contract/central/api.js';
import { SIGNATURE_HEADERS, signRequest } from '../../../contract/central/signing.js';
import '../../../contract/central/sm3.js';
import { CentralClient } from '../../../host/services/central-client.js';
import { Drainer } from '../../../host/services/drainer.js';
import { createLogger } from '../../../host/services/log.js';
import { Outbox } from '../../../host/services/outbox.js';
import { centralDatabases, type CentralDatabase } from '../../support/central-databases.js';
import { startTestCentral, submissionBody, temporaryDirectories, type TestCentral } from '../../support/central-fixture.js';
import { startFaultProxy } from '../../support/fault-proxy.js';
import { sampleHeartbeat } from '../../support/fleet-fixture.js';

const directories = temporaryDirectories();
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  directories.cleanup();
});

// Central's behaviour over HTTP is the same on either store (issue 13): these suites run on both.
const databases = centralDatabases();
beforeAll(async () => {
  for (const database of databases) await database.before();
});
afterAll(async () => {
  for (const database of databases) await database.after();
});

async function central(options: Parameters<typeof startTestCentral>[1] = {}, database?: CentralDatabase): Promise<TestCentral> {
  const test = await startTestCentral(directories.make(), { ...options, ...(database ? { dbFile: await database.create() } : {}) });
  closers.push(() => test.central.close());
  return test;
}

async function send(test: TestCentral, headers: Record<string, string>, body = '{}', path: string = CENTRAL_PATHS.heartbeat) {
  const response = await fetch(`${test.central.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  const text = await response.text();
  return { status: response.status, code: text ? ((JSON.parse(text) as { code?: string }).code ?? null) : null };
}

const heartbeat = JSON.stringify(sampleHeartbeat());

describe.each(databases)('Reference central on $name: terminal authentication', (database) => {
  it('accepts a correctly signed request', async () => {
    const test = await central({}, database);
    expect(await send(test, signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat), heartbeat)).toEqual({ status: 200, code: null });
  });

  it('rejects a bad signature', async () => {
    const test = await central({}, database);
    const headers = signRequest({ ...test.key, secret: randomBytes(32).toString('hex') }, 'POST', CENTRAL_PATHS.heartbeat, heartbeat);
    expect(await send(test, headers, heartbeat)).toEqual({ status: 401, code: 'signature-bad-signature' });
  });

  it('rejects a body altered after signing', async () => {
    const test = await central({}, database);
    const headers = signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat);
    expect(await send(test, headers, heartbeat.replace('"pending":0', '"pending":9'))).toEqual({ status: 401, code: 'signature-bad-digest' });
  });

  it('rejects a request signed for another path', async () => {
    const test = await central({}, database);
    const headers = signRequest(test.key, 'POST', CENTRAL_PATHS.profile, heartbeat);
    expect(await send(test, headers, heartbeat)).toEqual({ status: 401, code: 'signature-bad-signature' });
  });

  it('rejects a stale timestamp, either way past five minutes', async () => {
    const test = await central({}, database);
    expect(await send(test, signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat, Date.now() - 6 * 60_000), heartbeat)).toEqual({ status: 401, code: 'signature-stale-timestamp' });
    expect(await send(test, signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat, Date.now() + 6 * 60_000), heartbeat)).toEqual({ status: 401, code: 'signature-stale-timestamp' });
  });

  it('rejects a replayed nonce, even with a valid signature', async () => {
    const test = await central({}, database);
    const headers = signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat);
    expect((await send(test, headers, heartbeat)).status).toBe(200);
    expect(await send(test, headers, heartbeat)).toEqual({ status: 401, code: 'signature-replayed-nonce' });
    expect(test.central.stats().signatureRejections).toEqual({ 'replayed-nonce': 1 });
  });

  it('rejects an unknown terminal and missing headers', async () => {
    const test = await central({}, database);
    expect(await send(test, signRequest({ ...test.key, keyId: 'TA-NOBODY' }, 'POST', CENTRAL_PATHS.heartbeat, heartbeat), heartbeat)).toEqual({ status: 401, code: 'signature-unknown-key' });
    const partial = signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat);
    delete partial[SIGNATURE_HEADERS.nonce];
    expect(await send(test, partial, heartbeat)).toEqual({ status: 401, code: 'signature-missing-headers' });
  });

  it('accepts HMAC-SM3 from a terminal registered for 国密', async () => {
    const test = await central({ algorithm: 'hmac-sm3' }, database);
    expect(await send(test, signRequest(test.key, 'POST', CENTRAL_PATHS.heartbeat, heartbeat), heartbeat)).toEqual({ status: 200, code: null });
    expect(await send(test, signRequest({ ...test.key, algorithm: 'hmac-sha256' }, 'POST', CENTRAL_PATHS.heartbeat, heartbeat), heartbeat)).toEqual({ status: 401, code: 'signature-bad-signature' });
  });
});

describe('Reference central: OpenAPI', () => {
  it('serves a document generated from the schemas, covering every path', async () => {
    const test = await central();
    const document = (await (await fetch(`${test.central.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
    };
    expect(document.openapi).toBe('3.1.0');
    const fixed = Object.values(CENTRAL_PATHS).flatMap((path) => (typeof path === 'string' ? [path] : []));
    for (const path of fixed) if (path !== CENTRAL_PATHS.casesByApplicant) expect(Object.keys(document.paths)).toContain(path);
    expect(document.paths['/v1/cases/{ref}']).toBeDefined();
    const body = document.components.schemas.SubmitApplicationBody;
    expect(body?.required).toEqual(expect.arrayContaining(Object.keys(SubmitApplicationBody.shape).filter((key) => !SubmitApplicationBody.shape[key as keyof typeof SubmitApplicationBody.shape].isOptional())));
  });
});

describe.each(databases)('Reference central on $name: staff sign-in', (database) => {
  it('signs staff in and locks the account after five wrong PINs', async () => {
    const test = await central({ extra: { staff: [{ staffNumber: 'A0012', name: '王芳', role: 'staff', pin: '482913' }] } }, database);
    const client = new CentralClient({ baseUrl: test.central.url, key: test.key, timeoutMs: 5_000 });
    const signIn = (pin: string) => client.call('POST', CENTRAL_PATHS.staffSignIn, StaffSignInResponse, { staffNumber: 'A0012', pin });
    expect(await signIn('482913')).toMatchObject({ kind: 'ok', value: { staffNumber: 'A0012', role: 'staff' } });
    for (let attempt = 0; attempt < 5; attempt++) expect(await signIn('000000')).toMatchObject({ reason: 'staff-credentials' });
    expect(await signIn('482913')).toMatchObject({ kind: 'permanent', status: 423, reason: 'staff-locked' });
  });
});

describe.each(databases)('Offline receipts, central on $name', (database) => {
  it('carry a local number that central maps to its case number once the network returns', async () => {
    const test = await central({}, database);
    const proxy = await startFaultProxy({ port: test.central.port }, { refuse: true });
    closers.push(() => proxy.close());
    const outbox = new Outbox({ file: join(directories.make(), 'outbox.sqlite'), key: randomBytes(32), terminalId: test.key.keyId });
    closers.push(() => outbox.close());
    const client = new CentralClient({ baseUrl: proxy.url, key: test.key, timeoutMs: 2_000 });
    const drainer = new Drainer({ outbox, client, log: createLogger({ dataDir: null, minLevel: 'error' }), policy: { baseMs: 50, capMs: 200 } });
    closers.push(() => drainer.stop());
    const item = outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber) });
    drainer.start();
    expect(await drainer.waitFor(item.localNumber, 300)).toMatchObject({ state: 'pending', caseNumber: null });
    expect(drainer.online).toBe(false);

    proxy.heal();
    const delivered = await drainer.waitFor(item.localNumber, 10_000);
    expect(delivered?.state).toBe('delivered');
    const byLocal = await client.call('GET', CENTRAL_PATHS.caseByRef(item.localNumber), CaseRecord);
    expect(byLocal).toMatchObject({ kind: 'ok', value: { localNumber: item.localNumber, caseNumber: delivered?.caseNumber } });
    expect(delivered?.caseNumber).toMatch(/^TA\d{14}$/);
  });
});
