import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CupsDocumentPrinter } from '../../../drivers/devices/document-printer.js';
import { renderCertificatePdf } from '../../../print-templates/certificate.js';
import { decodeGrayPng, downsample, inkMismatch, rasterise } from '../../unit/print/gray-image.js';
import { sampleCertificate } from '../../unit/print/sample-data.js';

/**
 * A real spooler: a private cupsd (own config, spool and socket under a temp folder, so a system CUPS,
 * running or not, is left alone) with a cups-pdf queue. The certificate goes through `lp`, CUPS's
 * filters (pdftopdf, pdftops) and cups-pdf (Ghostscript), and the PDF that comes out is checked.
 *
 * The PostScript round trip drops the font's Unicode map, so pdftotext cannot read the Chinese back;
 * the output is checked by page size and by rasterising it against the reviewed certificate reference.
 */
const fixtures = fileURLToPath(new URL('../../fixtures/print/', import.meta.url));
const queue = 'KioskCertificates';
let root: string;
let cupsd: ChildProcess;
let socket: string;

/** Where cups-pdf writes for the submitting user: the `Out` line of /etc/cups/cups-pdf.conf. */
function cupsPdfOutputDirectory(): string {
  const conf = existsSync('/etc/cups/cups-pdf.conf') ? readFileSync('/etc/cups/cups-pdf.conf', 'utf8') : '';
  const out = /^Out\s+(.+)$/m.exec(conf)?.[1]?.trim() ?? '/var/spool/cups-pdf/${USER}';
  return out.replace('${HOME}', userInfo().homedir).replace('${USER}', userInfo().username);
}

beforeAll(async () => {
  for (const binary of ['/usr/sbin/cupsd', '/usr/lib/cups/backend/cups-pdf', '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd']) {
    if (!existsSync(binary)) throw new Error(`${binary} missing: install cups and printer-driver-cups-pdf (.ci/run does)`);
  }
  root = mkdtempSync(join(tmpdir(), 'kiosk-cups-'));
  chmodSync(root, 0o755);
  for (const folder of ['etc/ppd', 'spool/tmp', 'cache', 'state', 'log']) mkdirSync(join(root, folder), { recursive: true });
  socket = join(root, 'cups.sock');
  writeFileSync(
    join(root, 'etc/cupsd.conf'),
    [`Listen ${socket}`, 'LogLevel info', 'WebInterface No', 'Browsing No', '<Location />', '  Order allow,deny', '  Allow all', '</Location>', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'etc/cups-files.conf'),
    [
      `ServerRoot ${root}/etc`,
      `RequestRoot ${root}/spool`,
      `TempDir ${root}/spool/tmp`,
      `CacheDir ${root}/cache`,
      `StateDir ${root}/state`,
      `ErrorLog ${root}/log/error_log`,
      `AccessLog ${root}/log/access_log`,
      `PageLog ${root}/log/page_log`,
      'ServerBin /usr/lib/cups',
      'DataDir /usr/share/cups',
      'SystemGroup root',
      '',
    ].join('\n'),
  );
  cupsd = spawn('/usr/sbin/cupsd', ['-f', '-c', join(root, 'etc/cupsd.conf'), '-s', join(root, 'etc/cups-files.conf')], { stdio: 'ignore' });
  const env = { ...process.env, CUPS_SERVER: socket };
  const deadline = Date.now() + 15_000;
  // Ready means the queue could be made: on a busy machine `lpstat -r` answered while lpadmin's own
  // connection still failed ("Unable to connect to server: Bad file descriptor"). Making a queue twice is harmless.
  for (;;) {
    try {
      execFileSync('lpstat', ['-r'], { env, stdio: 'pipe' });
      execFileSync('lpadmin', ['-p', queue, '-E', '-v', 'cups-pdf:/', '-P', '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd'], { env, stdio: 'pipe' });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`cupsd did not take the queue; see ${root}/log/error_log`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});

afterAll(async () => {
  if (cupsd?.pid && cupsd.exitCode === null) {
    const exited = new Promise((resolve) => cupsd.once('exit', resolve));
    process.kill(cupsd.pid);
    await exited;
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('CupsDocumentPrinter through a real CUPS with cups-pdf', () => {
  it('reports a missing queue as no device', async () => {
    const printer = new CupsDocumentPrinter({ id: 'a4', queue: 'NoSuchQueue', cupsServer: socket });
    expect(await printer.checkReady()).toMatchObject({ ready: false, reason: 'no-device', status: { detail: 'queue-not-found' } });
  });

  it('refuses to submit to a disabled queue', async () => {
    const env = { ...process.env, CUPS_SERVER: socket };
    execFileSync('cupsdisable', [queue], { env });
    try {
      const printer = new CupsDocumentPrinter({ id: 'a4', queue, cupsServer: socket });
      expect(await printer.print(Buffer.from('%PDF-1.4'), 'job-x', 'x')).toMatchObject({ outcome: 'not-ready', reason: 'offline' });
    } finally {
      execFileSync('cupsenable', [queue], { env });
    }
  });

  it('prints a certificate with lp, follows the job to completion, and the PDF that comes out is the certificate', async () => {
    const printer = new CupsDocumentPrinter({ id: 'a4', queue, cupsServer: socket });
    expect(await printer.checkReady()).toMatchObject({ ready: true, status: { state: 'online', port: `cups:${queue}` } });
    const pdf = await renderCertificatePdf(sampleCertificate);
    const result = await printer.print(pdf, 'job-cert-1', 'certificate');
    expect(result).toMatchObject({ outcome: 'submitted', jobId: 'job-cert-1' });
    if (result.outcome !== 'submitted') return;
    expect(result.spoolerJobId).toMatch(new RegExp(`^${queue}-\\d+$`));
    expect(await printer.waitForJob(result.spoolerJobId, 30_000)).toBe('completed');

    const number = result.spoolerJobId.split('-').at(-1);
    const directory = cupsPdfOutputDirectory();
    const deadline = Date.now() + 15_000;
    let output: string | undefined;
    while (!output && Date.now() < deadline) {
      output = existsSync(directory) ? readdirSync(directory).find((name) => name.endsWith(`job_${number}.pdf`)) : undefined;
      if (!output) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output, `no cups-pdf output for job ${number} in ${directory}`).toBeDefined();
    const file = join(directory, output ?? '');
    try {
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Pages:\s+1/);
      expect(info).toMatch(/Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)/);
      // Ghostscript re-renders glyph edges and may shift the page by a fraction of a point: compare 4 × 4
      // pixel blocks, counting only blocks with ink. Another A4 document must still differ clearly.
      const printed = downsample(rasterise(readFileSync(file)).image, 4);
      const reference = (name: string) => downsample(decodeGrayPng(readFileSync(`${fixtures}${name}.png`)), 4);
      const mismatch = { certificate: inkMismatch(printed, reference('certificate')), otherDocument: inkMismatch(printed, reference('acceptance-notice')) };
      expect(mismatch.certificate, JSON.stringify(mismatch)).toBeLessThanOrEqual(0.05);
      expect(mismatch.otherDocument, JSON.stringify(mismatch)).toBeGreaterThan(0.25);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
