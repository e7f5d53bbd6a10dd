import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * A throw-away PostgreSQL cluster for tests and benches: Debian's postgresql 15 (`.ci/run` installs it),
 * initdb'd into a fresh temp directory, started with pg_ctl on a free port with its socket in that
 * directory and no TCP listener, and removed by `stop()`. initdb and the server refuse to run as root,
 * so under root both run as the `postgres` user (runuser), which owns the directory.
 *
 * `createDatabase()` gives every test a database of its own in the same cluster (cheap: a copy of
 * template1), so tests stay independent without paying an initdb each.
 */
export interface PostgresCluster {
  /** Directory of the server's Unix socket; pass as `host` (libpq and node-postgres both take a directory). */
  socketDir: string;
  port: number;
  /** Connection URL of a database of this cluster (`postgres` by default). */
  url(database?: string): string;
  /** Creates a fresh, empty database and answers its URL. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

const BIN_DIR = '/usr/lib/postgresql/15/bin';

/** Whether this machine can start a cluster (the Debian package is installed). */
export function postgresAvailable(): boolean {
  return existsSync(join(BIN_DIR, 'initdb')) && existsSync(join(BIN_DIR, 'pg_ctl'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs a PostgreSQL binary as the postgres user when we are root (it refuses root), else as ourselves. */
function asPostgres(binary: string, args: string[]): string[] {
  const asRoot = process.getuid?.() === 0;
  return asRoot ? ['runuser', '-u', 'postgres', '--', join(BIN_DIR, binary), ...args] : [join(BIN_DIR, binary), ...args];
}

function run(command: string[]): void {
  const [file, ...args] = command;
  const result = spawnSync(file ?? '', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/**
 * Server options that make a throw-away cluster as durable as a hall's server (every commit flushed to
 * disk), for benches whose figures must compare with SQLite at synchronous=FULL; tests leave them off.
 */
export const DURABLE_POSTGRES = { fsync: 'on', full_page_writes: 'on', synchronous_commit: 'on' } as const;

/**
 * Starts a fresh cluster. `settings` are passed as server options (`-c name=value`, later ones win), e.g. a
 * larger max_connections or DURABLE_POSTGRES for a bench.
 */
export async function startPostgresCluster(settings: Record<string, string | number> = {}): Promise<PostgresCluster> {
  if (!postgresAvailable()) throw new Error(`PostgreSQL 15 is not installed (${BIN_DIR}); apt-get install postgresql`);
  const root = mkdtempSync(join(tmpdir(), 'taian-pg-'));
  // The postgres user must reach its data and socket directories through this one, and through every
  // directory above it: a test run's own temp directory (mkdtemp, 0700) gets search permission for
  // others (o+x, not listing), so a cluster inside it is reachable and still removed with the run.
  chmodSync(root, 0o755);
  for (let dir = dirname(root); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode, uid } = statSync(dir);
    // Only directories of ours; anything else unreachable is left for initdb to name.
    if ((mode & 0o001) === 0 && uid === process.getuid?.()) chmodSync(dir, (mode & 0o7777) | 0o001);
  }
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const dataDir = join(root, 'data');
  const port = await freePort();
  run(asPostgres('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']));
  const options = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses=''",
    // A throw-away cluster: durability is the disk's business in production, not in a test of ours.
    '-c fsync=off',
    '-c full_page_writes=off',
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  run(asPostgres('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']));

  const url = (database = 'postgres') => `postgresql://postgres@/${database}?host=${encodeURIComponent(root)}&port=${port}`;
  let created = 0;
  return {
    socketDir: root,
    port,
    url,
    async createDatabase(prefix = 'test') {
      const name = `${prefix}_${process.pid}_${++created}`;
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      try {
        run(asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
