import { z } from 'zod';
import { ConfigScope, FleetCommandKind, HeartbeatBody, RemoteSettings } from './fleet.js';

/**
 * The API of central's web consoles (consoles/): staff sign in with 工号 + PIN against central's
 * accounts and get a bearer token (stored at central as a hash, idle-limited), then each section calls
 * its own endpoints under /console/api/. The fleet section's schemas are here; a staff section (issue 12)
 * adds its own beside them. The console parses every answer with these, central every request.
 */

/** Who may use the consoles: 工作人员 (staff), 运维 (technician), 管理 (manager, e.g. a hall's manager). */
export const ConsoleRole = z.enum(['staff', 'technician', 'manager']);
export type ConsoleRole = z.infer<typeof ConsoleRole>;

export const ConsoleSignInBody = z.object({ staffNumber: z.string().regex(/^[0-9A-Za-z]{2,16}$/), pin: z.string().regex(/^\d{4,12}$/) }).strict();
export type ConsoleSignInBody = z.infer<typeof ConsoleSignInBody>;

export const ConsoleSession = z.object({
  staffNumber: z.string(),
  name: z.string(),
  role: ConsoleRole,
  /** The token for `Authorization: Bearer …`; only in the sign-in answer. */
  token: z.string().optional(),
  /** Without a user action for this long the token stops working (idle sign-out), s. */
  idleSeconds: z.number().int().positive(),
  /** The token ends at this time whatever happens, ISO 8601. */
  expiresAt: z.string(),
});
export type ConsoleSession = z.infer<typeof ConsoleSession>;

/**
 * Requests a console makes on its own (polling a list) carry `x-console-activity: background`: they do not
 * count as the person's activity, so a console left open still signs out when idle.
 */
export const CONSOLE_ACTIVITY_HEADER = 'x-console-activity';

// ───────────── Fleet section ─────────────

export const TerminalState = z.enum(['serving', 'degraded', 'out-of-service', 'silent']);
export type TerminalState = z.infer<typeof TerminalState>;

export const AlertKind = z.enum([
  'silent',
  'out-of-service',
  'paper-out',
  'paper-low',
  'device-fault',
  'self-test-failed',
  'outbox-stuck',
  'clock-skew',
  'disk-low',
  'config-rejected',
  'audit-truncated',
]);
export type AlertKind = z.infer<typeof AlertKind>;

export const FleetAlert = z.object({
  id: z.string(),
  terminalId: z.string(),
  kind: AlertKind,
  /** Plain Chinese: what is wrong and what to do. */
  message: z.string(),
  raisedAt: z.string(),
  clearedAt: z.string().nullable(),
});
export type FleetAlert = z.infer<typeof FleetAlert>;

export const TerminalSummary = z.object({
  terminalId: z.string(),
  hall: z.string(),
  district: z.string(),
  state: TerminalState,
  lastSeen: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  /** Open alerts of this terminal. */
  alerts: z.array(z.object({ kind: AlertKind, message: z.string() })),
  pending: z.number().int().nullable(),
  configVersion: z.number().int().nullable(),
});
export type TerminalSummary = z.infer<typeof TerminalSummary>;

export const TerminalListQuery = z.object({
  district: z.string().max(6).optional(),
  hall: z.string().max(60).optional(),
  state: TerminalState.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TerminalListQuery = z.infer<typeof TerminalListQuery>;

export const TerminalPage = z.object({
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
  items: z.array(TerminalSummary),
  /** Terminals by state across the whole fleet (not just the filter). */
  counts: z.record(TerminalState, z.number().int().nonnegative()),
  /** Values for the filters. */
  districts: z.array(z.string()),
  halls: z.array(z.string()),
});
export type TerminalPage = z.infer<typeof TerminalPage>;

export const FleetCommandView = z.object({
  id: z.string(),
  kind: FleetCommandKind,
  issuedBy: z.string(),
  issuedAt: z.string(),
  /** null until the kiosk reports. */
  outcome: z.enum(['done', 'failed']).nullable(),
  note: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type FleetCommandView = z.infer<typeof FleetCommandView>;

export const ConfigLayerView = z.object({
  scope: ConfigScope,
  scopeId: z.string(),
  settings: RemoteSettings,
  version: z.number().int().nonnegative(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type ConfigLayerView = z.infer<typeof ConfigLayerView>;

export const TerminalDetail = z.object({
  summary: TerminalSummary,
  /** The latest heartbeat as received (screenshot apart), or null before the first. */
  heartbeat: HeartbeatBody.omit({ screenshot: true }).nullable(),
  screenshot: z.object({ takenAt: z.string(), dataUrl: z.string() }).nullable(),
  alerts: z.array(FleetAlert),
  history: z.array(z.object({ receivedAt: z.string(), state: TerminalState, pending: z.number().int(), needsStaff: z.number().int(), note: z.string() })),
  config: z.object({
    /** The version and settings central holds for this terminal (all layers merged). */
    version: z.number().int().nonnegative().nullable(),
    settings: RemoteSettings,
    layers: z.array(ConfigLayerView),
  }),
  outOfServiceSet: z.object({ message: z.string(), by: z.string(), at: z.string() }).nullable(),
  commands: z.array(FleetCommandView),
});
export type TerminalDetail = z.infer<typeof TerminalDetail>;

export const IssueCommandBody = z.object({ kind: FleetCommandKind }).strict();
export const SetOutOfServiceBody = z.object({ message: z.string().trim().min(2).max(200).nullable() }).strict();
export const PutConfigLayerBody = z.object({ settings: z.unknown() }).strict();

export const LogUploadView = z.object({
  commandId: z.string(),
  terminalId: z.string(),
  receivedAt: z.string(),
  lines: z.array(z.object({ time: z.string(), level: z.string(), event: z.string(), detail: z.string() })),
});

export const CONSOLE_PATHS = {
  signIn: '/console/api/sign-in',
  signOut: '/console/api/sign-out',
  me: '/console/api/me',
  terminals: '/console/api/fleet/terminals',
  terminal: (id: string) => `/console/api/fleet/terminals/${encodeURIComponent(id)}`,
  commands: (id: string) => `/console/api/fleet/terminals/${encodeURIComponent(id)}/commands`,
  outOfService: (id: string) => `/console/api/fleet/terminals/${encodeURIComponent(id)}/out-of-service`,
  alerts: '/console/api/fleet/alerts',
  configLayers: '/console/api/fleet/config',
  configLayer: (scope: string, scopeId: string) => `/console/api/fleet/config/${encodeURIComponent(scope)}/${encodeURIComponent(scopeId || '-')}`,
  logs: (commandId: string) => `/console/api/fleet/logs/${encodeURIComponent(commandId)}`,
} as const;
