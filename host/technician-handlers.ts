import type { KioskInfo } from '../contract/channels.js';
import type { Handlers } from '../contract/derive.js';
import { fail, ok } from '../contract/result.js';
import type { PrinterAssignment } from '../contract/staff.js';
import type { CatalogService } from './services/catalog.js';
import type { DeviceOverridesFile } from './services/device-overrides.js';
import type { DeviceSet } from './services/devices.js';
import type { Drainer } from './services/drainer.js';
import type { Outbox } from './services/outbox.js';
import type { PrintingService } from './services/printing.js';
import type { SpeechService } from './services/speech/speech-service.js';
import type { AuditSink, StaffAuth } from './services/staff-auth.js';
import type { StorageHealth } from './services/storage-health.js';
import { recentLogLines, type TechnicianService } from './services/technician.js';
import { asStaff } from './staff-handlers.js';

/** The channels of technician mode (audience `technician`); host/main.ts merges them into the handlers. */
export type TechnicianChannel =
  | 'device:list-details'
  | 'device:probe'
  | 'device:test-read'
  | 'device:configure'
  | 'printer:test-page'
  | 'printer:assign'
  | 'diagnostics:get'
  | 'voice:get-engine'
  | 'kiosk:acknowledge-storage-fault';

export interface TechnicianServices {
  auth: StaffAuth;
  technician: TechnicianService;
  audit: AuditSink;
  /** Entries and chain check of the audit trail, for diagnostics. */
  auditStatus: () => { entries: number; intact: boolean };
  devices: DeviceSet;
  printing: PrintingService;
  overrides: DeviceOverridesFile;
  outbox: Outbox;
  drainer: Drainer;
  catalog: CatalogService;
  info: () => KioskInfo;
  keyProtection: string;
  storage: Pick<StorageHealth, 'view' | 'acknowledge'>;
  /** Central's clock minus ours (ms), as the central client learned it. */
  clockOffsetMs: () => number;
  logFile: string;
  speech: SpeechService;
}

export function createTechnicianHandlers(services: TechnicianServices): Pick<Handlers, TechnicianChannel> {
  const { auth, technician, audit, devices, printing, overrides } = services;

  return {
    'device:list-details': asStaff<'device:list-details'>(auth, () => ok(technician.details())),

    'device:probe': asStaff<'device:probe'>(auth, async (_request, actor) => {
      const report = await technician.probe();
      const found = report.answers.filter((answer) => answer.answered).map((answer) => answer.port);
      audit.append({ actor, event: 'device.probe', outcome: found.length ? `answered ${found.join(', ')}` : 'none answered' });
      return ok(report);
    }),

    'device:test-read': asStaff<'device:test-read'>(auth, async ({ timeoutSeconds }, actor) => {
      const result = await technician.testRead(timeoutSeconds * 1000);
      auth.touch(); // waiting for the card was activity too
      audit.append({ actor, event: 'device.test-read', subject: 'id-card-reader', outcome: result.outcome === 'read-error' ? `read-error ${result.code}` : result.outcome });
      return ok(result);
    }),

    'device:configure': asStaff<'device:configure'>(auth, async ({ setting }, actor) => {
      const result = await technician.configureReader(setting, actor);
      return result.ok ? ok(result.details) : fail(result.code, result.message);
    }),

    'printer:test-page': asStaff<'printer:test-page'>(auth, async ({ printerId }, actor) => {
      const status = devices.statuses().find((device) => device.id === printerId);
      const outcome = await printing.printTestPage(printerId, {
        hallName: services.info().hallName,
        terminalId: services.info().terminalId,
        printerId,
        port: status?.port ?? '-',
        printedAt: new Date().toISOString(),
        technician: actor.replace(/^staff:/, ''),
      });
      audit.append({ actor, event: 'printer.test-page', subject: printerId, outcome: outcome.printed ? 'printed' : `not-printed ${outcome.reason ?? ''}`.trim() });
      return ok({ printerId, ...outcome });
    }),

    'printer:assign': asStaff<'printer:assign'>(auth, (assignment, actor) => {
      const missing = missingPrinter(assignment, devices);
      if (missing) return fail('no-device', missing);
      const before = printing.getAssignment();
      overrides.update((current) => ({ ...current, printers: assignment }));
      printing.assign(assignment);
      audit.append({ actor, event: 'printer.assign', outcome: `receipts ${before.receipts}→${assignment.receipts}; documents ${before.documents}→${assignment.documents}` });
      return ok(printing.getAssignment());
    }),

    'voice:get-engine': asStaff<'voice:get-engine'>(auth, async () => ok(await services.speech.describe())),

    'diagnostics:get': asStaff<'diagnostics:get'>(auth, () => {
      const info = services.info();
      return ok({
        terminalId: info.terminalId,
        version: info.version,
        mode: info.mode,
        outbox: { ...services.outbox.depth(), online: services.drainer.online },
        catalog: { version: services.catalog.version, source: services.catalog.source },
        storageFault: services.storage.view(),
        clockOffsetMs: services.clockOffsetMs(),
        keyProtection: services.keyProtection,
        audit: services.auditStatus(),
        printAssignment: printing.getAssignment(),
        recentLog: recentLogLines(services.logFile),
      });
    }),

    'kiosk:acknowledge-storage-fault': asStaff<'kiosk:acknowledge-storage-fault'>(auth, (_request, actor) => services.storage.acknowledge(actor)),
  };
}

/** Plain Chinese when the assignment names a printer this kiosk does not have. */
export function missingPrinter(assignment: PrinterAssignment, devices: DeviceSet): string | null {
  if (assignment.receipts === 'receipt-printer' && !devices.receiptPrinter) return '本机没有凭条打印机，回执只能交给文书（A4）打印机';
  if (assignment.receipts === 'document-printer' && !devices.documentPrinter) return '本机没有文书（A4）打印机，不能用它打印回执';
  if (assignment.documents === 'document-printer' && !devices.documentPrinter) return '本机没有文书（A4）打印机，请选择“不打印，请到窗口领取”';
  return null;
}
