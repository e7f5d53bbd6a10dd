import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDocumentPrinter } from '../../../host/services/file-document-printer.js';

describe('FileDocumentPrinter', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'file-printer-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('writes each job to <directory>/<jobId>.pdf and reports it completed', async () => {
    const printer = new FileDocumentPrinter({ id: 'document-printer', directory: join(directory, 'printed') });
    await printer.start();
    expect(printer.status()).toMatchObject({ kind: 'document-printer', state: 'online', simulated: true });
    const result = await printer.print(Buffer.from('%PDF-1.7 test'), 'job-1', '证明');
    expect(result).toEqual({ outcome: 'submitted', jobId: 'job-1', spoolerJobId: 'job-1' });
    expect(readFileSync(join(directory, 'printed', 'job-1.pdf'), 'utf8')).toBe('%PDF-1.7 test');
    expect(await printer.jobState('job-1')).toBe('completed');
    expect(await printer.jobState('job-2')).toBe('unknown');
  });

  it('refuses a job id that could leave the folder', async () => {
    const printer = new FileDocumentPrinter({ id: 'document-printer', directory });
    expect(() => printer.fileOf('../outside')).toThrow('invalid job id');
  });

  it('is offline, with the citizen message, when the folder cannot be made', async () => {
    // A folder under a plain file fails for every user, root included.
    const blocker = join(directory, 'not-a-folder');
    writeFileSync(blocker, '');
    const printer = new FileDocumentPrinter({ id: 'document-printer', directory: join(blocker, 'printed') });
    const statuses: string[] = [];
    printer.on('status', (status) => statuses.push(status.state));
    const result = await printer.print(Buffer.from('x'), 'job-1', '证明');
    expect(result).toMatchObject({ outcome: 'not-ready', reason: 'offline' });
    expect(result.outcome === 'not-ready' && result.message).toContain('打印机');
    expect(statuses).toEqual(['offline']);
  });
});
