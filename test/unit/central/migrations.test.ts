import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, pendingMigrations } from '../../../central/store/migrations.js';
import { temporaryDirectories } from '../../support/central-fixture.js';

/** Versioned migration files: read in order, each name checked, so no file is skipped or run out of turn. */
const directories = temporaryDirectories();
afterEach(() => directories.cleanup());

function folder(files: Record<string, string>): string {
  const dir = directories.make('central-migrations-');
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('loadMigrations', () => {
  it('reads NNNN_name.sql files in version order, ignoring other files', () => {
    const dir = folder({ '0002_fleet.sql': 'CREATE TABLE b (x TEXT);', '0001_initial.sql': 'CREATE TABLE a (x TEXT);', 'README.md': 'notes' });
    expect(loadMigrations(dir)).toEqual([
      { version: 1, name: 'initial', sql: 'CREATE TABLE a (x TEXT);' },
      { version: 2, name: 'fleet', sql: 'CREATE TABLE b (x TEXT);' },
    ]);
  });

  it('refuses a misnamed file instead of skipping it', () => {
    expect(() => loadMigrations(folder({ '0001_initial.sql': '', '2_fleet.sql': '' }))).toThrow(/2_fleet.sql is not named NNNN_name.sql/);
  });

  it('refuses a gap in the versions', () => {
    expect(() => loadMigrations(folder({ '0001_initial.sql': '', '0003_help_calls.sql': '' }))).toThrow(/without gaps; found 3 at position 2/);
  });

  it("finds the project's own migrations, starting with the initial schema", () => {
    const [first] = loadMigrations();
    expect(first).toMatchObject({ version: 1, name: 'initial' });
    expect(first?.sql).toContain('CREATE TABLE IF NOT EXISTS cases');
  });
});

describe('pendingMigrations', () => {
  const migrations = [
    { version: 1, name: 'initial', sql: '' },
    { version: 2, name: 'fleet', sql: '' },
  ];

  it('lists the versions the database has not recorded', () => {
    expect(pendingMigrations(migrations, []).map((migration) => migration.version)).toEqual([1, 2]);
    expect(pendingMigrations(migrations, [1]).map((migration) => migration.version)).toEqual([2]);
    expect(pendingMigrations(migrations, [1, 2])).toEqual([]);
  });

  it('refuses a database with a version this code does not know', () => {
    expect(() => pendingMigrations(migrations, [1, 2, 3])).toThrow(/schema version 3, newer than this code knows \(2\)/);
  });
});
