import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../contract/catalog.js';
import type { ChannelDefinition } from '../contract/define.js';
import type { DeviceStatus, IdentityCard } from '../contract/domain.js';
import { SPEECH_WAV_MAX_BYTES } from '../contract/speech.js';
import type { Handlers } from '../contract/derive.js';
import { createDispatcher, type CallContext } from '../contract/derive.js';
import type { EventName, EventPayload } from '../contract/events.js';
import { loadCatalog } from '../catalog/load.js';
import { fail, ok } from '../contract/result.js';
import { onMissingGlyph } from '../print-templates/fonts.js';
import { attachParentPort, parentPort } from './bridge/parent-port.js';
import { startBridgeServer, type BridgeServer } from './bridge/ws-server.js';
import { centralSecret, loadConfigFile, type KioskConfig } from './config.js';
import { createHandlers } from './handlers.js';
import { createImeHandlers } from './ime-handlers.js';
import { createHelpHandlers } from './help-handlers.js';
import { createStaffHandlers } from './staff-handlers.js';
import { createFaceHandlers } from './face-handlers.js';
import { createAgencyHandlers } from './agency-handlers.js';
import { PRINCIPAL_CARD_EXPIRED, principalCardRead } from './agency-submission.js';
import { createTechnicianHandlers, missingPrinter } from './technician-handlers.js';
import { createIdentityHandlers } from './identity-handlers.js';
import { classifyScan } from '../drivers/protocols/scan-classifier.js';
import { verifyIdentityCode } from './services/identity-code.js';
import { createFleet, type Fleet } from './services/fleet/fleet.js';
import { ServiceState } from './services/fleet/service-state.js';
import { CatalogService } from './services/catalog.js';
import { CentralClient, LOCAL_NUMBER_CONFLICT } from './services/central-client.js';
import { WallClockWatch } from './services/clock.js';
import { staffAccounts } from './services/demo-staff.js';
import { staffCardKey } from './services/demo-staff.js';
import { StaffCardSignIn } from './services/staff-card.js';
import { createStaffCardHandlers } from './staff-card-handlers.js';
import { createDevices } from './services/device-factory.js';
import { DeviceOverridesFile, withReaderOverride } from './services/device-overrides.js';
import type { DeviceSet } from './services/devices.js';
import { Drainer } from './services/drainer.js';
import { HandwritingService } from './services/ime/handwriting-service.js';
import { PinyinService } from './services/ime/pinyin-service.js';
import { createLogger, type Logger } from './services/log.js';
import { receiveOutboxKey, resolveOutboxKey, type OutboxKeyMessage } from './services/outbox-key.js';
import { openCheckedOutbox } from './services/outbox-integrity.js';
import { isStorageFailure, type Outbox } from './services/outbox.js';
import { LocalNumberReservations } from './services/local-numbers.js';
import { StorageHealth } from './services/storage-health.js';
import { SqlitePrintJournalStore } from './services/print-journal-store.js';
import { PrintingService } from './services/printing.js';
import { createProofHandlers } from './proof-handlers.js';
import { createProofService } from './services/proof-wiring.js';
import { caseRefFromScan, progressUrl } from './services/progress-code.js';
import { ReachabilityMonitor } from './services/reachability.js';
import { HelpCallService } from './services/help-calls.js';
import { SessionService } from './services/session.js';
import { EspeakEngine } from './services/speech/espeak-engine.js';
import { NoSpeechEngine } from './services/speech/speech-engine.js';
import { SpeechService } from './services/speech/speech-service.js';
import { StaffAlerts, printPendingMessage } from './services/staff-alerts.js';
import { StaffAuth } from './services/staff-auth.js';
import { SqliteLockoutStore } from './services/staff-lockout-store.js';
import { CardCapture, TechnicianService } from './services/technician.js';
import { VideoSignalling } from './services/video-signalling.js';

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
  /** How often delivered applications are looked at for purging; tests shorten it. */
  purgeCheckMs?: number;
  /** How often the outbox file on disk is checked (quick_check through its own connection); tests shorten it. */
  integrityCheckMs?: number;
  /** The outbox key main unwrapped from the OS keyring (Electron); null or absent: the 0600 key file. */
  outboxKey?: OutboxKeyMessage | null;
  /**
   * Central asked for a restart (fleet command): close and start again. Default: close and exit, for the
   * supervisor (Electron main, systemd) to start the host again.
   */
  onRestart?: (host: Host) => void;
  /** The browser shell's per-launch token, when the launcher chose it to open Chromium before the host was up. */
  bridgeToken?: string;
  /** Parse the print fonts and render a throw-away receipt this long after start (default 1 s; null: never). */
  warmPrintingAfterMs?: number | null;
}

export interface Host {
  bridge: BridgeServer | null;
  dispatch: ReturnType<typeof createDispatcher>;
  /** What the bridge passes with each call: the audiences open now (staff/technician after sign-in). */
  context: () => CallContext;
  outbox: Outbox;
  devices: DeviceSet;
  printing: PrintingService;
  fleet: Fleet;
  log: Logger;
  emit<Name extends EventName>(event: Name, payload: EventPayload<Name>): void;
  close(): Promise<void>;
}

const CARD_LEFT_ON_READER = '读卡区上已有一张证件。请先把它拿起来，再把您本人的证件平放在读卡区。';
const PURGE_CHECK_MS = 15 * 60_000;
const INTEGRITY_CHECK_MS = 5 * 60_000;
/** A clock this far from central's is reported to the technician (signing is corrected at any size). */
const CLOCK_SKEW_ALERT_MS = 60_000;
/** The same alert is raised again after this long at the earliest. */
const ALERT_QUIET_MS = 10 * 60_000;

export async function startHost(options: HostOptions): Promise<Host> {
  const { config } = options;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const log = options.log ?? createLogger({ dataDir: config.dataDir });
  const version = options.version ?? '0.1.0';
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const emit = <Name extends EventName>(event: Name, payload: EventPayload<Name>) => {
    for (const listener of listeners) listener(event, payload);
  };

  // Alerts are raised by the central client's callbacks below, so they exist first; they carry no personal data.
  const alerts = new StaffAlerts({ emit: (alert) => emit('staff:alert', alert) });
  // The help-call service (built with the session below) sends at once when central is back.
  let helpCalls: HelpCallService | null = null;
  // Every call to central is evidence of its reachability; the monitor (built below) weighs it.
  let network: ReachabilityMonitor | null = null;
  const client = new CentralClient({
    baseUrl: config.central.url,
    key: { keyId: config.central.keyId, secret: centralSecret(config), algorithm: config.central.algorithm },
    timeoutMs: config.central.timeoutMs,
    observe: (answered) => network?.hint(answered),
    // Issue 10, kind 3: a skewed clock is corrected for signing (central's time) and reported, never staff work.
    onClockOffset: (offsetMs) => {
      log.log(Math.abs(offsetMs) >= CLOCK_SKEW_ALERT_MS ? 'warn' : 'info', 'clock.central-offset', { offsetMs });
      if (Math.abs(offsetMs) >= CLOCK_SKEW_ALERT_MS) {
        alerts.raiseOnce('clock-skew', `本机时钟与中心相差约 ${Math.round(Math.abs(offsetMs) / 60_000)} 分钟（本机${offsetMs > 0 ? '慢' : '快'}），已按中心时间提交申请。请运维人员校准系统时间。`, ALERT_QUIET_MS);
      }
    },
    // Issue 10, kind 8: a redirect is never followed (it would carry personal data elsewhere); it is a configuration fault.
    onRedirect: ({ status, location, path }) => {
      log.log('error', 'central.redirect-refused', { status, location, path });
      alerts.raiseOnce('central-misconfigured', `中心服务地址返回了重定向（${status}），申请暂停发送、未转发到其他地址。请运维人员核对中心服务地址配置。`, ALERT_QUIET_MS);
    },
  });
  const catalog = new CatalogService({ dataDir: config.dataDir, log, client, ...(options.catalogSnapshot ? { snapshot: options.catalogSnapshot } : {}) });
  const keySource = resolveOutboxKey(config.dataDir, options.outboxKey ?? null);
  // Out of service for a storage fault, a failed self-test or from the console: the UI shows one notice.
  // Assigned once the fleet exists; a status change before that needs no heartbeat.
  let fleet: Fleet | null = null;
  const serviceState = new ServiceState((message) => {
    emit('kiosk:out-of-service', { message });
    fleet?.poke();
  });
  /** The last error code the heartbeat reports (a code, never personal data). */
  let lastErrorCode: string | null = null;
  // The print journal is opened first: its receipts are the record, outside the outbox, of every
  // application acknowledged to a citizen, against which the outbox is checked at start (kind 2).
  const journalStore = new SqlitePrintJournalStore(join(config.dataDir, 'print-journal.sqlite'), (problem) => {
    log.log('warn', 'print-journal.replaced', { problem });
    alerts.raise('print-pending', '待补打记录文件损坏，已重新建立；此前未打印的回执请凭受理编号到窗口打印。');
  });
  // Local numbers are reserved outside the outbox, so a recreated outbox never repeats one (kind 1).
  const localNumbers = new LocalNumberReservations(join(config.dataDir, 'local-numbers.json'));
  if (localNumbers.problem) log.log('warn', 'local-numbers.reservation-ignored', { problem: localNumbers.problem });
  const outboxFile = join(config.dataDir, 'outbox.sqlite');
  const { outbox, damage } = openCheckedOutbox({
    file: outboxFile,
    key: keySource.key,
    terminalId: config.terminal.id,
    cipher: config.outbox.cipher,
    localNumbers,
    acknowledgedLocalNumbers: () => journalStore.list().flatMap((entry) => (entry.document === 'receipt' ? [entry.caseReference] : [])),
  });
  // A storage fault means "已提交" could no longer be kept: stop taking submissions (暂停服务) at once, and
  // after damage stay so, across restarts, until a technician has seen it.
  const storage = new StorageHealth({
    dataDir: config.dataDir,
    outboxFile,
    log,
    alerts,
    audit: outbox.audit,
    onOutOfService: (message) => serviceState.set('storage', message),
  });
  if (damage) storage.outboxDamaged(damage);
  if (keySource.replacedDamagedKey) storage.keyReplaced(keySource.replacedDamagedKey);
  const monitor = new ReachabilityMonitor({
    client,
    log,
    onChange: (online) => {
      emit('outbox:depth-changed', { ...outbox.depth(), online });
      helpCalls?.networkChanged(online);
    },
  });
  network = monitor;
  const storageFailed = (error: unknown) => {
    lastErrorCode = 'storage.failure';
    storage.writeFailed(error);
  };
  const drainer = new Drainer({
    outbox,
    client,
    log,
    onChange: () => emit('outbox:depth-changed', { ...outbox.depth(), online: monitor.online }),
    onStorageFailure: storageFailed,
    onNeedsStaff: (item, reason) => {
      log.log('error', 'staff.alert', { localNumber: item.localNumber, reason });
      alerts.raise('outbox-needs-staff', `申请 ${item.localNumber} 无法自动提交，需要工作人员处理`, item.localNumber);
      // Issue 10, kind 1: the number repeats one central already filed for someone else; never that case.
      if (reason === LOCAL_NUMBER_CONFLICT) {
        alerts.raise('local-number-conflict', `申请 ${item.localNumber} 的本地编号在中心已对应另一件申请，本申请未受理、已列入待处理。请工作人员核对后重新提交，并请运维人员检查终端编号（数据目录是否被重建）。`, item.localNumber);
      }
    },
  });
  // A technician's port and printer choices outlive restarts (technician mode, device:configure).
  const overrides = new DeviceOverridesFile(config.dataDir);
  const saved = overrides.load();
  if (saved.problem) log.log('warn', 'device-overrides.ignored', { reason: saved.problem });
  const devices = options.devices ?? (await createDevices(withReaderOverride(config, saved.overrides.idCardReader), log));
  // A character no print font has is drawn as a box: the technician's log says so (the Unicode block, never the character).
  const stopGlyphReports = onMissingGlyph((report) => log.log('warn', 'print.glyph-missing', { detail: report.block, document: report.target }));
  const printing = new PrintingService({
    dataDir: config.dataDir,
    receiptPrinter: devices.receiptPrinter,
    documentPrinter: devices.documentPrinter,
    log,
    journalStore,
    assignment: saved.overrides.printers ?? null,
    receiptPaper: config.devices.receiptPrinter.kind === 'none' ? '80mm' : config.devices.receiptPrinter.paperWidth,
    onNotPrinted: (entry, reason) => alerts.raise('print-pending', printPendingMessage(entry.document, entry.caseReference, reason), entry.caseReference),
  });
  const cardOnReader = () => devices.idCardReader?.status().media === 'present';
  const session = new SessionService({
    idleTimeoutMs: config.session.idleTimeoutSeconds * 1000,
    idleWarningMs: config.session.idleWarningSeconds * 1000,
    cardAbsentGraceMs: config.session.cardAbsentGraceSeconds * 1000,
    log,
    onIdleWarning: (secondsLeft) => emit('session:idle-warning', { secondsLeft }),
    onCardAbsent: (secondsLeft) => emit('session:card-absent', { secondsLeft }),
    // A card left on the reader when the session ends: the UI reminds 请取走身份证 (not after its removal ended it).
    onEnded: (reason) => emit('session:ended', { reason, cardOnReader: reason !== 'card-removed' && cardOnReader() }),
  });
  session.onWipe(() => printing.wipeSpool());
  // 呼叫工作人员 (issue 12): kept on disk until central has it; the idle timer waits while help is on the way.
  const help = new HelpCallService({
    file: join(config.dataDir, 'help-call.json'),
    client,
    log,
    onChange: (call) => emit('help:call-changed', call),
    onOpen: () => session.holdIdle(),
    onEnded: () => session.releaseIdle(),
  });
  help.start();
  helpCalls = help;
  // The citizen left (结束办理, card taken, idle end): nobody is there to help any more.
  session.onWipe(() => {
    help.cancel();
  });
  const proofs = createProofService({ config, client, catalog, printing, alerts, log, documentPrinter: devices.documentPrinter, session });
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

  const info = () => {
    const current = fleet?.remote.current ?? config;
    return {
      terminalId: config.terminal.id,
      hallName: config.terminal.hallName,
      divisionCode: config.terminal.divisionCode,
      mode: config.mode,
      version,
      catalogVersion: catalog.version,
      idleTimeoutSeconds: current.session.idleTimeoutSeconds,
      idleWarningSeconds: current.session.idleWarningSeconds,
      outOfService: serviceState.message(),
      operatingHours: current.operatingHours,
      voiceVolume: current.voice.volume,
    };
  };

  const baseAudiences: ChannelDefinition['audience'][] = config.mode === 'demo' ? ['citizen', 'demo'] : ['citizen'];
  const lockoutStore = new SqliteLockoutStore(join(config.dataDir, 'staff-lockout.sqlite'), (problem) => {
    log.log('warn', 'staff-lockout.replaced', { problem });
    outbox.audit.append({ actor: 'storage', event: 'staff-lockout.replaced', outcome: problem });
  });
  const staffAuth = new StaffAuth({
    accounts: staffAccounts(config),
    // DOMAIN.md §7 idle logout: a signed-in kiosk left alone must not stay open to the next passer-by.
    audit: outbox.audit,
    idleMs: 3 * 60_000,
    lockouts: lockoutStore,
    onSignedOut: (reason) => emit('staff:signed-out', { reason }),
  });
  const capture = new CardCapture();
  // 刷身份证登录 (issue 12): the staff sign-in screen's card capture; a sign-out forgets any card still held.
  const staffCard = new StaffCardSignIn({ key: staffCardKey(config), auth: staffAuth, audit: outbox.audit, emit: (read) => emit('staff:card-read', read) });
  // Input engines: the lexicon loads from its cache after the bridge is up, or on first use (pinyin-service.ts).
  const pinyin = new PinyinService({
    rimeDataDir: config.ime.rimeDataDir,
    cacheDir: config.ime.cacheDir ?? join(config.dataDir, 'ime'),
    extraPhrases: () => catalog.summaries().flatMap((summary) => [summary.name, ...(catalog.service(summary.id)?.keywords ?? [])]),
    log,
  });
  const handwriting = new HandwritingService({
    library: config.ime.zinniaLibrary,
    model: config.ime.zinniaModel,
    extraModels: config.ime.zinniaExtraModels,
    rimeDataDir: config.ime.rimeDataDir,
    log,
  });
  const technician = new TechnicianService({ config, devices, overrides, audit: outbox.audit, capture });
  const host = {} as Host;
  fleet = createFleet({
    config,
    client,
    log,
    outbox,
    audit: outbox.audit,
    devices,
    session,
    staffAuth,
    printing,
    overrides,
    serviceState,
    keyProtection: keySource.protection,
    version,
    catalogVersion: () => catalog.version,
    // The central client's estimate from central's Date header (issue 10), measured once for signing and heartbeat.
    clockOffsetMs: () => client.knownClockOffsetMs,
    lastErrorCode: () => lastErrorCode,
    onConfigApplied: () => emit('kiosk:info-changed', info()),
    onRestart: () => (options.onRestart ?? restartByExit)(host),
    missingPrinter: (assignment) => missingPrinter(assignment, devices),
  });
  const fleetService = fleet;

  // 远程视频帮办: signalling to central as this terminal; the citizen's session ending ends a running call.
  const video = new VideoSignalling({
    baseUrl: () => client.baseUrl,
    key: client.key,
    centralNow: () => client.centralNow(),
    log,
    onSignal: (message) => emit('video:signal', message),
  });
  session.onWipe(() => video.hangUp());

  const baseHandlers = createHandlers({
    info,
    catalog,
    session,
    devices,
    outbox,
    drainer,
    network: monitor,
    client,
    printing,
    speech,
    log,
    progressUrl: (caseRef) => progressUrl(config.central.url, caseRef),
    submitWaitMs: options.submitWaitMs ?? 4_000,
    onStorageFailure: storageFailed,
    onSessionStarted: () => sessionStarted(),
    printSealedResult: (proof) => proofs.printSealedResult(proof),
  });
  const handlers: Handlers = {
    ...baseHandlers,
    // Outside the opening hours no new session starts; a session already open runs to its end.
    'session:start': (request, context) => {
      if (!session.current() && !fleetService.hours().open) return fail('closed', '现在不在办理时间，请在开放时间再来');
      return baseHandlers['session:start'](request, context);
    },
    'fleet:report-display': (report) => ok({ accepted: fleetService.reportDisplay(report) }),
    ...createImeHandlers({ pinyin, handwriting }),
    ...createHelpHandlers({ help, session, auth: staffAuth, audit: outbox.audit }),
    ...createProofHandlers({ proofs, session }),
    ...createStaffHandlers({ auth: staffAuth, alerts, audit: outbox.audit, printing, outbox, kickDrainer: () => drainer.kick(), catalog, session, info, progressUrl: (caseRef) => progressUrl(config.central.url, caseRef) }),
    'fleet:run-self-test': async () => {
      const report = await fleetService.selfTest('technician');
      staffAuth.touch();
      return ok(report);
    },
    'fleet:get-self-test': () => ok(fleetService.lastSelfTest()),
    'video:send': (message) => ok({ sent: video.send(message) }),
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
      network: monitor,
      catalog,
      info,
      keyProtection: keySource.protection,
      storage,
      clockOffsetMs: () => client.clockOffsetMs,
      logFile: join(config.dataDir, 'logs', 'host.log'),
      speech,
    }),
    ...createIdentityHandlers({
      auth: staffAuth,
      session,
      audit: outbox.audit,
      log,
      client,
      showToScanner: devices.simulators?.scanner ? (text) => devices.simulators?.scanner?.scan(text) ?? false : null,
    }),
    ...createFaceHandlers({ session, client, audit: outbox.audit, log }),
    ...createAgencyHandlers({ session, catalog, client, log }),
    ...createStaffCardHandlers({ auth: staffAuth, card: staffCard, session }),
  };
  const dispatch = createDispatcher(handlers, { onInternalError: (channel, error) => log.log('error', 'bridge.internal', { channel, error }) });
  // Staff and technician channels open while someone is signed in (and not idle): StaffAuth decides.
  const context = (): CallContext => ({ audiences: staffAuth.audiences(baseAudiences) });

  // Device events → session and UI. A card is read once per placement (the reader gates that).
  // Cards are handled one after another: ending a session (its wipers) must finish before the next identity.
  let cardWork: Promise<void> = Promise.resolve();
  devices.idCardReader?.on('card', (read) => {
    // A technician's test read takes the card; in staff mode cards start no citizen session, except the
    // citizen's own card in a 帮办 session the staff member started for them (issue 12).
    if (capture.offerCard(read) || (staffAuth.view() && !session.current()?.assistedBy)) return;
    // 刷身份证登录: the staff sign-in screen waits for the staff member's own card (never over a citizen's session).
    if (staffCard.offerCard(read.identity, read.photoWlt)) return;
    // Closed: a card laid on the reader starts nothing (the screen shows the hours).
    if (!session.current() && !fleetService.hours().open) return;
    cardWork = cardWork.then(() => cardPlaced(read.identity, read.photoWlt)).catch((error: unknown) => log.log('error', 'session.card-failed', { error }));
  });
  const cardPlaced = async (identity: IdentityCard, photoWlt: Uint8Array | null) => {
    const current = session.current();
    // 代办 (issue 12): the card the kiosk waits for as the principal's is not a new citizen.
    const principal = session.offerPrincipalCard(identity);
    if (principal === 'taken') {
      emit('agency:principal-read', principalCardRead(identity));
      return;
    }
    if (principal === 'expired') {
      emit('identity:rejected', { code: 'card-expired', message: PRINCIPAL_CARD_EXPIRED });
      return;
    }
    // A different card is a different person: the session before it ends (wiped, print spool emptied)
    // before anything of the new one exists, so the next citizen never sees or submits the first's data.
    if (current?.identity && current.identity.idNumber !== identity.idNumber) await session.end('card-removed');
    else session.cardReturned();
    if (identity.expired) {
      emit('identity:rejected', { code: 'card-expired', message: '您的证件已超过有效期，请使用电子身份码或到人工窗口办理' });
      return;
    }
    session.setIdentity(identity, 'id-card', photoWlt);
    emit('identity:read', { identity, source: 'id-card' });
  };
  devices.idCardReader?.on('read-error', ({ code, message }) => {
    if (!capture.offerError(code, message)) emit('identity:rejected', { code, message });
  });
  devices.idCardReader?.on('card-removed', () => {
    emit('identity:card-removed', {});
    session.cardRemoved();
  });
  /**
   * A card still on the reader when a session starts (kind 6). If the session holds the identity of a card
   * read since it began and never lifted (it would have ended the session or counted it down), that card is
   * this session's: its identity is announced again, as a re-read would (a real reader halts a card after
   * reading it and will not find it again until it is lifted). Otherwise the card was read for someone
   * before, or could not be read: the citizen is asked to lift it, and never given its identity.
   */
  const sessionStarted = () => {
    // A 电子身份码 shown before the service was chosen (issue 14) is this session's identity: announced again.
    const shown = session.current();
    if (shown?.identity && shown.identitySource === 'e-code' && (!staffAuth.view() || shown.assistedBy)) {
      emit('identity:read', { identity: shown.identity, source: 'e-code' });
      return;
    }
    if (!cardOnReader() || (staffAuth.view() && !session.current()?.assistedBy)) return;
    const current = session.current();
    if (current?.identity && current.identitySource === 'id-card') emit('identity:read', { identity: current.identity, source: 'id-card' });
    else if (!current?.identity) emit('identity:rejected', { code: 'card-left-on-reader', message: CARD_LEFT_ON_READER });
  };
  // A receipt's progress QR opens 办件查询 from any screen; a 电子身份码 is verified at central and enters the
  // session like a card (issue 14); other codes are not passed on (they may be personal).
  devices.scanner?.on('scan', ({ text }) => {
    const scan = classifyScan(text, caseRefFromScan);
    if (scan.kind === 'case') emit('scanner:scanned', { kind: 'case', caseRef: scan.caseRef });
    else if (scan.kind === 'unknown') emit('scanner:scanned', { kind: 'unrecognised' });
    else {
      // As for a card: staff mode and closed hours start no citizen session.
      if (staffAuth.view() || (!session.current() && !fleetService.hours().open)) return;
      emit('scanner:scanned', { kind: 'identity-code' });
      cardWork = cardWork.then(() => codeShown(scan.code)).catch((error: unknown) => log.log('error', 'session.code-failed', { error }));
    }
  });
  const codeShown = async (code: string) => {
    const verified = await verifyIdentityCode(client, log, code);
    if (!verified.ok) {
      emit('identity:rejected', { code: verified.code, message: verified.message });
      return;
    }
    const current = session.current();
    // Another person's code is another person: the session before it ends first, as for a card.
    if (current?.identity && current.identity.idNumber !== verified.identity.idNumber) await session.end('card-removed');
    session.setIdentity(verified.identity, 'e-code', null);
    emit('identity:read', { identity: verified.identity, source: 'e-code' });
  };
  const forwardStatus = (status: DeviceStatus) => {
    emit('device:status-changed', status);
    fleetService.poke();
  };
  devices.idCardReader?.on('status', forwardStatus);
  devices.scanner?.on('status', forwardStatus);
  devices.receiptPrinter?.on('status', forwardStatus);
  devices.receiptPrinter?.on('status', (status) => {
    if (status.detail === 'paper-out' || status.detail === 'cover-open' || status.detail === 'paper-near-end') {
      alerts.raise('printer-not-ready', status.detail === 'paper-near-end' ? '凭条纸将用完，请备好新纸卷' : status.detail === 'paper-out' ? '凭条打印机缺纸，请装纸' : '凭条打印机纸仓盖未关好，请关好');
    }
  });
  devices.documentPrinter?.on('status', forwardStatus);

  let bridge: BridgeServer | null = null;
  if (options.bridge === 'websocket') {
    bridge = await startBridgeServer({
      dispatch,
      context,
      rendererDir: options.rendererDir,
      port: config.bridge.port,
      ...(options.bridgeToken ? { token: options.bridgeToken } : {}),
      onRefused: (reason) => log.log('warn', 'bridge.refused', { reason }),
    });
    const server = bridge;
    listeners.add((event, payload) => server.broadcast(event, payload as never));
  } else if (options.bridge === 'parent-port') {
    const port = parentPort();
    if (!port) throw new Error('parent-port bridge requested outside Electron utilityProcess');
    const relay = attachParentPort(port, dispatch, context, (shellEvent) => {
      // A white kiosk is a fault the fleet must see: into the tamper-evident audit, and the log.
      outbox.audit.append({ actor: 'shell', event: `shell.${shellEvent.event}`, outcome: shellEvent.outcome });
      log.log('warn', `shell.${shellEvent.event}`, { outcome: shellEvent.outcome });
      // …and in the next heartbeat, sent at once (issue 11: "record it in the audit log, and heartbeat").
      lastErrorCode = `shell.${shellEvent.event}`;
      fleet?.poke();
    });
    listeners.add((event, payload) => relay.broadcast(event, payload as never));
  }

  // Items an older kiosk sent to staff only because its clock was off: the client now corrects the clock,
  // so they go back to the queue by themselves (audited), instead of waiting for someone to notice.
  const requeuedForClock = outbox.requeueAll('clock', 'needs-staff: signature-stale-timestamp');
  if (requeuedForClock > 0) log.log('info', 'outbox.requeued-for-clock', { count: requeuedForClock });
  // A step of the wall clock (NTP, a technician, a flat battery) redoes the plans stored as wall-clock instants.
  const clockWatch = new WallClockWatch({
    intervalMs: 10_000,
    toleranceMs: 5_000,
    onJump: (stepMs) => {
      log.log('warn', 'clock.jumped', { stepMs });
      drainer.replan();
    },
  });
  clockWatch.start();

  // The page can load and call while devices come up (a reader being searched for on every port takes
  // seconds in a hall); their status events follow as they connect.
  await devices.start();

  void catalog.refresh();
  monitor.start();
  // A hall kiosk builds its index once, in the background, so the first citizen who types never waits;
  // test hosts (fresh data folders, many restarts) build on first use unless a cache exists.
  pinyin.warm({ build: config.ime.buildAtStart ?? config.mode === 'live' });
  // A hall kiosk opens the handwriting models and reads the frequency prior (≈ 0.5 s) before anyone writes.
  const handwritingWarm = config.ime.buildAtStart ?? config.mode === 'live' ? setTimeout(() => handwriting.warm(), 2000) : null;
  handwritingWarm?.unref();
  drainer.start(5_000);
  await fleetService.start();
  video.start();
  // After start-up, off the path of the first screen: the first receipt then costs a render, not a font parse.
  const warmUpAfter = options.warmPrintingAfterMs === undefined ? 1_000 : options.warmPrintingAfterMs;
  const warmUp = warmUpAfter === null ? null : setTimeout(() => void printing.warmUp().catch((error: unknown) => log.log('warn', 'print.warm-up-failed', { error })), warmUpAfter);
  warmUp?.unref();
  const purge = setInterval(() => {
    try {
      for (const item of outbox.purgeDelivered(config.outbox.purgeAfterHours * 3600_000)) {
        log.log('info', 'audit.outbox-purged', { localNumber: item.localNumber, deliveredAt: item.deliveredAt });
      }
    } catch (error) {
      // A disk that refuses the purge keeps the data (nothing is lost) but is a storage fault; never a crash.
      log.log('error', 'outbox.purge-failed', { error });
      if (isStorageFailure(error)) storageFailed(error);
    }
  }, options.purgeCheckMs ?? PURGE_CHECK_MS);
  // The outbox file as it is on disk, through a connection of its own: damage, deletion or replacement
  // under the running host takes the kiosk out of service (the salvage runs at the next start).
  const integrity = setInterval(() => storage.check(), options.integrityCheckMs ?? INTEGRITY_CHECK_MS);
  purge.unref();
  integrity.unref();
  log.log('info', 'host.started', { mode: config.mode, terminal: config.terminal.id, keyProtection: keySource.protection });

  return Object.assign(host, {
    bridge,
    dispatch,
    context,
    outbox,
    devices,
    printing,
    fleet: fleetService,
    log,
    emit,
    async close() {
      clearInterval(purge);
      clearInterval(integrity);
      clockWatch.stop();
      help.stop();
      await fleetService.stop();
      video.stop();
      session.dispose();
      staffAuth.dispose();
      stopGlyphReports();
      if (warmUp) clearTimeout(warmUp);
      monitor.stop();
      await drainer.stop();
      await devices.stop();
      await bridge?.close();
      outbox.close();
      journalStore.close();
      lockoutStore.close();
      if (handwritingWarm) clearTimeout(handwritingWarm);
      handwriting.close();
      pinyin.close();
    },
  });
}

/** The default restart: close, then exit for the supervisor (Electron main restarts its utility process; systemd the service). */
function restartByExit(host: Host): void {
  void host.close().finally(() => process.exit(0));
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
