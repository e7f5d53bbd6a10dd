import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../contract/catalog.js';
import type { ChannelDefinition } from '../contract/define.js';
import type { DeviceStatus } from '../contract/domain.js';
import { createDispatcher, type CallContext } from '../contract/derive.js';
import type { EventName, EventPayload } from '../contract/events.js';
import { loadCatalog } from '../catalog/load.js';
import { CENTRAL_PATHS } from '../central/api.js';
import { z } from 'zod';
import { attachParentPort, parentPort } from './bridge/parent-port.js';
import { startBridgeServer, type BridgeServer } from './bridge/ws-server.js';
import { centralSecret, loadConfigFile, type KioskConfig } from './config.js';
import { createHandlers } from './handlers.js';
import { CatalogService } from './services/catalog.js';
import { CentralClient } from './services/central-client.js';
import { createDevices } from './services/device-factory.js';
import type { DeviceSet } from './services/devices.js';
import { Drainer } from './services/drainer.js';
import { createLogger, type Logger } from './services/log.js';
import { receiveOutboxKey, resolveOutboxKey, type OutboxKeyMessage } from './services/outbox-key.js';
import { Outbox } from './services/outbox.js';
import { PrintingService } from './services/printing.js';
import { caseRefFromScan, progressUrl } from './services/progress-code.js';
import { SessionService } from './services/session.js';

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
    onNeedsStaff: (item, reason) => log.log('error', 'staff.alert', { localNumber: item.localNumber, reason }),
  });
  const devices = options.devices ?? (await createDevices(config, log));
  const printing = new PrintingService({ dataDir: config.dataDir, receiptPrinter: devices.receiptPrinter, documentPrinter: devices.documentPrinter, log });
  const session = new SessionService({
    idleTimeoutMs: config.session.idleTimeoutSeconds * 1000,
    idleWarningMs: config.session.idleWarningSeconds * 1000,
    log,
    onIdleWarning: (secondsLeft) => emit('session:idle-warning', { secondsLeft }),
    onEnded: (reason) => emit('session:ended', { reason }),
  });
  session.onWipe(() => printing.wipeSpool());

  let outOfService: string | null = null;
  const info = () => ({
    terminalId: config.terminal.id,
    hallName: config.terminal.hallName,
    divisionCode: config.terminal.divisionCode,
    mode: config.mode,
    version,
    catalogVersion: catalog.version,
    idleTimeoutSeconds: config.session.idleTimeoutSeconds,
    idleWarningSeconds: config.session.idleWarningSeconds,
  });

  const handlers = createHandlers({
    info,
    catalog,
    session,
    devices,
    outbox,
    drainer,
    client,
    printing,
    log,
    progressUrl: (caseRef) => progressUrl(config.central.url, caseRef),
    submitWaitMs: options.submitWaitMs ?? 4_000,
    onStorageFailure: (error) => {
      outOfService = '本机存储出现故障';
      markOutOfService(error);
    },
  });
  const dispatch = createDispatcher(handlers, { onInternalError: (channel, error) => log.log('error', 'bridge.internal', { channel, error }) });
  const audiences = new Set<ChannelDefinition['audience']>(config.mode === 'demo' ? ['citizen', 'demo'] : ['citizen']);
  const context = (): CallContext => ({ audiences });

  // Device events → session and UI. A card is read once per placement (the reader gates that).
  devices.idCardReader?.on('card', ({ identity, photoWlt }) => {
    if (identity.expired) {
      emit('identity:rejected', { code: 'card-expired', message: '您的证件已超过有效期，请使用电子身份码或到人工窗口办理' });
      return;
    }
    session.setIdentity(identity, 'id-card', photoWlt);
    emit('identity:read', { identity, source: 'id-card' });
  });
  devices.idCardReader?.on('read-error', ({ code, message }) => emit('identity:rejected', { code, message }));
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
  log.log('info', 'host.started', { mode: config.mode, terminal: config.terminal.id, keyProtection: keySource.protection, outOfService });

  return {
    bridge,
    dispatch,
    outbox,
    devices,
    printing,
    log,
    emit,
    async close() {
      clearInterval(heartbeat);
      clearInterval(purge);
      session.dispose();
      await drainer.stop();
      await devices.stop();
      await bridge?.close();
      outbox.close();
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
  const host = await startHost({
    config,
    rendererDir: process.env.KIOSK_RENDERER_DIR ?? null,
    bridge: underElectron ? 'parent-port' : 'websocket',
    outboxKey,
  });
  if (host.bridge) process.stdout.write(`${JSON.stringify({ ready: true, url: host.bridge.url, launchUrl: host.bridge.launchUrl })}\n`);
  // Bundled (dist/host/main.js) the catalog snapshot is not beside this file: the shell says where it is.
  const catalogDir = process.env.KIOSK_CATALOG_DIR;
  const shutdown = () => void host.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
    ...(catalogDir ? { catalogSnapshot: () => loadCatalog(catalogDir) } : {}),

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  runFromEnvironment().catch((error: unknown) => {
    process.stderr.write(`host failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
