/**
 * Outbox figures (issue 5):
 * - outbox.enqueue.ratio_to_bare_insert: median of a durable enqueue (sealed payload, the day's next
 *   number and the row in one IMMEDIATE transaction) divided by the median of a bare better-sqlite3
 *   INSERT of the same plaintext size, both opened with the outbox's pragmas (openOutboxDatabase: WAL,
 *   synchronous=FULL, busy timeout, secure_delete), measured interleaved in the
 *   same run on the same file system (os.tmpdir(); ext4 here, so every commit pays a real fsync).
 *   Also with the 国密 cipher (SM4-CBC + HMAC-SM3, pure JS).
 * - outbox.enqueue.p99_ms.
 * - outbox.drain.per_s: one drainer against the local reference central over HTTP.
 * - outbox.offline.requests_per_min: requests one kiosk makes while central is unreachable, averaged over
 *   a virtual hour with the production backoff policy (measured, not computed: the real drainer runs
 *   under a virtual clock).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CentralClient } from '../../host/services/central-client.js';
import { Drainer } from '../../host/services/drainer.js';
import { createLogger } from '../../host/services/log.js';
import { openOutboxDatabase, Outbox } from '../../host/services/outbox.js';
import { startTestCentral, submissionBody, temporaryDirectories } from '../support/central-fixture.js';
import { VirtualClock } from '../support/virtual-clock.js';
import { median, percentile, round, type Figures } from './figures.js';

const ROUNDS = 1_500;
const BLOCK = 10;
const WARM_UP = 300;

function bareInserter(file: string) {
  // "The same pragmas": the outbox's own opener (WAL, synchronous=FULL, busy timeout, secure_delete).
  const db = openOutboxDatabase(file);
  db.exec('CREATE TABLE bare (id INTEGER PRIMARY KEY AUTOINCREMENT, local_number TEXT NOT NULL UNIQUE, payload BLOB)');
  const insert = db.prepare('INSERT INTO bare (local_number, payload) VALUES (?, ?)');
  let sequence = 0;
  return { insert: (payload: Buffer) => insert.run(`bare-${++sequence}`, payload), close: () => db.close() };
}

async function enqueueRatio(cipher: 'aes-256-gcm' | 'sm4-cbc-hmac-sm3', dir: string) {
  const outbox = new Outbox({ file: join(dir, `outbox-${cipher}.sqlite`), key: randomBytes(32), terminalId: 'TA-BENCH-0001', cipher });
  const bare = bareInserter(join(dir, `bare-${cipher}.sqlite`));
  // The bare row carries a blob the size of a sealed payload, so both write the same bytes of data.
  const plaintext = Buffer.from(JSON.stringify(submissionBody('TA-BENCH-0001-20260302-0001')));
  const enqueueMs: number[] = [];
  const bareMs: number[] = [];
  const enqueue = () => outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-0', payload: (localNumber) => submissionBody(localNumber) });
  // Warm both files past the WAL's first growth, then alternate blocks so disk drift hits both alike.
  for (let round = 0; round < WARM_UP; round++) {
    bare.insert(plaintext);
    enqueue();
  }
  for (let block = 0; block < ROUNDS / BLOCK; block++) {
    for (let round = 0; round < BLOCK; round++) {
      const started = performance.now();
      bare.insert(plaintext);
      bareMs.push(performance.now() - started);
    }
    for (let round = 0; round < BLOCK; round++) {
      const started = performance.now();
      enqueue();
      enqueueMs.push(performance.now() - started);
    }
  }
  outbox.close();
  bare.close();
  return { ratio: median(enqueueMs) / median(bareMs), p99: percentile(enqueueMs, 99), median: median(enqueueMs), bare: median(bareMs) };
}

async function drainRate(dir: string): Promise<number> {
  const test = await startTestCentral(dir, { terminalId: 'TA-BENCH-0001' });
  const outbox = new Outbox({ file: join(dir, 'drain.sqlite'), key: randomBytes(32), terminalId: 'TA-BENCH-0001' });
  const items = 1_000;
  for (let index = 0; index < items; index++) outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-0', payload: (localNumber) => submissionBody(localNumber) });
  const drainer = new Drainer({ outbox, client: new CentralClient({ baseUrl: test.central.url, key: test.key, timeoutMs: 10_000 }), log: createLogger({ dataDir: null, minLevel: 'error' }) });
  const started = performance.now();
  drainer.start();
  while (outbox.depth().pending > 0 && performance.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  await drainer.stop();
  const left = outbox.depth().pending;
  outbox.close();
  await test.central.close();
  if (left !== 0) throw new Error(`${left} items not drained`);
  return items / seconds;
}

async function offlineRequestsPerMinute(dir: string): Promise<number> {
  const clock = new VirtualClock();
  const outbox = new Outbox({ file: join(dir, 'offline.sqlite'), key: randomBytes(32), terminalId: 'TA-BENCH-0001', now: () => clock.now });
  for (let index = 0; index < 20; index++) outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-0', payload: (localNumber) => submissionBody(localNumber) });
  let requests = 0;
  const client = new CentralClient({
    baseUrl: 'http://127.0.0.1:9',
    key: { keyId: 'TA-BENCH-0001', secret: 'x'.repeat(32) },
    timeoutMs: 1_000,
    fetch: (() => {
      requests++;
      return Promise.reject(new TypeError('fetch failed'));
    }) as typeof fetch,
  });
  const drainer = new Drainer({ outbox, client, log: createLogger({ dataDir: null, minLevel: 'error' }), now: () => clock.now, timers: clock.timers });
  drainer.start(5_000);
  await clock.advance(3600_000);
  await drainer.stop();
  outbox.close();
  return requests / 60;
}

export default async function (): Promise<Figures> {
  const directories = temporaryDirectories();
  try {
    const aes = await enqueueRatio('aes-256-gcm', directories.make('taian-bench-outbox-'));
    const sm4 = await enqueueRatio('sm4-cbc-hmac-sm3', directories.make('taian-bench-outbox-'));
    const perSecond = await drainRate(directories.make('taian-bench-drain-'));
    const offline = await offlineRequestsPerMinute(directories.make('taian-bench-offline-'));
    return {
      'outbox.enqueue.ratio_to_bare_insert': { value: round(aes.ratio, 3), unit: 'ratio' },
      'outbox.enqueue.p99_ms': { value: round(aes.p99, 3), unit: 'ms' },
      'outbox.enqueue.median_ms': { value: round(aes.median, 3), unit: 'ms' },
      'outbox.bare_insert.median_ms': { value: round(aes.bare, 3), unit: 'ms' },
      'outbox.enqueue.sm4.ratio_to_bare_insert': { value: round(sm4.ratio, 3), unit: 'ratio' },
      'outbox.enqueue.sm4.p99_ms': { value: round(sm4.p99, 3), unit: 'ms' },
      'outbox.drain.per_s': { value: round(perSecond, 1), unit: 'items/s' },
      'outbox.offline.requests_per_min': { value: round(offline, 2), unit: 'requests/min' },
    };
  } finally {
    directories.cleanup();
  }
}
