import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../contract/catalog.js';
import type { ChannelDefinition } from '../contract/define.js';
import type { DeviceStatus } from '../contract/domain.js';
import { SPEECH_WAV_MAX_BYTES } from '../contract/speech.js';
import type { Handlers } from '../contract/derive.js';
import { createDispatcher, type CallContext } from '../contract/derive.js';
import type { EventName, EventPayload } from '../contract/events.js';
import { loadCatalog } from '../catalog/load.js';
import { CENTRAL_PATHS } from '../contract/central/api.js';
import { z } from 'zod';
import { attachParentPort, parentPort } from './bridge/parent-port.js';
import { startBridgeServer, type BridgeServer } from './bridge/ws-server.js';
import { centralSecret, loadConfigFile, type KioskConfig } from './config.js';
import { createHandlers } from './handlers.js';
import { createImeHandlers } from './ime-handlers.js';
import { createStaffHandlers } from './staff-handlers.js';
import { createTechnicianHandlers } from './technician-handlers.js';
import { CatalogService } from './services/catalog.js';
import { CentralClient } from './services/central-client.js';
import { staffAccounts } from './services/demo-staff.js';
import { createDevices } from './services/device-factory.js';
import { DeviceOverridesFile, withReaderOverride } from './services/device-overrides.js';
import type { DeviceSet } from './services/devices.js';
import { Drainer } from './services/drainer.js';
import { HandwritingService } from './services/ime/handwriting-service.js';
import { PinyinService } from './services/ime/pinyin-service.js';
import { createLogger, type Logger } from './services/log.js';
import { receiveOutboxKey, resolveOutboxKey, type OutboxKeyMessage } from './services/outbox-key.js';
import { Outbox } from './services/outbox.js';
import { SqlitePrintJournalStore } from './services/print-journal-store.js';
import { PrintingService } from './services/printing.js';
import { caseRefFromScan, progressUrl } from './services/progress-code.js';
import { SessionService } from './services/session.js';
import { EspeakEngine } from './services/speech/espeak-engine.js';
import { NoSpeechEngine } from './services/speech/speech-engine.js';
import { SpeechService } from './services/speech/speech-service.js';
import { StaffAlerts, printPendingMessage } from './services/staff-alerts.js';
import { StaffAuth } from './services/staff-auth.js';
import { SqliteLockoutStore } from './services/staff-lockout-store.js';
import { CardCapture, TechnicianService } from './services/technician.js';

/**
 * Composition root of the kiosk host: builds every service from the configuration, wires device
 * events into the session and the UI, and opens the bridge (WebSocket for the browser shell, or the
 * parent port under Electron). Nothing else constructs services.
 */
export interface HostOptions {
  config: KioskConfig;
  /** Built renderer for the browser shell; null when no UI is served. */
  rendererDir: string | null;
  bridge: 'websocket' | 'parent-port' | 'none';
  /** Tests inject devices; otherwise they come from the configuration. */
  devices?: DeviceSet;
  catalogSnapshot?: () => Catalog;
  version?: string;
  /** How long a submission waits for central before an offline receipt is printed. */
  submitWaitMs?: number;
  log?: Logger;
  /** The outbox key main unwrapped from the OS keyring (Electron); null or absent: the 0600 key file. */
  outboxKey?: OutboxKeyMessage | null;
}

export interface Host {
  bridge: BridgeServer | null;
  dispatch: ReturnType<typeof createDispatcher>;
  /** What the bridge passes with each call: the audiences open now (staff/technician after sign-in). */
  context: () => CallContext;
  outbox: Outbox;
  devices: DeviceSet;
  printing: PrintingService;
  log: Logger;
  emit<Name extends EventName>(event: Name, payload: EventPayload<Name>): void;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 60_000;
const PURGE_CHECK_MS = 15 * 60_000;

export async function startHost(options: HostOptions): Promise<Host> {
  const { config } = options;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const log = options.log ?? createLogger({ dataDir: config.dataDir });
  const version = options.version ?? '0.1.0';
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const emit = <Name extends EventName>(event: Name, payload: EventPayload<Name>) => {
    for (const listener of listeners) listener(event, payload);
  };

  const client = new CentralClient({
    baseUrl: config.central.url,
    key: { keyId: config.central.keyId, secret: centralSecret(config), algorithm: config.central.algorithm },
    timeoutMs: config.central.timeoutMs,
  });
  const catalog = new CatalogService({ dataDir: config.dataDir, log, client, ...(options.catalogSnapshot ? { snapshot: options.catalogSnapshot } : {}) });
  const keySource = resolveOutboxKey(config.dataDir, options.outboxKey ?? null);
  const outbox = new Outbox({ file: join(config.dataDir, 'outbox.sqlite'), key: keySource.key, terminalId: config.terminal.id, cipher: config.outbox.cipher });
  const alerts = new StaffAlerts({ emit: (alert) => emit('staff:alert', alert) });
  // A storage fault means "已提交" could no longer be kept: stop taking submissions (暂停服务) at once.
  let storageFault: string | null = null;
  const markOutOfService = (error: unknown) => {
    log.log('error', 'storage.failure', { error });
    if (storageFault) return;
    storageFault = '本机存储空间不足或出现故障，暂停服务。请到人工窗口办理，工作人员正在处理。';
    emit('kiosk:out-of-service', { message: storageFault });
  };
  const drainer = new Drainer({
    outbox,
    client,
    log,
    onChange: ({ online }) => emit('outbox:depth-changed', { ...outbox.depth(), online }),
    onStorageFailure: markOutOfService,
    onNeedsStaff: (item, reason) => {
      log.log('error', 'staff.alert', { localNumber: item.localNumber, reason });
      alerts.raise('outbox-needs-staff', `申请 ${item.localNumber} 无法自动提交，需要工作人员处理`, item.localNumber);
    },
  });
  // A technician's port and printer choices outlive restarts (technician mode, device:configure).
  const overrides = new DeviceOverridesFile(config.dataDir);
  const saved = overrides.load();
  if (saved.problem) log.log('warn', 'device-overrides.ignored', { reason: saved.problem });
  const devices = options.devices ?? (await createDevices(withReaderOverride(config, saved.overrides.idCardReader), log));
  const journalStore = new SqlitePrintJournalStore(join(config.dataDir, 'print-journal.sqlite'));
  const printing = new PrintingService({
    dataDir: config.dataDir,
    receiptPrinter: devices.receiptPrinter,
    documentPrinter: devices.documentPrinter,
    log,
    journalStore,
    assignment: saved.overrides.printers ?? null,
    onNotPrinted: (entry, reason) => alerts.raise('print-pending', printPendingMessage(entry.document, entry.caseReference, reason), entry.caseReference),
  });
  const session = new SessionService({
    idleTimeoutMs: config.session.idleTimeoutSeconds * 1000,
    idleWarningMs: config.session.idleWarningSeconds * 1000,
    log,
    onIdleWarning: (secondsLeft) => emit('session:idle-warning', { secondsLeft }),
    onEnded: (reason) => emit('session:ended', { reason }),
  });
  session.onWipe(() => printing.wipeSpool());
  const speech = new SpeechService({
    engine:
      config.voice.engine === 'espeak-ng'
        ? new EspeakEngine({ binary: config.voice.espeakPath, voice: config.voice.espeakVoice, rate: config.voice.rate, maxBytes: SPEECH_WAV_MAX_BYTES })
        : new NoSpeechEngine(),
    // A prompt naming the person at the screen is refused (prompts are screen texts, never personal data).
    personal: () => {
      const identity = session.current()?.identity;
      return identity ? [identity.name, identity.englishName ?? '', identity.idNumber] : [];
    },
    log,
  });

  const info = () => ({
    terminalId: config.terminal.id,
    hallName: config.terminal.hallName,
    divisionCode: config.terminal.divisionCode,
    mode: config.mode,
    version,
    catalogVersion: catalog.version,
    idleTimeoutSeconds: config.session.idleTimeoutSeconds,
    idleWarningSeconds: config.session.idleWarningSeconds,
    outOfService: storageFault,
    voiceVolume: config.voice.volume,
  });

  const baseAudiences: ChannelDefinition['audience'][] = config.mode === 'demo' ? ['citizen', 'demo'] : ['citizen'];
  const lockoutStore = new SqliteLockoutStore(join(config.dataDir, 'staff-lockout.sqlite'));
  const staffAuth = new StaffAuth({
    accounts: staffAccounts(config),
    // DOMAIN.md §7 idle logout: a signed-in kiosk left alone must not stay open to the next passer-by.
    audit: outbox.audit,
    idleMs: 3 * 60_000,
    lockouts: lockoutStore,
    onSignedOut: (reason) => emit('staff:signed-out', { reason }),
  });
  const capture = new CardCapture();
  // Input engines: the lexicon loads from its cache after the bridge is up, or on first use (pinyin-service.ts).
  const pinyin = new PinyinService({
    rimeDataDir: config.ime.rimeDataDir,
    cacheDir: config.ime.cacheDir ?? join(config.dataDir, 'ime'),
    extraPhrases: () => catalog.summaries().flatMap((summary) => [summary.name, ...(catalog.service(summary.id)?.keywords ?? [])]),
    log,
  });
  const handwriting = new HandwritingService({ library: config.ime.zinniaLibrary, model: config.ime.zinniaModel, log });
  const technician = new TechnicianService({ config, devices, overrides, audit: outbox.audit, capture });

  const baseHandlers = createHandlers({
    info,
    catalog,
    session,
    devices,
    outbox,
    drainer,
    client,
    printing,
    speech,
    log,
    progressUrl: (caseRef) => progressUrl(config.central.url, caseRef),
    submitWaitMs: options.submitWaitMs ?? 4_000,
    onStorageFailure: markOutOfService,
  });
  const handlers: Handlers = {
    ...baseHandlers,
    ...createImeHandlers({ pinyin, handwriting }),
    ...createStaffHandlers({ auth: staffAuth, alerts, audit: outbox.audit, printing, outbox, kickDrainer: () => drainer.kick(), catalog, session, info, progressUrl: (caseRef) => progressUrl(config.central.url, caseRef) }),
    ...createTechnicianHandlers({
      auth: staffAuth,
      technician,
      audit: outbox.audit,
      auditStatus: () => {
        const check = outbox.audit.verify();
        return { entries: check.intact ? check.entries : outbox.audit.entries().length, intact: check.intact };
      },
      devices,
      printing,
      overrides,
      outbox,
      drainer,
      catalog,
      info,
      keyProtection: keySource.protection,
      logFile: join(config.dataDir, 'logs', 'host.log'),
      speech,
    }),
  };
  const dispatch = createDispatcher(handlers, { onInternalError: (channel, error) => log.log('error', 'bridge.internal', { channel, error }) });
  // Staff and technician channels open while someone is signed in (and not idle): StaffAuth decides.
  const context = (): CallContext => ({ audiences: staffAuth.audiences(baseAudiences) });

  // Device events → session and UI. A card is read once per placement (the reader gates that).
  devices.idCardReader?.on('card', (read) => {
    // A technician's test read takes the card; in staff mode cards start no citizen session.
    if (capture.offerCard(read) || staffAuth.view()) return;
    const { identity, photoWlt } = read;
    if (identity.expired) {
      emit('identity:rejected', { code: 'card-expired', message: '您的证件已超过有效期，请使用电子身份码或到人工窗口办理' });
      return;
    }
    session.setIdentity(identity, 'id-card', photoWlt);
    emit('identity:read', { identity, source: 'id-card' });
  });
  devices.idCardReader?.on('read-error', ({ code, message }) => {
    if (!capture.offerError(code, message)) emit('identity:rejected', { code, message });
  });
  devices.idCardReader?.on('card-removed', () => emit('identity:card-removed', {}));
  // A receipt's progress QR opens 办件查询 from any screen; other codes are not passed on (they may be personal).
  devices.scanner?.on('scan', ({ text }) => {
    const caseRef = caseRefFromScan(text);
    emit('scanner:scanned', caseRef ? { kind: 'case', caseRef } : { kind: 'unrecognised' });
  });
  const forwardStatus = (status: DeviceStatus) => emit('device:status-changed', status);
  devices.idCardReader?.on('status', forwardStatus);
  devices.scanner?.on('status', forwardStatus);
  devices.receiptPrinter?.on('status', forwardStatus);
  devices.receiptPrinter?.on('status', (status) => {
    if (status.detail === 'paper-out' || status.detail === 'cover-open' || status.detail === 'paper-near-end') {
      alerts.raise('printer-not-ready', status.detail === 'paper-near-end' ? '凭条纸将用完，请备好新纸卷' : status.detail === 'paper-out' ? '凭条打印机缺纸，请装纸' : '凭条打印机纸仓盖未关好，请关好');
    }
  });
  devices.documentPrinter?.on('status', forwardStatus);
  await devices.start();

  let bridge: BridgeServer | null = null;
  if (options.bridge === 'websocket') {
    bridge = await startBridgeServer({
      dispatch,
      context,
      rendererDir: options.rendererDir,
      port: config.bridge.port,
      onRefused: (reason) => log.log('warn', 'bridge.refused', { reason }),
    });
    const server = bridge;
    listeners.add((event, payload) => server.broadcast(event, payload as never));
  } else if (options.bridge === 'parent-port') {
    const port = parentPort();
    if (!port) throw new Error('parent-port bridge requested outside Electron utilityProcess');
    const relay = attachParentPort(port, dispatch, context);
    listeners.add((event, payload) => relay.broadcast(event, payload as never));
  }

  void catalog.refresh();
  // A hall kiosk builds its index once, in the background, so the first citizen who types never waits;
  // test hosts (fresh data folders, many restarts) build on first use unless a cache exists.
  pinyin.warm({ build: config.ime.buildAtStart ?? config.mode === 'live' });
  drainer.start(5_000);
  const heartbeat = setInterval(() => {
    void client.call('POST', CENTRAL_PATHS.heartbeat, z.undefined(), {
      devices: devices.statuses(),
      queueDepth: outbox.depth().pending,
      needsStaff: outbox.depth().needsStaff,
      version,
    });
  }, HEARTBEAT_MS);
  const purge = setInterval(() => {
    for (const item of outbox.purgeDelivered(config.outbox.purgeAfterHours * 3600_000)) {
      log.log('info', 'audit.outbox-purged', { localNumber: item.localNumber, deliveredAt: item.deliveredAt });
    }
  }, PURGE_CHECK_MS);
  heartbeat.unref();
  purge.unref();
  log.log('info', 'host.started', { mode: config.mode, terminal: config.terminal.id, keyProtection: keySource.protection });

  return {
    bridge,
    dispatch,
    context,
    outbox,
    devices,
    printing,
    log,
    emit,
    async close() {
      clearInterval(heartbeat);
      clearInterval(purge);
      session.dispose();
      staffAuth.dispose();
      await drainer.stop();
      await devices.stop();
      await bridge?.close();
      outbox.close();
      journalStore.close();
      lockoutStore.close();
      handwriting.close();
      pinyin.close();
    },
  };
}

/** Run directly (Electron utilityProcess, or `tsx host/main.ts` with KIOSK_CONFIG). */
async function runFromEnvironment(): Promise<void> {
  const file = process.env.KIOSK_CONFIG;
  if (!file) throw new Error('KIOSK_CONFIG is not set');
  const config = loadConfigFile(file);
  const underElectron = parentPort() !== null;
  // Under Electron, main unwraps the outbox key from the OS keyring and posts it first (electron/outbox-key.ts).
  const port = parentPort();
  const outboxKey = port ? await receiveOutboxKey(port, 5_000) : null;
  // Bundled (dist/host/main.js) the catalog snapshot is not beside this file: the shell says where it is.
  const catalogDir = process.env.KIOSK_CATALOG_DIR;
  const host = await startHost({
    config,
    rendererDir: process.env.KIOSK_RENDERER_DIR ?? null,
    bridge: underElectron ? 'parent-port' : 'websocket',
    outboxKey,
    ...(catalogDir ? { catalogSnapshot: () => loadCatalog(catalogDir) } : {}),
  });
  if (host.bridge) process.stdout.write(`${JSON.stringify({ ready: true, url: host.bridge.url, launchUrl: host.bridge.launchUrl })}\n`);
  const shutdown = () => void host.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  runFromEnvironment().catch((error: unknown) => {
    process.stderr.write(`host failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
