import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../../central/store/migrations.js';
import { openPostgresStore } from '../../../central/store/postgres.js';
import { describeCentralStore } from '../../support/central-store-contract.js';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster.js';

/**
 * Central's PostgreSQL store against a real server (a throw-away cluster of Debian's postgresql 15):
 * the shared store suite that SQLite runs too, each test on a database of its own, then what only the
 * PostgreSQL store has (migrations under an advisory lock when several processes start at once).
 */
let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

let url = '';
describeCentralStore('PostgreSQL', {
  open: async () => {
    url = await cluster.createDatabase('store');
    return openPostgresStore({ connectionString: url });
  },
  openSecond: () => openPostgresStore({ connectionString: url }),
});

describe('PostgreSQL central store', () => {
  const migrationsOf = async (connectionString: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    } finally {
      await client.end();
    }
  };

  it('applies every migration once when several processes open a new database at the same moment', async () => {
    const database = await cluster.createDatabase('migrate');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ connectionString: database })));
    await Promise.all(stores.map((store) => store.close()));
    expect(await migrationsOf(database)).toEqual(loadMigrations().map(({ version, name }) => ({ version, name })));
  });

  it('refuses a database that a newer central migrated further than this code knows', async () => {
    const database = await cluster.createDatabase('newer');
    await (await openPostgresStore({ connectionString: database })).close();
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')");
    await client.end();
    await expect(openPostgresStore({ connectionString: database })).rejects.toThrow(/schema version 99, newer than this code knows/);
  });
});
