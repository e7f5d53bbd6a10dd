/**
 * Runs the reference central as a service: `CENTRAL_CONFIG=/etc/taian/central.json npx tsx central/main.ts`
 * (README "Running central"). The file names the database (a SQLite file, or a PostgreSQL URL for a city
 * or for several processes), the address, how many processes serve it, the terminals with their key files
 * and the console accounts. With `workers` > 1 the processes share one port (node:cluster) and one
 * PostgreSQL: idempotency keys, case numbers, nonces, lockouts and alerts rest on the database's unique
 * constraints and transactions, so any process may answer any request. A process that dies is started
 * again after a second; SIGTERM or SIGINT closes every process cleanly.
 *
 * Central speaks plain HTTP: a hall puts TLS in front of it (nginx, or the city's gateway).
 */
import cluster, { type Worker } from 'node:cluster';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { StaffNumber, StaffPin } from '../contract/staff.js';
import { loadCatalog } from '../catalog/load.js';
import { startCentralServer, type CentralOptions, type CentralServer } from './server.js';

const isPostgres = (database: string) => /^postgres(ql)?:\/\//.test(database);

/** The file central/main.ts reads; every problem is reported with its key. */
export const CentralConfigFile = z
  .object({
    /** A SQLite file (relative to the configuration file) or `postgresql://user@host/db`. */
    database: z.string().min(1),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8080),
    /** Central processes on the one port; more than one needs PostgreSQL. */
    workers: z.number().int().min(1).max(64).default(1),
    /** Pooled PostgreSQL connections per process. */
    poolSize: z.number().int().min(1).max(200).default(10),
    /** The built consoles served at /console/ (default the repository's dist/consoles; null: no console). */
    consoleDir: z.string().min(1).nullable().optional(),
    terminals: z
      .array(
        z
          .object({
            id: z.string().regex(/^[0-9A-Za-z-]{3,40}$/),
            /** A file holding the terminal's shared secret (the kiosk's `central.secretFile`), mode 0600. */
            secretFile: z.string().min(1),
            algorithm: z.enum(['hmac-sha256', 'hmac-sm3']).default('hmac-sha256'),
            hall: z.string().min(1).max(60),
            /** GB/T 2260 district code, e.g. 370902 泰山区. */
            district: z.string().regex(/^\d{6}$/),
          })
          .strict(),
      )
      .default([]),
    /** Console and terminal staff accounts; the PIN is read from a file (mode 0600) and stored only as an scrypt hash. */
    staff: z
      .array(z.object({ staffNumber: StaffNumber, name: z.string().min(1).max(20), role: z.enum(['staff', 'technician', 'manager']), pinFile: z.string().min(1) }).strict())
      .default([]),
    /**
     * Central's electronic seal (issue 15): a file holding the SM2 private key (64 hex, mode 0600), generated there
     * when absent (default `seal-private-key` beside this file), so documents stay verifiable across restarts.
     */
    seal: z
      .object({ privateKeyFile: z.string().min(1), sealName: z.string().min(2).max(40).optional() })
      .strict()
      .default({ privateKeyFile: 'seal-private-key' }),
    /**
     * 远程视频帮办: STUN URLs and a coturn relay whose shared secret (`static-auth-secret`) is read from a
     * file; absent: browsers connect directly on the hall's LAN (video/ice-servers.ts).
     */
    video: z
      .object({
        stun: z.array(z.string()).default([]),
        turn: z.object({ urls: z.array(z.string()).min(1), sharedSecretFile: z.string().min(1), ttlSeconds: z.number().int().optional() }).strict().nullable().default(null),
      })
      .strict()
      .optional(),
    /**
     * 远程视频帮办 recordings (issue 12): a file holding the AES-256-GCM key (64 hex, mode 0600) recordings are
     * sealed under. Absent: a key for this run only (a restart can no longer open earlier recordings).
     * Whether a hall records at all is its remote configuration's `videoRecording` (default off).
     */
    videoRecordingKeyFile: z.string().min(1).optional(),
    /** Central's public address (`https://…`): where the QR on an e-licence PDF central issues as is leads; default the address it listens on. */
    publicUrl: z.url().optional(),
  })
  .strict()
  .refine((config) => config.workers === 1 || isPostgres(config.database), { message: 'several workers need PostgreSQL: a SQLite file has one writer', path: ['workers'] });
export type CentralConfigFile = z.infer<typeof CentralConfigFile>;

/**
 * Reads and checks the configuration file and the secret and PIN files it names (paths relative to it).
 * Throws an Error naming the key (`terminals.0.secretFile: …`) on any problem.
 */
export function loadCentralConfig(file: string): { config: CentralConfigFile; options: Omit<CentralOptions, 'catalog'> } {
  const base = dirname(resolve(file));
  const at = (path: string) => resolve(base, path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = CentralConfigFile.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('\n'));
  const config = parsed.data;
  const secretOf = (path: string, key: string, valid: (text: string) => boolean, what: string) => {
    let text: string;
    try {
      text = readFileSync(at(path), 'utf8').trim();
    } catch (error) {
      throw new Error(`${key}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'} ${at(path)}`, { cause: error });
    }
    if (!valid(text)) throw new Error(`${key}: ${at(path)} does not hold ${what}`);
    return text;
  };
  return {
    config,
    options: {
      dbFile: isPostgres(config.database) ? config.database : at(config.database),
      dbPoolSize: config.poolSize,
      host: config.host,
      port: config.port,
      ...(config.consoleDir === undefined ? {} : { consoleDir: config.consoleDir === null ? null : at(config.consoleDir) }),
      terminals: config.terminals.map((terminal, index) => ({
        id: terminal.id,
        secret: secretOf(terminal.secretFile, `terminals.${index}.secretFile`, (text) => /^\S{32,}$/.test(text), 'a secret of at least 32 characters'),
        algorithm: terminal.algorithm,
        hall: terminal.hall,
        district: terminal.district,
      })),
      seal: { privateKeyFile: at(config.seal.privateKeyFile), ...(config.seal.sealName ? { sealName: config.seal.sealName } : {}) },
      ...(config.video
        ? {
            video: {
              stun: config.video.stun,
              turn: config.video.turn
                ? {
                    urls: config.video.turn.urls,
                    sharedSecret: secretOf(config.video.turn.sharedSecretFile, 'video.turn.sharedSecretFile', (text) => /^\S{16,256}$/.test(text), 'a shared secret of 16 to 256 characters'),
                    ...(config.video.turn.ttlSeconds ? { ttlSeconds: config.video.turn.ttlSeconds } : {}),
                  }
                : null,
            },
          }
        : {}),
      ...(config.videoRecordingKeyFile
        ? { videoRecordingKey: secretOf(config.videoRecordingKeyFile, 'videoRecordingKeyFile', (text) => /^[0-9a-fA-F]{64}$/.test(text), '64 hex characters') }
        : {}),
      staff: config.staff.map((account, index) => ({
        staffNumber: account.staffNumber,
        name: account.name,
        role: account.role,
        pin: secretOf(account.pinFile, `staff.${index}.pinFile`, (text) => StaffPin.safeParse(text).success, 'a PIN of 4 to 12 digits'),
      })),
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    },
  };
}

async function serve(file: string): Promise<CentralServer> {
  const { options } = loadCentralConfig(file);
  return startCentralServer({ ...options, catalog: loadCatalog() });
}

async function primary(file: string): Promise<void> {
  const { config } = loadCentralConfig(file);
  const store = isPostgres(config.database) ? 'PostgreSQL' : 'SQLite';
  const workers = new Set<Worker>();
  let stopping = false;
  const fork = () =>
    new Promise<string>((resolveUrl, reject) => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.once('message', (message: { type?: string; url?: string }) => {
        if (message.type === 'ready' && message.url) resolveUrl(message.url);
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        reject(new Error(`central worker exited (${signal ?? code}) before it was ready`));
        if (!stopping) {
          console.error(`central: a worker stopped (${signal ?? code}); starting another in 1 s`);
          setTimeout(
            () =>
              void fork().then(
                () => process.stdout.write('central: the new process serves\n'),
                (error: unknown) => console.error('central:', (error as Error).message),
              ),
            1_000,
          ).unref();
        }
      });
    });
  // One after another: the first applies the migrations and registers the terminals; the rest find them done.
  let url = '';
  try {
    for (let index = 0; index < config.workers; index++) url = await fork();
  } catch (error) {
    stopping = true;
    for (const worker of workers) worker.kill('SIGTERM');
    throw error;
  }
  process.stdout.write(`central: listening on ${url} (${config.workers} ${config.workers === 1 ? 'process' : 'processes'}, ${store})\n`);
  const stop = () => {
    stopping = true;
    for (const worker of workers) worker.send({ type: 'close' });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function worker(file: string): Promise<void> {
  // Listening before the start: a close asked while this process still starts is honoured once it has.
  let central: CentralServer | null = null;
  let closing = false;
  const close = () => void central?.close().then(() => process.exit(0));
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'close') return;
    closing = true;
    close();
  });
  // A worker's own SIGINT (Ctrl-C reaches the whole group): the primary asks it to close.
  process.on('SIGINT', () => undefined);
  central = await serve(file);
  if (closing) return close();
  process.send?.({ type: 'ready', url: central.url });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const file = process.env.CENTRAL_CONFIG;
  if (!file) {
    console.error('central: set CENTRAL_CONFIG to the configuration file (README "Running central")');
    process.exit(2);
  }
  (cluster.isPrimary ? primary(file) : worker(file)).catch((error: unknown) => {
    console.error(`central: ${(error as Error).message}`);
    process.exit(1);
  });
}
