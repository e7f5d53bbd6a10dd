import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CENTRAL_PATHS, TerminalConfiguration } from '../../../contract/central/api.js';
import type { HeartbeatAnswer, SelfTestReport } from '../../../contract/central/fleet.js';
import { isOpen, nextOpening } from '../../../contract/operating-hours.js';
import type { PrinterAssignment } from '../../../contract/staff.js';
import type { KioskConfig } from '../../config.js';
import type { AuditChain } from '../audit-chain.js';
import { CentralClient } from '../central-client.js';
import type { DeviceOverridesFile } from '../device-overrides.js';
import type { DeviceSet } from '../devices.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox.js';
import type { PrintingService } from '../printing.js';
import type { SessionService } from '../session.js';
import type { StaffAuth } from '../staff-auth.js';
import { recentLogLines } from '../technician.js';
import { FleetCommands } from './commands.js';
import { HeartbeatService } from './heartbeat.js';
import { RemoteConfig, type Applier } from './remote-config.js';
import { runSelfTest, untilNextDaily } from './self-test.js';
import type { ServiceState } from './service-state.js';

/**
 * The kiosk's part in the fleet (issue 13), composed: heartbeat, remote configuration with its
 * appliers, one-shot commands, the self-test (daily, at start, on demand) and the operating hours. The
 * composition root (host/main.ts) builds it once and forwards status changes to `poke()`.
 */
export interface FleetDependencies {
  config: KioskConfig;
  client: CentralClient;
  log: Logger;
  outbox: Outbox;
  audit: AuditChain;
  devices: DeviceSet;
  session: SessionService;
  staffAuth: StaffAuth;
  printing: PrintingService;
  overrides: DeviceOverridesFile;
  serviceState: ServiceState;
  keyProtection: string;
  version: string;
  catalogVersion: () => string;
  /** Central's clock minus ours, ms, as the central client learned it; null when unknown. */
  clockOffsetMs: () => number | null;
  lastErrorCode: () => string | null;
  /** The configuration in force changed (idle times, voice, hours): the UI is told. */
  onConfigApplied: (config: KioskConfig) => void;
  /** A restart was asked for; called after its result was reported. */
  onRestart: () => void;
  /** Printer assignment check (host/technician-handlers.ts): a plain reason when a printer is missing. */
  missingPrinter: (assignment: PrinterAssignment) => string | null;
  now?: () => number;
}

const SELF_TEST_STOP_MESSAGE = '本机自检发现故障，暂停服务。请到人工窗口办理，工作人员正在处理。';
/** This build's receipt template prints on 80 mm rolls only. */
const PRINTABLE_PAPER_WIDTHS = new Set([80]);

export function createFleet(deps: FleetDependencies) {
  const { client, log, outbox, audit, devices, serviceState } = deps;
  const now = deps.now ?? Date.now;
  let cameraPresent: boolean | null = null;
  let lastSelfTest: SelfTestReport | null = null;
  let auditAnchor: number | null = null;
  let dailyTimer: NodeJS.Timeout | null = null;
  let startTimer: NodeJS.Timeout | null = null;

  const localOverrides = (): string[] => {
    const saved = deps.overrides.load().overrides;
    return [...(saved.printers ? ['printers'] : []), ...(saved.idCardReader ? ['devices.idCardReader'] : [])];
  };

  const appliers: Applier[] = [
    { section: 'session', apply: (config) => deps.session.setIdleTimes(config.session.idleTimeoutSeconds * 1000, config.session.idleWarningSeconds * 1000) },
    {
      section: 'printers',
      apply: (_config, settings) => {
        // A technician's choice on this kiosk wins over central's (and central sees it in the heartbeat).
        if (!settings.printers || deps.overrides.load().overrides.printers) return;
        const assignment = { ...deps.printing.getAssignment(), ...settings.printers };
        const missing = deps.missingPrinter(assignment);
        if (missing) throw new Error(missing);
        deps.printing.assign(assignment);
      },
    },
    {
      section: 'receipt',
      apply: (_config, settings) => {
        const width = settings.receipt?.paperWidthMm;
        if (width !== undefined && !PRINTABLE_PAPER_WIDTHS.has(width)) throw new Error(`本机凭条模板只支持 80 mm 纸宽，不支持 ${width} mm`);
      },
    },
    {
      section: 'central',
      apply: async (config) => {
        if (config.central.url === client.baseUrl) return;
        // Move only to an address that answers this terminal's signed request.
        const probe = new CentralClient({ baseUrl: config.central.url, key: client.key, timeoutMs: 10_000 });
        const outcome = await probe.call('GET', CENTRAL_PATHS.configuration, TerminalConfiguration);
        if (outcome.kind !== 'ok') throw new Error(`新的中心地址无法使用（${outcome.reason}）`);
        client.setBaseUrl(config.central.url);
      },
    },
    { section: 'staff', apply: (config) => deps.staffAuth.setAccounts(config.staff) },
    {
      section: 'fleet',
      apply: (config) => {
        scheduleDaily(config.fleet.selfTestAt);
      },
    },
    // Voice volume and operating hours take effect through the UI, told by onApplied.
  ];
  const remote = new RemoteConfig({ base: deps.config, dataDir: deps.config.dataDir, appliers, audit, log, onApplied: deps.onConfigApplied });

  const hours = () => {
    const current = remote.current.operatingHours;
    const at = now();
    const open = isOpen(current, at);
    const next = open ? null : nextOpening(current, at);
    return { open, nextOpening: next === null ? null : new Date(next).toISOString() };
  };

  const selfTestSources = {
    devices: () => devices.statuses(),
    cameraPresent: () => cameraPresent,
    dataDir: deps.config.dataDir,
    clockOffsetMs: deps.clockOffsetMs,
    reachCentral: async (): Promise<true | string> => {
      const outcome = await client.call('GET', CENTRAL_PATHS.configuration, z.unknown(), undefined, { timeoutMs: 5_000 });
      return outcome.kind === 'ok' ? true : outcome.reason;
    },
    outboxHealth: () => {
      try {
        const depth = outbox.depth();
        return { readable: true, auditIntact: audit.verify().intact, needsStaff: depth.needsStaff };
      } catch {
        return { readable: false, auditIntact: false, needsStaff: 0 };
      }
    },
    keyProtection: { kind: deps.keyProtection, keyFile: deps.keyProtection === 'os-keyring' ? null : join(deps.config.dataDir, 'outbox.key') },
    now,
  };

  async function selfTest(trigger: SelfTestReport['trigger']): Promise<SelfTestReport> {
    const report = await runSelfTest(selfTestSources, trigger);
    lastSelfTest = report;
    serviceState.set('self-test', report.stopsService ? SELF_TEST_STOP_MESSAGE : null);
    audit.append({
      actor: 'host',
      event: 'self-test',
      outcome: `${trigger}: ${report.checks.map((check) => `${check.id} ${check.outcome}`).join(', ')}${report.stopsService ? '; out of service' : ''}`,
    });
    heartbeat.poke();
    return report;
  }

  function scheduleDaily(at: string): void {
    if (dailyTimer) clearTimeout(dailyTimer);
    dailyTimer = setTimeout(() => {
      dailyTimer = null;
      void selfTest('daily').finally(() => scheduleDaily(remote.current.fleet.selfTestAt));
    }, untilNextDaily(at, now()));
    dailyTimer.unref();
  }

  const commands = new FleetCommands(
    deps.config.dataDir,
    {
      'run-self-test': async () => {
        const report = await selfTest('on-demand');
        return `${report.checks.filter((check) => check.outcome === 'fail').length} failed, ${report.checks.filter((check) => check.outcome === 'warn').length} warnings`;
      },
      'fetch-logs': async (command) => {
        const lines = recentLogLines(join(deps.config.dataDir, 'logs', 'host.log'), 500);
        const outcome = await client.call('POST', CENTRAL_PATHS.fleetLogs, z.undefined(), { commandId: command.id, lines });
        if (outcome.kind !== 'ok') throw new Error(`upload failed: ${outcome.reason}`);
        return `uploaded ${lines.length} lines`;
      },
      'restart-host': async () => {
        // Report first (a heartbeat carries the result), then restart: the id is already marked as run.
        setTimeout(() => void heartbeat.sendNow().finally(() => deps.onRestart()), 0);
        return 'restarting';
      },
    },
    log,
    now,
  );

  async function onAnswer(answer: HeartbeatAnswer): Promise<void> {
    const before = serviceState.message();
    serviceState.set('remote', answer.outOfService?.message ?? null);
    if (before !== serviceState.message()) {
      audit.append({ actor: 'central', event: 'out-of-service', outcome: answer.outOfService ? `set: ${answer.outOfService.message}` : 'cleared' });
    }
    auditAnchor = answer.auditAnchor?.sequence ?? auditAnchor;
    if (answer.config) await remote.offer(answer.config.version, answer.config.settings);
    if (answer.commands.length > 0) {
      await commands.run(answer.commands);
      heartbeat.poke();
    }
  }

  const heartbeat = new HeartbeatService({
    client,
    log,
    intervalMs: () => remote.current.fleet.heartbeatSeconds * 1000,
    unreported: () => commands.unreported(),
    onReported: (ids) => commands.reported(ids),
    onAnswer,
    now,
    build: async () => {
      const depth = outbox.depth();
      const oldest = outbox.oldestUnsentAt();
      const head = audit.head();
      const diskFreeBytes = await statfs(deps.config.dataDir).then(
        (disk) => disk.bavail * disk.bsize,
        () => null,
      );
      return {
        software: { version: deps.version, catalogVersion: deps.catalogVersion() },
        terminal: { hallName: deps.config.terminal.hallName, divisionCode: deps.config.terminal.divisionCode },
        devices: devices.statuses(),
        cameraPresent,
        outbox: { pending: depth.pending, needsStaff: depth.needsStaff, oldestPendingSeconds: oldest === null ? null : Math.max(0, Math.round((now() - oldest) / 1000)) },
        diskFreeBytes,
        clockOffsetMs: deps.clockOffsetMs(),
        lastErrorCode: deps.lastErrorCode(),
        outOfService: serviceState.report(),
        hours: hours(),
        sessionActive: deps.session.current() !== null,
        audit: {
          sequence: head.sequence,
          mac: head.mac,
          intact: audit.verify().intact,
          anchor: auditAnchor === null ? null : { sequence: auditAnchor, mac: audit.macAt(auditAnchor) },
        },
        config: { appliedVersion: remote.appliedVersion, rejected: remote.rejected, localOverrides: localOverrides() },
        selfTest: lastSelfTest,
      };
    },
  });

  return {
    remote,
    heartbeat,
    /** Open now by the configured hours, and the next opening. */
    hours,
    async start(): Promise<void> {
      await remote.start();
      scheduleDaily(remote.current.fleet.selfTestAt);
      heartbeat.start();
      // At start (once devices had a moment to answer): a kiosk that cannot serve should say so before the
      // first citizen arrives. Skipped when a self-test already ran meanwhile (on demand).
      startTimer = setTimeout(() => {
        startTimer = null;
        if (!lastSelfTest) void selfTest('start').catch((error: unknown) => log.log('error', 'self-test.failed', { error }));
      }, 3_000);
      startTimer.unref();
    },
    poke: () => heartbeat.poke(),
    selfTest,
    lastSelfTest: () => lastSelfTest,
    /** The window reports whether it sees a camera, and (home screen, no session) a small screenshot. */
    reportDisplay(report: { cameraPresent: boolean | null; screenshot: { mime: 'image/jpeg' | 'image/png'; data: string } | null }): boolean {
      const changed = report.cameraPresent !== cameraPresent;
      cameraPresent = report.cameraPresent;
      // Never a picture of a citizen's session or of a staff screen: the host checks, whatever the window says.
      const accepted = report.screenshot !== null && deps.session.current() === null && deps.staffAuth.view() === null;
      if (accepted && report.screenshot) heartbeat.offerScreenshot({ takenAt: new Date(now()).toISOString(), ...report.screenshot });
      if (changed) heartbeat.poke();
      return accepted;
    },
    async stop(): Promise<void> {
      if (dailyTimer) clearTimeout(dailyTimer);
      if (startTimer) clearTimeout(startTimer);
      await heartbeat.stop();
    },
  };
}

export type Fleet = ReturnType<typeof createFleet>;
