import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { temporaryDirectories } from './central-fixture.js';

/**
 * The databases central runs on, for suites that must pass on both (issue 13: "the same central test
 * suite runs against SQLite and against PostgreSQL"): `describe.each(centralDatabases())`. Each gives a
 * fresh database per call of `create()`: a SQLite file in a temp directory, or a new database in one
 * throw-away PostgreSQL cluster per suite. PostgreSQL is required (CI installs it); without it the suite fails
 * at `before()` with the package to install, rather than passing on SQLite alone.
 */
export interface CentralDatabase {
  name: 'SQLite' | 'PostgreSQL';
  before(): Promise<void>;
  after(): Promise<void>;
  /** A fresh database: its `dbFile` for startCentralServer. */
  create(): Promise<string>;
}

export function centralDatabases(): CentralDatabase[] {
  const directories = temporaryDirectories();
  let cluster: PostgresCluster | null = null;
  return [
    {
      name: 'SQLite',
      before: async () => undefined,
      after: async () => directories.cleanup(),
      create: async () => join(directories.make('central-db-'), 'central.sqlite'),
    },
    {
      name: 'PostgreSQL',
      before: async () => {
        if (!postgresAvailable()) throw new Error('PostgreSQL 15 is not installed: apt-get install postgresql (.ci/run installs it)');
        cluster = await startPostgresCluster();
      },
      after: async () => {
        await cluster?.stop();
        cluster = null;
      },
      create: async () => {
        if (!cluster) throw new Error('cluster not started');
        return cluster.createDatabase('central');
      },
    },
  ];
}

/**
 * Central's own rows, read by SQL with `?` placeholders from the database central was given: a SQLite file
 * (opened read-only) or a `postgresql://` URL (placeholders become $1, $2 …). A witness beside central's
 * own store code, for what a test asserts was written.
 */
export async function queryCentralDatabase<T>(target: string, sql: string, ...params: unknown[]): Promise<T[]> {
  if (!/^postgres(ql)?:\/\//.test(target)) {
    const db = new Database(target, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    let index = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++index}`), params)).rows as T[];
  } finally {
    await client.end();
  }
}
