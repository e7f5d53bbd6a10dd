import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

/**
 * The kiosk's small state files (catalog cache, device overrides, local-number reservations, the
 * storage-fault record, the pseudonym salt, the outbox key file) are written so that a power cut leaves
 * the old file or the new one, never a torn or empty one, and are read so that a damaged one is treated
 * as missing, with a warning, instead of stopping the host (issue 10, kind 2: a 0-byte
 * catalog-cache.json made the host exit 1 at every start, forever under Electron's restart).
 *
 * Write: a temporary file beside the target, fsync, rename over the target, fsync of the directory (the
 * rename is an entry in the directory, which is only durable once the directory is; rename(2), fsync(2)).
 * Written here rather than with npm's write-file-atomic, which syncs the file but not the directory.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(temporary, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(dirname(file));
}

/** fsync of a directory, so renames and creations in it survive a power cut. Not possible on Windows (ignored). */
export function syncDirectory(directory: string): void {
  let descriptor: number;
  try {
    descriptor = openSync(directory, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(descriptor);
  } catch {
    // EINVAL/EPERM where directories cannot be synced (Windows, some network file systems).
  } finally {
    closeSync(descriptor);
  }
}

export type StateRead<T> = { value: T; problem: null } | { value: null; problem: 'missing' | 'empty' | 'unreadable' | 'not-json' | 'invalid' };

/**
 * Reads a JSON state file against its schema. Every failure is a value, never a throw: `missing` (no file),
 * `empty` (0 bytes: a write cut before its data reached the disk), `unreadable` (I/O error), `not-json`,
 * `invalid` (JSON, but not what the schema says).
 */
export function readJsonState<Schema extends z.ZodType>(file: string, schema: Schema): StateRead<z.output<Schema>> {
  if (!existsSync(file)) return { value: null, problem: 'missing' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { value: null, problem: 'unreadable' };
  }
  if (text.trim() === '') return { value: null, problem: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { value: null, problem: 'not-json' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data, problem: null } : { value: null, problem: 'invalid' };
}

/**
 * Moves a damaged file aside (`<name>.damaged-<time>`) so a fresh one can take its place while the old
 * bytes stay for a technician; returns the new path, or null when there was nothing to move.
 */
export function setAside(file: string, now = Date.now()): string | null {
  if (!existsSync(file)) return null;
  const aside = `${file}.damaged-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  syncDirectory(dirname(file));
  return aside;
}
