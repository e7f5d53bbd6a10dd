import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A private cupsd (own config, spool and socket under a temp folder, so a system CUPS, running or not, is
 * left alone) with one cups-pdf queue whose PPD says the device makes no copies, so CUPS's pdftopdf lays
 * every copy out as pages and copies can be counted in the file cups-pdf writes.
 */
export interface PrivateCups {
  socket: string;
  queue: string;
  /** Environment for lp/lpstat/cupsenable against this cupsd. */
  env: NodeJS.ProcessEnv;
  /** Waits for the cups-pdf file of a spooler job (`<queue>-<n>` → `…job_<n>.pdf`) and returns its path. */
  outputOf(spoolerJobId: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Where cups-pdf writes for the submitting user: the `Out` line of /etc/cups/cups-pdf.conf. */
function cupsPdfOutputDirectory(): string {
  const conf = existsSync('/etc/cups/cups-pdf.conf') ? readFileSync('/etc/cups/cups-pdf.conf', 'utf8') : '';
  const out = /^Out\s+(.+)$/m.exec(conf)?.[1]?.trim() ?? '/var/spool/cups-pdf/${USER}';
  return out.replace('${HOME}', userInfo().homedir).replace('${USER}', userInfo().username);
}

export async function startPrivateCups(queue: string): Promise<PrivateCups> {
  for (const binary of ['/usr/sbin/cupsd', '/usr/lib/cups/backend/cups-pdf', '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd']) {
    if (!existsSync(binary)) throw new Error(`${binary} missing: install cups and printer-driver-cups-pdf (.ci/run does)`);
  }
  const root = mkdtempSync(join(tmpdir(), 'kiosk-private-cups-'));
  chmodSync(root, 0o755);
  for (const folder of ['etc/ppd', 'spool/tmp', 'cache', 'state', 'log']) mkdirSync(join(root, folder), { recursive: true });
  const socket = join(root, 'cups.sock');
  writeFileSync(join(root, 'etc/cupsd.conf'), [`Listen ${socket}`, 'LogLevel info', 'WebInterface No', 'Browsing No', '<Location />', '  Order allow,deny', '  Allow all', '</Location>', ''].join('\n'));
  writeFileSync(
    join(root, 'etc/cups-files.conf'),
    [`ServerRoot ${root}/etc`, `RequestRoot ${root}/spool`, `TempDir ${root}/spool/tmp`, `CacheDir ${root}/cache`, `StateDir ${root}/state`, `ErrorLog ${root}/log/error_log`, `AccessLog ${root}/log/access_log`, `PageLog ${root}/log/page_log`, 'ServerBin /usr/lib/cups', 'DataDir /usr/share/cups', 'SystemGroup root', ''].join('\n'),
  );
  writeFileSync(join(root, 'queue.ppd'), `${readFileSync('/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd', 'utf8')}\n*cupsManualCopies: True\n`);
  const cupsd: ChildProcess = spawn('/usr/sbin/cupsd', ['-f', '-c', join(root, 'etc/cupsd.conf'), '-s', join(root, 'etc/cups-files.conf')], { stdio: 'ignore' });
  const env = { ...process.env, CUPS_SERVER: socket };
  const deadline = Date.now() + 15_000;
  // Ready means the queue could be made (lpstat -r can answer before lpadmin's own connection works).
  for (;;) {
    try {
      execFileSync('lpstat', ['-r'], { env, stdio: 'pipe' });
      execFileSync('lpadmin', ['-p', queue, '-E', '-v', 'cups-pdf:/', '-P', join(root, 'queue.ppd')], { env, stdio: 'pipe' });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`cupsd did not take the queue; see ${root}/log/error_log`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    socket,
    queue,
    env,
    async outputOf(spoolerJobId, timeoutMs = 30_000) {
      const number = spoolerJobId.split('-').at(-1);
      const directory = cupsPdfOutputDirectory();
      const until = Date.now() + timeoutMs;
      for (;;) {
        const name = existsSync(directory) ? readdirSync(directory).find((file) => file.endsWith(`job_${number}.pdf`)) : undefined;
        if (name) return join(directory, name);
        if (Date.now() > until) throw new Error(`no cups-pdf output for job ${number} in ${directory}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      if (cupsd.pid && cupsd.exitCode === null) {
        const exited = new Promise((resolve) => cupsd.once('exit', resolve));
        process.kill(cupsd.pid);
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
