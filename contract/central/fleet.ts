import { z } from 'zod';
import { VideoRecordingSettings } from '../video-recording.js';
import { DeviceStatus, IsoDate } from '../domain.js';
import { PrinterAssignment, StaffNumber, StaffRole } from '../staff.js';

/**
 * The fleet's wire contract (issue 13): what a kiosk tells central in its heartbeat, what central
 * answers (desired out-of-service state, configuration, one-shot commands, the audit anchor), the
 * settings central may push, and the self-test report. Kiosk and central both parse with these.
 */

// ───────────── Settings central may push (remote configuration) ─────────────

/** `HH:MM`, 00:00–24:00, Beijing time (contract/china-time.ts). */
export const ClockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');

/** One opening period of a day, e.g. 08:30–12:00; `close` after `open`. */
export const OpeningPeriod = z
  .object({ open: ClockTime, close: ClockTime })
  .strict()
  .refine((period) => period.open < period.close, { message: 'close must be after open' });
export type OpeningPeriod = z.infer<typeof OpeningPeriod>;

/**
 * A hall's opening hours (Beijing time). `week` has seven entries, Monday first, each the day's periods
 * (empty: closed all day). `exceptions` replace a date's periods: holidays (empty) and 调休 working days.
 * `nearest24h` names the nearest kiosk open around the clock, shown while this one is closed.
 */
export const OperatingHours = z
  .object({
    week: z.array(z.array(OpeningPeriod).max(4)).length(7),
    exceptions: z.array(z.object({ date: IsoDate, periods: z.array(OpeningPeriod).max(4) }).strict()).max(400).default([]),
    nearest24h: z.object({ name: z.string().min(2).max(60), address: z.string().min(2).max(120) }).strict().nullable().default(null),
  })
  .strict();
export type OperatingHours = z.infer<typeof OperatingHours>;

/** A staff account as pushed to kiosks (same shape as the kiosk's own `staff` configuration). */
export const PushedStaffAccount = z
  .object({ number: StaffNumber, name: z.string().min(1).max(20), role: StaffRole, pinHash: z.string().regex(/^scrypt\$/) })
  .strict();

/**
 * The settings of a kiosk that central may set (README "Remote configuration"). Every key optional: a
 * layer (master, district, hall, terminal) sets some, later layers override earlier ones key by key, and
 * the kiosk's own configuration file supplies the rest. Unknown keys are refused, so a typo is reported
 * with its path instead of being ignored.
 */
export const RemoteSettings = z
  .object({
    session: z
      .object({
        /** Idle end of a citizen session, s. */
        idleTimeoutSeconds: z.number().int().min(30).max(1800),
        /** Countdown before the idle end, s; ≥ 20 so anyone can ask for more time (DOMAIN.md §6). */
        idleWarningSeconds: z.number().int().min(20).max(300),
      })
      .strict()
      .partial(),
    voice: z.object({ /** Volume each session starts at, 0–1. */ volume: z.number().min(0).max(1) }).strict().partial(),
    /** null: open around the clock. */
    operatingHours: OperatingHours.nullable(),
    printers: PrinterAssignment.strict().partial(),
    receipt: z.object({ /** Receipt paper width, mm. */ paperWidthMm: z.union([z.literal(58), z.literal(80)]) }).strict().partial(),
    central: z.object({ url: z.url({ protocol: /^https?$/ }) }).strict().partial(),
    staff: z
      .array(PushedStaffAccount)
      .max(500)
      .refine((accounts) => new Set(accounts.map((account) => account.number)).size === accounts.length, { message: '工号 must be unique' }),
    fleet: z
      .object({
        /** Heartbeat period, s (jittered ±10 %). */
        heartbeatSeconds: z.number().int().min(2).max(3600),
        /** Daily self-test, Beijing time. */
        selfTestAt: ClockTime,
      })
      .strict()
      .partial(),
    /** 远程视频帮办 recording (issue 12), read by central only (contract/video-recording.ts); absent: never recorded. */
    videoRecording: VideoRecordingSettings,
  })
  .strict()
  .partial()
  .superRefine((settings, context) => {
    const { idleTimeoutSeconds, idleWarningSeconds } = settings.session ?? {};
    if (idleTimeoutSeconds !== undefined && idleWarningSeconds !== undefined && idleWarningSeconds >= idleTimeoutSeconds) {
      context.addIssue({ code: 'custom', path: ['session', 'idleWarningSeconds'], message: 'must be shorter than session.idleTimeoutSeconds' });
    }
  });
export type RemoteSettings = z.infer<typeof RemoteSettings>;

/** The keys of RemoteSettings, as `section` or `section.key` paths (for local overrides and reports). */
export const REMOTE_SETTING_SECTIONS = ['session', 'voice', 'operatingHours', 'printers', 'receipt', 'central', 'staff', 'fleet'] as const;

/**
 * Layers merged in this order: later ones override earlier ones key by key (objects merge, everything
 * else — arrays, null, numbers — replaces).
 */
export function mergeSettings(...layers: RemoteSettings[]): RemoteSettings {
  const merge = (base: unknown, over: unknown): unknown => {
    if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) result[key] = merge(result[key], value);
    return result;
  };
  return layers.reduce<unknown>((merged, layer) => merge(merged, layer), {}) as RemoteSettings;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A configuration scope: one master, then per district (GB/T 2260), per hall, per terminal. */
export const ConfigScope = z.enum(['master', 'district', 'hall', 'terminal']);
export type ConfigScope = z.infer<typeof ConfigScope>;

// ───────────── Self-test ─────────────

export const SelfTestCheckId = z.enum(['reader', 'sam', 'receipt-printer', 'document-printer', 'camera', 'disk', 'clock', 'central', 'outbox', 'key-protection']);
export type SelfTestCheckId = z.infer<typeof SelfTestCheckId>;

export const SelfTestCheck = z.object({
  id: SelfTestCheckId,
  outcome: z.enum(['pass', 'warn', 'fail', 'unknown']),
  /** Plain Chinese for the technician and the console: what was found. */
  summary: z.string().max(200),
  /** Technical detail (`paper-out`, `412 MB free`); never personal data. */
  detail: z.string().max(200).optional(),
});
export type SelfTestCheck = z.infer<typeof SelfTestCheck>;

export const SelfTestReport = z.object({
  at: z.string(),
  trigger: z.enum(['daily', 'on-demand', 'start', 'technician']),
  checks: z.array(SelfTestCheck).max(20),
  /** A failed check that stops service (reader, disk, outbox, key): the kiosk went out of service. */
  stopsService: z.boolean(),
});
export type SelfTestReport = z.infer<typeof SelfTestReport>;

// ───────────── Heartbeat ─────────────

export const OutOfServiceReason = z.enum(['storage', 'remote', 'self-test']);
export type OutOfServiceReason = z.infer<typeof OutOfServiceReason>;

export const FleetCommandKind = z.enum(['run-self-test', 'restart-host', 'fetch-logs']);
export type FleetCommandKind = z.infer<typeof FleetCommandKind>;

export const CommandResult = z.object({
  id: z.string().min(1).max(64),
  outcome: z.enum(['done', 'failed']),
  /** Technical note (`uploaded 200 lines`, `restarting`); no personal data. */
  note: z.string().max(200),
  at: z.string(),
});
export type CommandResult = z.infer<typeof CommandResult>;

/** The audit chain's newest entry, and the entry at the sequence central anchored last time. */
export const AuditHead = z.object({
  sequence: z.number().int().nonnegative(),
  /** MAC of the newest entry (hex), or 64 zeros for an empty chain. */
  mac: z.string().regex(/^[0-9a-f]{64}$/),
  /** The kiosk's own walk of the chain (AuditChain.verify). */
  intact: z.boolean(),
  /** The MAC this kiosk holds at the sequence central anchored (null: no such entry any more). */
  anchor: z.object({ sequence: z.number().int().positive(), mac: z.string().regex(/^[0-9a-f]{64}$/).nullable() }).nullable(),
});
export type AuditHead = z.infer<typeof AuditHead>;

/** A small screenshot of the idle home screen (never taken while a citizen's session is open). */
export const Screenshot = z.object({
  takenAt: z.string(),
  mime: z.enum(['image/jpeg', 'image/png']),
  /** Base64, at most ~150 kB decoded. */
  data: z.string().max(200_000).regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export type Screenshot = z.infer<typeof Screenshot>;

export const HeartbeatBody = z.object({
  sentAt: z.string(),
  /** The period this kiosk heartbeats at, s: central calls it silent after three missed. */
  intervalSeconds: z.number().int().min(1).max(3600),
  software: z.object({ version: z.string().max(40), catalogVersion: z.string().max(40) }),
  terminal: z.object({ hallName: z.string().max(60), divisionCode: z.string().regex(/^\d{6}$/) }),
  devices: z.array(DeviceStatus).max(16),
  /** Whether the renderer sees a camera (document camera); null when no window has reported. */
  cameraPresent: z.boolean().nullable(),
  outbox: z.object({
    pending: z.number().int().nonnegative(),
    needsStaff: z.number().int().nonnegative(),
    /** Age of the oldest unsent application, s; null when none waits. */
    oldestPendingSeconds: z.number().int().nonnegative().nullable(),
  }),
  diskFreeBytes: z.number().int().nonnegative().nullable(),
  /** Central's clock minus the kiosk's, ms, as the kiosk's central client learned it; null when unknown. */
  clockOffsetMs: z.number().int().nullable(),
  /** The last error event the host logged (`storage.failure`), or null. */
  lastErrorCode: z.string().max(80).nullable(),
  outOfService: z.object({ reasons: z.array(OutOfServiceReason).min(1), message: z.string().max(200) }).nullable(),
  /** Open now by the configured hours, and when it opens next (null when open or always open). */
  hours: z.object({ open: z.boolean(), nextOpening: z.string().nullable() }),
  /** A citizen session is open now. */
  sessionActive: z.boolean(),
  audit: AuditHead,
  config: z.object({
    /** The remote configuration version in force (null: none received yet). */
    appliedVersion: z.number().int().nonnegative().nullable(),
    /** A version that failed to apply and was rolled back, with why. */
    rejected: z.object({ version: z.number().int().nonnegative(), reason: z.string().max(300) }).nullable(),
    /** Settings a technician set on this kiosk that win over central's (`printers`, `devices.idCardReader`). */
    localOverrides: z.array(z.string().max(60)).max(20),
  }),
  selfTest: SelfTestReport.nullable(),
  screenshot: Screenshot.nullable(),
  commandResults: z.array(CommandResult).max(20),
});
export type HeartbeatBody = z.infer<typeof HeartbeatBody>;

export const FleetCommand = z.object({ id: z.string().min(1).max(64), kind: FleetCommandKind, issuedAt: z.string(), issuedBy: z.string().max(32) });
export type FleetCommand = z.infer<typeof FleetCommand>;

/** Central's answer to a heartbeat: what the kiosk should be, and what it should do once. */
export const HeartbeatAnswer = z.object({
  /** Out of service set from the console (message shown to citizens), or null. Desired state, sent every time. */
  outOfService: z.object({ message: z.string().max(200) }).nullable(),
  /** The configuration in force for this terminal, when its version differs from `config.appliedVersion`. */
  config: z.object({ version: z.number().int().nonnegative(), settings: z.unknown() }).nullable(),
  /** One-shot commands not yet reported done; a kiosk runs each id once. */
  commands: z.array(FleetCommand).max(20),
  /** The audit sequence central now holds as this terminal's anchor. */
  auditAnchor: z.object({ sequence: z.number().int().positive() }).nullable(),
});
export type HeartbeatAnswer = z.infer<typeof HeartbeatAnswer>;

/** `fetch-logs`: the kiosk's recent log lines, pseudonymised at the source and scrubbed again before upload. */
export const LogUploadBody = z.object({
  commandId: z.string().min(1).max(64),
  lines: z.array(z.object({ time: z.string().max(40), level: z.string().max(10), event: z.string().max(80), detail: z.string().max(500) })).max(500),
});
export type LogUploadBody = z.infer<typeof LogUploadBody>;
