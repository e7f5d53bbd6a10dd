import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { loadMigrations, pendingMigrations, type Migration } from './migrations.js';
import { sqlData, type SqlSession } from './sql-data.js';
import type { CentralData, CentralStore } from './store.js';

/**
 * Central's store on SQLite (better-sqlite3): one file per reference deployment, WAL, synchronous=FULL,
 * the migrations of central/migrations/ applied at open. `:memory:` works for benches.
 *
 * The statements are the shared ones (store/sql-data.ts). better-sqlite3 is synchronous and one
 * connection serves every request, so work is queued: a
 * transaction holds the connection until it commits, and every other call waits its turn, so nothing
 * of another request can slip into an open transaction while it awaits.
 */
export async function openSqliteStore(file: string, migrations: Migration[] = loadMigrations()): Promise<CentralStore> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);

  const direct = sqlData(sqliteSession(db));
  const insideTransaction = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    if (insideTransaction.getStore()) {
      return Promise.reject(new Error('central store: inside a transaction, use its tx, not the store (the store waits for the transaction)'));
    }
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
  const queued = Object.fromEntries(
    Object.entries(direct).map(([resource, methods]) => [
      resource,
      Object.fromEntries(
        Object.entries(methods as Record<string, (...args: unknown[]) => Promise<unknown>>).map(([name, method]) => [name, (...args: unknown[]) => exclusive(() => method(...args))]),
      ),
    ]),
  ) as unknown as CentralData;

  return {
    ...queued,
    transaction: (work) =>
      exclusive(() =>
        insideTransaction.run(true, async () => {
          db.exec('BEGIN IMMEDIATE');
          try {
            const result = await work(direct);
            db.exec('COMMIT');
            return result;
          } catch (error) {
            if (db.inTransaction) db.exec('ROLLBACK');
            throw error;
          }
        }),
      ),
    close: () =>
      exclusive(async () => {
        db.close();
      }),
  };
}

/** Applies the pending migrations in one IMMEDIATE transaction: a second process opening the file waits, then finds them applied. */
function migrate(db: Database.Database, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    const applied = db.prepare<[], number>('SELECT version FROM schema_migrations').pluck().all();
    for (const migration of pendingMigrations(migrations, applied)) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
  }).immediate();
}

/**
 * A session over better-sqlite3 for the shared statements (store/sql-data.ts): `$n` parameters become
 * SQLite's `?` in order of appearance, each statement prepared once.
 */
function sqliteSession(db: Database.Database): SqlSession {
  const prepared = new Map<string, { statement: Database.Statement; order: number[] }>();
  const statementFor = (sql: string) => {
    let entry = prepared.get(sql);
    if (!entry) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_, index: string) => {
        order.push(Number(index) - 1);
        return '?';
      });
      entry = { statement: db.prepare(text), order };
      prepared.set(sql, entry);
    }
    return entry;
  };
  const bind = (order: number[], params: readonly unknown[]) => order.map((index) => params[index] ?? null);
  return {
    run: async (sql, params = []) => {
      const { statement, order } = statementFor(sql);
      return statement.run(...bind(order, params)).changes;
    },
    get: async <Row>(sql: string, params: readonly unknown[] = []) => {
      const { statement, order } = statementFor(sql);
      return statement.get(...bind(order, params)) as Row | undefined;
    },
    all: async <Row>(sql: string, params: readonly unknown[] = []) => {
      const { statement, order } = statementFor(sql);
      return statement.all(...bind(order, params)) as Row[];
    },
  };
}
