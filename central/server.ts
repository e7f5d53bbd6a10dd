import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../contract/catalog.js';
import type { SignatureAlgorithm } from '../contract/central/signing.js';
import type { CentralContext, CentralStats } from './context.js';
import { centralRequestListener, NO_FAULTS, type Faults, type RequestRecord } from './http/core.js';
import { routeTable } from './http/routes.js';
import { centralRoutes, type RouteOptions } from './routes/index.js';
import { fileURLToPath } from 'node:url';
import { HeartbeatBatcher } from './fleet/batcher.js';
import { SILENT_MESSAGE } from './fleet/heartbeat.js';
import { hashedAccount, type StaffAccount } from './routes/staff.js';
import { openPostgresStore } from './store/postgres.js';
import { openSqliteStore } from './store/sqlite.js';
import type { CentralStore } from './store/store.js';
import { stopHelpWaits } from './help/revision-wait.js';
import { chinaDate } from '../contract/china-time.js';
import { demoProofData, type DemoPerson } from './proofs/demo.js';
import { proofIssuer } from './proofs/issuer.js';
import { DEFAULT_SEAL_NAME, loadOrCreateSealKey, randomScalarHex, sealKeyFrom } from './proofs/seal.js';
import { VideoHub, type VideoHubOptions } from './video/hub.js';
import { iceServersFor, VideoConfig, type VideoConfigInput } from './video/ice-servers.js';
import { attachVideoSignalling } from './video/signalling-socket.js';
import { helpCallGate } from './video/help-call-gate.js';
import { purgeRecordings, recordingNoticeFor } from './video/recording.js';
import { CONSOLE_IDLE_MS } from './http/core.js';

export type { CentralStats } from './context.js';
export type { Faults, RequestRecord } from './http/core.js';
export type { StaffAccount } from './routes/staff.js';

/**
 * The reference central service: what the kiosk's client speaks to in demo mode and in tests.
 * Real HTTP, real SQLite or PostgreSQL, real signature checks, Idempotency-Key semantics of the IETF
 * draft, and fault switches that tests set per run. Its parts: the HTTP core every request passes
 * (http/core.ts), one router module per resource (routes/), the fleet's heartbeat handling (fleet/),
 * one store interface (store/store.ts) implemented on SQLite and on PostgreSQL with one set of
 * statements (store/sql-data.ts) and versioned migrations (migrations/), and the web consoles' app.
 */

export interface TerminalRegistration {
  id: string;
  secret: string;
  algorithm?: SignatureAlgorithm;
  hall?: string;
  /** GB/T 2260 district code; otherwise learned from the terminal's heartbeat. */
  district?: string;
}

export interface CentralOptions extends RouteOptions {
  /**
   * Central's database: a SQLite file (created and migrated at start), ':memory:', or a PostgreSQL URL
   * (`postgresql://…`; migrated at start under an advisory lock, shared by several central processes).
   */
  dbFile: string;
  /** Pooled PostgreSQL connections of this process (default 10). */
  dbPoolSize?: number;
  /** How long an Idempotency-Key claim is this process's before another may take it over (default 60 s). */
  idempotencyLeaseMs?: number;
  /** The built consoles (dist/consoles) served at /console/; default the repository's dist/consoles, null for none. */
  consoleDir?: string | null;
  /** How often silent terminals are looked for, ms (default 30 s); 0: only when `sweepSilent()` is called. */
  silentSweepMs?: number;
  catalog: Catalog;
  terminals: TerminalRegistration[];
  host?: string;
  port?: number;
  /** Demo population profiles for prefill (人口库). */
  profiles?: Array<{ idNumber: string; mobile?: string; address?: string }>;
  /** Staff accounts for sign-in on terminals (PINs are stored as scrypt hashes). */
  staff?: StaffAccount[];
  /** Called once per answered (or dropped) request. */
  observe?: (record: RequestRecord) => void;
  /** Request bodies all requests in flight may hold together, bytes (default 64 MiB; see http/core.ts). */
  maxConcurrentBodyBytes?: number;
  /** Time a request's body may take to arrive, ms (default 30 s). */
  bodyTimeoutMs?: number;
  now?: () => Date;
  random?: () => number;
  /**
   * Central's electronic seal (issue 15): the SM2 private key as 64 hex (`privateKey`), or a file holding it
   * (`privateKeyFile`, generated there with mode 0600 when absent). Neither: a key made for this run only
   * (tests), so documents sealed before a restart no longer verify.
   */
  seal?: { privateKey?: string; privateKeyFile?: string; sealName?: string };
  /**
   * Central's public address, where the QR on an e-licence PDF central issues as is leads (`<publicUrl>/verify/<code>`);
   * default the address it listens on.
   */
  publicUrl?: string;
  /** Demo population whose proof data (社保, 公积金, 不动产 …, enterprises they represent) central seeds at start. */
  proofPopulation?: DemoPerson[];
  /** 远程视频帮办: STUN and TURN (video/ice-servers.ts); default none (one LAN). */
  video?: VideoConfigInput;
  /** Whether staff may start video on a help call; default: the help-call queue's call is this terminal's and accepted (video/help-call-gate.ts). */
  mayStartVideo?: VideoHubOptions['mayStart'];
  /** Told of every video call that starts and ends (no personal data). */
  observeVideo?: VideoHubOptions['observe'];
}

export interface CentralServer {
  url: string;
  port: number;
  setFaults(faults: Partial<Faults>): void;
  stats(): CentralStats;
  /** Drops expired nonces, idempotency keys, console sign-ins and old heartbeat history now (also runs every minute). */
  runHousekeeping(): Promise<void>;
  /** Raises `silent` for terminals three heartbeats late at central's clock now (also runs every `silentSweepMs`). */
  sweepSilent(): Promise<number>;
  /** Kiosks connected to the video signalling socket now, and video calls running. */
  video(): { terminals: string[]; calls: number };
  close(): Promise<void>;
}

/** Idempotency keys are kept 48 h: the IETF draft asks for a published window, and kiosks retry for days offline. */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;
/** Nonces are kept longer than the signature window (±5 min) refuses a timestamp anyway. */
const NONCE_TTL_MS = 15 * 60_000;
/** A terminal's heartbeat history is kept a week (its alerts and commands stay). */
const HISTORY_TTL_MS = 7 * 24 * 3600_000;
/** dist/consoles beside this repository (npm run build:consoles). */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../dist/consoles', import.meta.url));

/** Opens the store `dbFile` names: PostgreSQL for a postgres URL, else SQLite. */
export function openCentralStore(dbFile: string, poolSize?: number): Promise<CentralStore> {
  return /^postgres(ql)?:\/\//.test(dbFile) ? openPostgresStore({ connectionString: dbFile, ...(poolSize ? { poolSize } : {}) }) : openSqliteStore(dbFile);
}

/** The seal key `CentralOptions.seal` names (see there). */
function openSealKey(seal: CentralOptions['seal']) {
  const sealName = seal?.sealName ?? DEFAULT_SEAL_NAME;
  if (seal?.privateKey) return sealKeyFrom(seal.privateKey, sealName);
  if (seal?.privateKeyFile) return loadOrCreateSealKey(seal.privateKeyFile, sealName);
  return sealKeyFrom(randomScalarHex(), sealName);
}

export async function startCentralServer(options: CentralOptions): Promise<CentralServer> {
  const store = await openCentralStore(options.dbFile, options.dbPoolSize);
  const now = options.now ?? (() => new Date());
  /** Set once the server listens: the default public address of the verification page. */
  let listeningUrl = '';
  const context: CentralContext = {
    store,
    catalog: options.catalog,
    now,
    stats: { requests: 0, casesCreated: 0, idempotentReplays: 0, localNumberReplays: 0, localNumberConflicts: 0, inFlightConflicts: 0, keyMismatches: 0, signatureRejections: {} },
    // A claim outlives its request only when the process died: after the lease another process takes it over.
    idempotencyLeaseMs: options.idempotencyLeaseMs ?? 60_000,
    heartbeats: new HeartbeatBatcher(store),
    proofs: proofIssuer(openSealKey(options.seal), now, { publicUrl: () => options.publicUrl ?? listeningUrl }),
  };
  for (const terminal of options.terminals) {
    await store.terminals.register({ id: terminal.id, secret: terminal.secret, algorithm: terminal.algorithm ?? 'hmac-sha256', hall: terminal.hall ?? '', district: terminal.district ?? '' });
  }
  for (const profile of options.profiles ?? []) await store.profiles.put({ idNumber: profile.idNumber, mobile: profile.mobile ?? null, address: profile.address ?? null });
  for (const account of options.staff ?? []) await store.staff.put(await hashedAccount(account));
  if (options.proofPopulation) {
    const seed = demoProofData(options.proofPopulation, chinaDate(now()));
    for (const source of seed.sources) await store.proofs.putSource(source.idNumber, source.kind, JSON.stringify(source.content));
    for (const enterprise of seed.enterprises) await store.proofs.putEnterprise(enterprise);
  }

  const videoConfig = VideoConfig.parse(options.video ?? {});
  const videoHub = new VideoHub({
    iceServers: () => iceServersFor(videoConfig, now().getTime(), 'taian'),
    mayStart: options.mayStartVideo ?? helpCallGate(store),
    ...(options.observeVideo ? { observe: options.observeVideo } : {}),
    // Recording (issue 12): only where the hall's configuration turns it on; opened at the citizen's consent.
    recordingFor: (terminalId) => recordingNoticeFor(store, terminalId),
    onRecordedConsent: async ({ recordingId, callId, terminalId, staffNumber, recording }) => {
      const at = now().getTime();
      const hall = (await store.terminals.hall(terminalId)) ?? '';
      await store.videoRecordings.open({ id: recordingId, helpCallId: callId, terminalId, hall, staffNumber, purpose: recording.purpose, consentedAtMs: at, deleteAfterMs: at + recording.retentionDays * 86_400_000 });
      await store.videoRecordings.audit({ atMs: at, actor: `staff:${staffNumber}`, event: 'video.recording-consented', recordingId, outcome: `keep ${recording.retentionDays} days` });
    },
  });
  const faults: Faults = { ...NO_FAULTS };
  const server = createServer(
    centralRequestListener({
      context,
      match: routeTable(centralRoutes(context, options)),
      faults,
      random: options.random ?? Math.random,
      consoleDir: options.consoleDir === undefined ? DEFAULT_CONSOLE_DIR : options.consoleDir,
      ...(options.consoleIdleMs ? { consoleIdleMs: options.consoleIdleMs } : {}),
      ...(options.observe ? { observe: options.observe } : {}),
      ...(options.maxConcurrentBodyBytes ? { maxConcurrentBodyBytes: options.maxConcurrentBodyBytes } : {}),
      ...(options.bodyTimeoutMs ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
    }),
  );
  const closeVideo = attachVideoSignalling(server, { context, hub: videoHub, consoleIdleMs: options.consoleIdleMs ?? CONSOLE_IDLE_MS });
  // Headers must be complete within 10 s and a whole request within 60 s (Node's defaults are 60 s and
  // 5 min): a connection trickling its request line does not hold a socket for minutes.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  const runHousekeeping = async () => {
    await store.nonces.purgeBefore(now().getTime() - NONCE_TTL_MS);
    await store.idempotency.purgeBefore(now().getTime() - IDEMPOTENCY_TTL_MS);
    await store.sessions.purgeEnded(now().getTime());
    await store.fleet.purgeHistory(now().getTime() - HISTORY_TTL_MS);
    await purgeRecordings(store, now().getTime());
  };
  const housekeeping = setInterval(() => {
    runHousekeeping().catch((error: unknown) => console.error('central: housekeeping failed', error));
  }, 60_000);
  housekeeping.unref();
  // Several processes may sweep at once: the open-alert unique index keeps one alert per terminal.
  const sweepSilent = () => store.fleet.sweepSilent(now().getTime(), SILENT_MESSAGE);
  const silentSweepMs = options.silentSweepMs ?? 30_000;
  const sweeper =
    silentSweepMs > 0
      ? setInterval(() => {
          sweepSilent().catch((error: unknown) => console.error('central: silent sweep failed', error));
        }, silentSweepMs)
      : null;
  sweeper?.unref();

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  listeningUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: listeningUrl,
    port,
    setFaults: (next) => Object.assign(faults, next),
    stats: () => structuredClone(context.stats),
    runHousekeeping,
    sweepSilent,
    video: () => ({ terminals: videoHub.connectedTerminals(), calls: videoHub.callCount }),
    close: async () => {
      closeVideo();
      clearInterval(housekeeping);
      if (sweeper) clearInterval(sweeper);
      stopHelpWaits(store);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
