import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../catalog/load.js';
import { loadOrCreateKeyFile } from '../../../host/services/outbox-crypto.js';
import { Outbox } from '../../../host/services/outbox.js';
import { databaseFiles } from '../../../host/services/durable-database.js';
import { submissionBody, temporaryDirectories, testIdNumber } from '../../support/central-fixture.js';
import { simpleDraft, startBridgedDemo, startCitizenSession } from '../../support/bridge-client.js';
import { eventually } from '../../support/eventually.js';
import { filesUnder } from '../../support/personal-data-scan.js';
import { scanForSealed, type SealedPayload } from '../../support/sealed-scan.js';

/**
 * Issue 10, kind 7 (剩余信息保护): after the purge, the three purged payloads were still in
 * outbox.sqlite-wal (and in the main file until a checkpoint) and decrypted with the key beside them,
 * while running and after a SIGKILL. A byte scan of main file, WAL and SHM now finds no window the key opens.
 */
const directories = temporaryDirectories();
const open: Outbox[] = [];
afterEach(() => {
  for (const outbox of open.splice(0)) outbox.close();
  directories.cleanup();
});

function sealedPayloads(file: string, localNumbers: readonly string[]): SealedPayload[] {
  const db = new Database(file, { readonly: true });
  try {
    return localNumbers.map((localNumber) => {
      const row = db.prepare<[string], { payload: Buffer; kind: string }>('SELECT payload, kind FROM outbox WHERE local_number = ?').get(localNumber);
      if (!row) throw new Error(`no row ${localNumber}`);
      return { sealed: row.payload, associatedData: `${localNumber}|${row.kind}` };
    });
  } finally {
    db.close();
  }
}

/** The files as they are on disk now: what a SIGKILL leaves (SQLite buffers nothing between commits). */
const filesOnDisk = (file: string) => databaseFiles(file).filter(existsSync).map((name) => ({ name, bytes: readFileSync(name) }));

describe('Outbox purge', () => {
  it.each(['aes-256-gcm', 'sm4-cbc-hmac-sm3'] as const)('leaves no purged payload the key can open in the main file, WAL or SHM (%s)', (cipher) => {
    const dir = directories.make('taian-purge-');
    const file = join(dir, 'outbox.sqlite');
    const key = randomBytes(32);
    const outbox = new Outbox({ file, key, terminalId: 'TA-TEST-0001', cipher });
    open.push(outbox);
    const items = [0, 1, 2].map((index) =>
      outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-1', payload: (localNumber) => submissionBody(localNumber, testIdNumber(300 + index)) }),
    );
    const kept = outbox.enqueue({ kind: 'application', serviceId: 'svc', applicantPseudonym: 'p-2', payload: (localNumber) => submissionBody(localNumber) });
    for (const item of items) outbox.markDelivered(item, `CASE-${item.localNumber}`, {});
    const purged = sealedPayloads(file, items.map((item) => item.localNumber));
    const witness = sealedPayloads(file, [kept.localNumber]);
    // The scan finds what is there: before the purge every payload opens somewhere on disk (often in
    // several places: each commit writes its pages to the WAL again).
    for (const payload of [...purged, ...witness]) expect(scanForSealed(filesOnDisk(file), key, [payload]).some((hit) => hit.what === 'decrypts')).toBe(true);

    expect(outbox.purgeDelivered(0).map((item) => item.localNumber)).toEqual(items.map((item) => item.localNumber));
    expect(scanForSealed(filesOnDisk(file), key, purged)).toEqual([]);
    expect(statSync(`${file}-wal`).size).toBe(0);
    // The undelivered application is untouched and still opens.
    expect(scanForSealed(filesOnDisk(file), key, witness).some((hit) => hit.what === 'decrypts')).toBe(true);
    expect(outbox.payload(kept)).toMatchObject({ localNumber: kept.localNumber });
  });
});

describe('Host purge', () => {
  it('scrubs what its scheduled purge removed from every file in the data directory', async () => {
    const demo = await startBridgedDemo({ submitWaitMs: 5_000, config: { outbox: { purgeAfterHours: 0.001 } }, hostTimings: { purgeCheckMs: 300 } });
    try {
      const draft = simpleDraft(loadCatalog().services);
      await startCitizenSession(demo.bridge, draft.serviceId);
      const outcome = await demo.bridge.call('application:submit', draft);
      const localNumber = (outcome.value as { localNumber: string; caseNumber: string | null }).localNumber;
      expect((outcome.value as { caseNumber: string | null }).caseNumber).not.toBeNull();
      const dataDir = demo.stack.config.dataDir;
      const file = join(dataDir, 'outbox.sqlite');
      const purged = sealedPayloads(file, [localNumber]);
      await eventually(() => demo.stack.host.outbox.get(localNumber)?.purgedAt, 15_000, 'the scheduled purge');
      const key = loadOrCreateKeyFile(join(dataDir, 'outbox.key')).key;
      const everything = filesUnder(dataDir).map((name) => ({ name, bytes: readFileSync(name) }));
      expect(everything.some((entry) => entry.name.endsWith('outbox.sqlite'))).toBe(true);
      expect(scanForSealed(everything, key, purged)).toEqual([]);
    } finally {
      await demo.close();
    }
  });
});
