import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, scrub } from '../../../host/services/log.js';
import { temporaryDirectories } from '../../support/central-fixture.js';

const directories = temporaryDirectories();
afterEach(() => directories.cleanup());

describe('scrub', () => {
  it('replaces ID numbers and mobile numbers wherever they stand', () => {
    expect(scrub('card 370902196803151236 read')).toBe('card [id] read');
    expect(scrub('x:37090219680315123X;')).toBe('x:[id];');
    expect(scrub('call 13853801000 now')).toBe('call [mobile] now');
  });

  it('leaves case numbers, local numbers and timestamps alone', () => {
    const text = 'TA20261128000001 TA-DEMO-0001-20261128-0001 1764300000000';
    expect(scrub(text)).toBe(text);
  });
});

describe('createLogger', () => {
  it('never writes an ID number or mobile number to the log file, even when a caller passes one', () => {
    const dataDir = directories.make('log-');
    const log = createLogger({ dataDir });
    log.log('info', 'test', { idNumber: '370902196803151236', nested: { phone: '13853801000' }, error: new Error('bad 370902196803151236') });
    const written = readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8');
    expect(written).toContain('"event":"test"');
    expect(written).not.toMatch(/370902196803151236|13853801000/);
  });

  it('gives the same pseudonym to the same person across restarts, and different ones to different people', () => {
    const dataDir = directories.make('log-');
    const first = createLogger({ dataDir }).pseudonym('370902196803151236');
    const again = createLogger({ dataDir }).pseudonym('370902196803151236');
    const other = createLogger({ dataDir }).pseudonym('370911199008224021');
    expect(first).toBe(again);
    expect(first).not.toBe(other);
    expect(first).not.toContain('3709');
  });
});
