import { join } from 'node:path';
import { temporaryDirectories } from '../support/central-fixture.js';
import { DURABLE_POSTGRES, startPostgresCluster } from '../support/postgres-cluster.js';

/** Fresh databases of both kinds central runs on, for one bench. */
export interface BenchDatabases {
  /** A new database (its URL) in a throw-away PostgreSQL cluster that is as durable as a hall's (fsync on). */
  postgres(name: string): Promise<string>;
  /** A new SQLite file (central runs it at synchronous=FULL). */
  sqlite(name: string): string;
}

/** Runs `work` with a durable throw-away PostgreSQL (60 connections) and temp SQLite files, all removed after. */
export async function withBenchDatabases<T>(work: (databases: BenchDatabases) => Promise<T>): Promise<T> {
  const directories = temporaryDirectories();
  const cluster = await startPostgresCluster({ max_connections: 60, ...DURABLE_POSTGRES });
  try {
    return await work({ postgres: (name) => cluster.createDatabase(name), sqlite: (name) => join(directories.make(`taian-bench-${name}-`), 'central.sqlite') });
  } finally {
    await cluster.stop();
    directories.cleanup();
  }
}
