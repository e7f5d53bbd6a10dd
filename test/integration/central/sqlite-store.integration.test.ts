import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../../central/store/migrations.js';
import { openSqliteStore } from '../../../central/store/sqlite.js';
import { temporaryDirectories } from '../../support/central-fixture.js';
import { describeCentralStore } from '../../support/central-store-contract.js';

/** Central's SQLite store on real files: the shared store suite, then what only SQLite has (migrations on a file, the connection queue). */
const directories = temporaryDirectories();
afterEach(() => directories.cleanup());

let file = '';
describeCentralStore('SQLite', {
  open: async () => {
    file = join(directories.make('central-store-'), 'central.sqlite');
    return openSqliteStore(file);
  },
  openSecond: () => openSqliteStore(file),
});

const migrationsOf = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  } finally {
    db.close();
  }
};

describe('SQLite central store', () => {
  it('applies every migration to a new file once, and records each in schema_migrations', async () => {
    const path = join(directories.make('central-store-'), 'central.sqlite');
    await (await openSqliteStore(path)).close();
    await (await openSqliteStore(path)).close();
    expect(migrationsOf(path)).toEqual(loadMigrations().map(({ version, name }) => ({ version, name })));
    expect(migrationsOf(path)[0]).toEqual({ version: 1, name: 'initial' });
  });

  it('adopts a database made before migrations were versioned, with its data', async () => {
    const path = join(directories.make('central-store-'), 'central.sqlite');
    // The schema as that code made it: migration 1's tables, no schema_migrations.
    const raw = new Database(path);
    raw.exec(loadMigrations()[0]?.sql ?? '');
    raw.prepare("INSERT INTO terminals (id, secret, algorithm, hall) VALUES ('TA-1', 's1', 'hmac-sha256', '泰山区')").run();
    raw.close();
    const adopted = await openSqliteStore(path);
    expect(await adopted.terminals.credentials('TA-1')).toEqual({ secret: 's1', algorithm: 'hmac-sha256' });
    await adopted.close();
    expect(migrationsOf(path)[0]).toEqual({ version: 1, name: 'initial' });
  });

  it('refuses a database that a newer central migrated further than this code knows', async () => {
    const path = join(directories.make('central-store-'), 'central.sqlite');
    await (await openSqliteStore(path)).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)').run('fleet', new Date().toISOString());
    raw.close();
    await expect(openSqliteStore(path)).rejects.toThrow(/schema version 99, newer than this code knows/);
  });

  it('refuses a call to the store from inside its own transaction instead of waiting for ever', async () => {
    const store = await openSqliteStore(join(directories.make('central-store-'), 'central.sqlite'));
    try {
      await expect(store.transaction(() => store.counters.next('case-x'))).rejects.toThrow(/inside a transaction, use its tx/);
      expect(await store.counters.next('case-x')).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('reads the e-licences a holder has of one type', async () => {
    const path = join(directories.make('central-store-'), 'central.sqlite');
    const store = await openSqliteStore(path);
    try {
      const raw = new Database(path);
      raw
        .prepare('INSERT INTO licences (licence_id, holder_id, licence_type, title, issuer, issued_on) VALUES (?, ?, ?, ?, ?, ?)')
        .run('EL-1', '370902198803011237', 'marriage-certificate', '结婚证', '泰安市泰山区民政局', '2015-05-20');
      raw.close();
      expect(await store.licences.find('370902198803011237', 'marriage-certificate')).toEqual([
        { licenceId: 'EL-1', licenceType: 'marriage-certificate', title: '结婚证', issuer: '泰安市泰山区民政局', issuedOn: '2015-05-20' },
      ]);
      expect(await store.licences.find('370902198803011237', 'business-licence')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
