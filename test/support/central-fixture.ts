import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../contract/catalog.js';
import { loadCatalog } from '../../catalog/load.js';
import type { SubmitApplicationBody } from '../../contract/central/api.js';
import { startCentralServer, type CentralOptions, type CentralServer } from '../../central/server.js';
import type { SignatureAlgorithm, SigningKey } from '../../contract/central/signing.js';
import { gb11643CheckChar } from '../../contract/validators/gb11643.js';

/** Fresh temp directories, removed by `cleanup()`: every test gets its own databases. */
export function temporaryDirectories() {
  const made: string[] = [];
  return {
    make(prefix = 'taian-outbox-'): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup(): void {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let catalogCache: Catalog | null = null;
export function testCatalog(): Catalog {
  catalogCache ??= loadCatalog();
  return catalogCache;
}

/** A valid resident ID number (GB 11643 check character) that tests look for in files afterwards. */
export function testIdNumber(sequence = 137): string {
  const first17 = `370902198803${String(sequence % 100).padStart(2, '0')}${String(100 + (sequence % 900)).slice(-3)}`;
  return first17 + gb11643CheckChar(first17);
}

export interface TestCentral {
  central: CentralServer;
  key: SigningKey;
  dbFile: string;
  catalog: Catalog;
}

/** The real reference central on a fresh SQLite file in `dir` (or on `dbFile`, e.g. a PostgreSQL URL), with one registered terminal. */
export async function startTestCentral(
  dir: string,
  options: { terminalId?: string; algorithm?: SignatureAlgorithm; dbFile?: string; extra?: Partial<CentralOptions> } = {},
): Promise<TestCentral> {
  const terminalId = options.terminalId ?? 'TA-TEST-0001';
  const secret = randomBytes(32).toString('hex');
  const algorithm = options.algorithm ?? 'hmac-sha256';
  const dbFile = options.dbFile ?? join(dir, 'central.sqlite');
  const catalog = testCatalog();
  const central = await startCentralServer({
    dbFile,
    catalog,
    terminals: [{ id: terminalId, secret, algorithm, hall: '泰安市政务服务中心（测试）' }],
    ...options.extra,
  });
  return { central, key: { keyId: terminalId, secret, algorithm }, dbFile, catalog };
}

/** A submission body central accepts (schema-valid, known service); the draft itself is minimal. */
export function submissionBody(localNumber: string, idNumber = testIdNumber(), serviceId = testCatalog().services[0]?.id ?? ''): SubmitApplicationBody {
  return {
    localNumber,
    serviceId,
    draft: { serviceId, answers: {}, form: { mobile: '13805381234' }, materials: {} },
    applicant: { cardType: 'resident', idNumber, name: '测试申请人', sex: 'female', birthDate: '1988-03-01', validTo: null, expired: false },
    identitySource: 'id-card',
    submittedAt: '2026-01-05T09:30:00.000Z',
  };
}
