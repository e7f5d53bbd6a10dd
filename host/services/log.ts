import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './state-file.js';

/**
 * Structured logging that cannot leak identities: callers pass pseudonyms, and as a second line of
 * defence every string is scrubbed of anything shaped like an ID number, credit code or mobile number
 * before it is written (GB/T 35273; DOMAIN.md §7).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
/**
 * Images and other binary as text (a face frame, a photographed material): base64 runs of 200 characters
 * or more, with or without a data-URL prefix. Hashes and signatures (64–128 hex) are far shorter.
 */
const BASE64_RUN = /(?:data:[\w/+.-]+;base64,)?[A-Za-z0-9+/]{200,}={0,2}/g;

export function scrub(text: string): string {
  return text.replace(BASE64_RUN, '[binary]').replace(ID_NUMBER, '[id]').replace(MOBILE, '[mobile]');
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  // Raw bytes (a Buffer would otherwise be written as its numbers): their size only.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (value instanceof Error) return { name: value.name, message: scrub(value.message), stack: value.stack ? scrub(value.stack) : undefined };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth + 1)]));
}

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  /** Stable pseudonym of a personal identifier for correlating log lines (HMAC with a per-kiosk salt). */
  pseudonym(identifier: string): string;
}

export function createLogger(options: { dataDir: string | null; echo?: boolean; minLevel?: LogLevel }): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const minIndex = order.indexOf(options.minLevel ?? 'info');
  let file: string | null = null;
  let salt = randomBytes(32);
  if (options.dataDir) {
    const dir = join(options.dataDir, 'logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = join(dir, 'host.log');
    const saltFile = join(options.dataDir, 'pseudonym.salt');
    const saved = existsSync(saltFile) ? readFileSync(saltFile) : null;
    if (saved && saved.length === salt.length) salt = saved;
    else {
      // Missing, or damaged (a torn write): a new salt, with a warning, rather than no start. Pseudonyms made
      // before no longer match: earlier log lines, and 读卡查询 of applications queued before (staff still list them).
      writeFileAtomic(saltFile, salt);
      if (saved) process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'warn', event: 'log.salt-replaced', reason: `${saved.length} bytes` })}\n`);
    }
  }
  return {
    log(level, event, fields = {}) {
      if (order.indexOf(level) < minIndex) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...(scrubValue(fields) as object) });
      let written = false;
      try {
        if (file) appendFileSync(file, `${line}\n`);
        written = true;
      } catch {
        // A full disk must not turn every log call into a crash: the outbox reports the storage fault
        // (out of service) and the line still reaches stderr below.
      }
      if (options.echo || level === 'error' || !written) process.stderr.write(`${line}\n`);
    },
    pseudonym(identifier) {
      return `p-${createHmac('sha256', salt).update(identifier).digest('hex').slice(0, 12)}`;
    },
  };
}
