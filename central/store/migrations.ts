import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One versioned schema change: `central/migrations/<version>_<name>.sql`, e.g. `0001_initial.sql`. */
export interface Migration {
  /** 1, 2, …: applied in this order, each once, recorded in `schema_migrations`. */
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Reads the migration files of `dir`, in version order. Throws when a name does not follow
 * `NNNN_name.sql` or the versions are not 1, 2, 3, … without gaps: a misnamed file would otherwise be
 * skipped silently, and a database would miss a change.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`central: migration file ${file} is not named NNNN_name.sql`);
      return { version: Number(match[1]), name: match[2] ?? '', sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`central: migration versions must run 1, 2, 3, … without gaps; found ${migration.version} at position ${index + 1}`);
  });
  return migrations;
}

/**
 * The versions to apply to a database that has `applied` recorded. Throws when the database carries a
 * version this code does not know: a newer central wrote it, and running older code on it could lose data.
 */
export function pendingMigrations(migrations: Migration[], applied: number[]): Migration[] {
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = applied.filter((version) => !known.has(version));
  if (unknown.length > 0) {
    throw new Error(`central: the database has schema version ${Math.max(...unknown)}, newer than this code knows (${migrations.length}); start the newer central instead`);
  }
  const done = new Set(applied);
  return migrations.filter((migration) => !done.has(migration.version));
}
