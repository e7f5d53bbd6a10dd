import { createHash } from 'node:crypto';
import pg from 'pg';
import { loadMigrations, pendingMigrations, type Migration } from './migrations.js';
import { sqlData, type SqlSession } from './sql-data.js';
import type { CentralStore } from './store.js';

/**
 * Central's store on PostgreSQL (node-postgres, `pg`): for real halls and for several central processes
 * on one database. The statements are the shared ones (store/sql-data.ts), run as named prepared
 * statements (each connection parses a statement once). Calls outside a transaction take any pooled
 * connection; a transaction holds one connection from BEGIN to COMMIT. Everything that must hold across
 * processes rests on unique constraints and row locks, as on SQLite.
 *
 * Migrations run at open under a session advisory lock, so when several processes start together one
 * applies them and the others wait and then find them applied.
 */
export interface PostgresStoreOptions {
  /** `postgresql://user@host/db` (a Unix socket: `?host=/run/postgresql`). */
  connectionString: string;
  /** Pooled connections of this process (default 10). */
  poolSize?: number;
  migrations?: Migration[];
}

/** Any constant works, as long as every central uses the same: pg_advisory_lock takes a bigint. */
const MIGRATION_LOCK = 0x7461_6961_6e01n;

/** BIGINT (int8, OID 20) as a JS number: every BIGINT of ours is a millisecond time, counter or version, far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `c${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function session(queryable: pg.Pool | pg.PoolClient): SqlSession {
  const query = async <Row>(sql: string, params: readonly unknown[]) =>
    queryable.query<Row & pg.QueryResultRow>({ name: statementName(sql), text: sql, values: params.map((value) => value ?? null) });
  return {
    run: async (sql, params = []) => (await query(sql, params)).rowCount ?? 0,
    get: async <Row>(sql: string, params: readonly unknown[] = []) => (await query<Row>(sql, params)).rows[0] as Row | undefined,
    all: async <Row>(sql: string, params: readonly unknown[] = []) => (await query<Row>(sql, params)).rows as Row[],
  };
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<CentralStore> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, types });
  // An idle connection the server dropped (restart, network) must not take the process down.
  pool.on('error', (error) => console.error('central: PostgreSQL connection lost', error.message));
  try {
    await migrate(pool, options.migrations ?? loadMigrations());
  } catch (error) {
    await pool.end();
    throw error;
  }
  const direct = sqlData(session(pool));
  return {
    ...direct,
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown = undefined;
      try {
        await client.query('BEGIN');
        const result = await work(sqlData(session(client)));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}

async function migrate(pool: pg.Pool, migrations: Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query('BEGIN');
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version);
      for (const migration of pendingMigrations(migrations, applied)) {
        // The simple query protocol (no parameters) runs a file's several statements in one call.
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, new Date().toISOString()]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
