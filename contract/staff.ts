import { z } from 'zod';
import { DeviceStatus, OutboxDepth } from './domain.js';

/**
 * What staff and technicians see and change on the kiosk (ARCHITECTURE.md "Sessions and modes"):
 * sign-in, device set-up, test read, test print, printer assignment, diagnostics, pending prints.
 * Nothing here carries a citizen's personal data: jobs are named by local/case number only, a test
 * read comes back masked, log lines come back as event names and technical fields.
 */

// ───────────── Sign-in (DOMAIN.md §7: unique accounts, lockout, idle logout) ─────────────

export const StaffRole = z.enum(['staff', 'technician']);
export type StaffRole = z.infer<typeof StaffRole>;

/** 工号: digits or letters, as printed on the staff card. */
export const StaffNumber = z.string().regex(/^[0-9A-Za-z]{2,16}$/);
/** PINs are digits only: they are typed on the on-screen pad. */
export const StaffPin = z.string().regex(/^\d{4,12}$/);

export const StaffSignIn = z.object({ number: StaffNumber, pin: StaffPin }).strict();

/**
 * 刷身份证登录 (issue 12): the PIN typed after the staff member's own ID card was read on the staff sign-in
 * screen. The card is the first factor (held by the host as an HMAC, never sent by the UI), the PIN the second.
 */
export const StaffCardSignIn = z.object({ pin: StaffPin }).strict();

/**
 * An account's `idCardHash`: HMAC-SHA256 (RFC 2104, FIPS 180-4) of the holder's ID number (GB 11643, check
 * character upper-case) under the deployment's card key, lower-case hex (64 characters). Never the number.
 */
export const IdCardHash = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What the staff sign-in screen learns of a card laid while it waited (`staff:card-read`): whether an account
 * carries it (then the PIN is asked), or not (the plain message says to use 工号 and 密码). No name, no number.
 */
export const StaffCardRead = z.object({ registered: z.boolean(), message: z.string() });
export type StaffCardRead = z.infer<typeof StaffCardRead>;

export const StaffView = z.object({
  number: z.string(),
  name: z.string(),
  role: StaffRole,
  signedInAt: z.string(),
  /** When the sign-in ends unless something is done before (idle sign-out). */
  idleDeadline: z.string(),
});
export type StaffView = z.infer<typeof StaffView>;

export const StaffSignOutReason = z.enum(['signed-out', 'idle', 'replaced']);
export type StaffSignOutReason = z.infer<typeof StaffSignOutReason>;

// ───────────── Alerts ─────────────

export const StaffAlertKind = z.enum([
  'print-pending',
  'printer-not-ready',
  'outbox-needs-staff',
  /** This kiosk's clock is far from central's: requests are signed with central's time meanwhile. */
  'clock-skew',
  /** Central answered with a redirect, which is never followed: the central URL needs a technician. */
  'central-misconfigured',
  /** The outbox (or its key) was found damaged: out of service until a technician acknowledges it. */
  'storage-damaged',
  /** Central knows a local number of this kiosk as another application: the numbering needs a technician. */
  'local-number-conflict',
  /** A proof from central failed its SM2 seal check and was not printed: key configuration or the link needs a technician. */
  'seal-invalid',
]);
export const StaffAlert = z.object({
  id: z.string(),
  kind: StaffAlertKind,
  /** Plain Chinese for staff: what happened and what to do. */
  message: z.string(),
  /** Local or case number the alert is about, when there is one (not personal data). */
  reference: z.string().optional(),
  at: z.string(),
});
export type StaffAlert = z.infer<typeof StaffAlert>;

// ───────────── Print jobs kept for staff (DOMAIN.md §3, issue 6) ─────────────

export const PrintJobView = z.object({
  jobId: z.string(),
  document: z.string(),
  /** Plain Chinese name of the document (受理回执 …). */
  documentLabel: z.string(),
  localNumber: z.string(),
  caseNumber: z.string().nullable(),
  createdAt: z.string(),
  attempts: z.number().int().nonnegative(),
  /** Why the last attempt did not print (`paper-out` …), for staff. */
  lastReason: z.string().nullable(),
  /** False once the outbox record was purged: it can no longer be rendered again. */
  reprintable: z.boolean(),
});
export type PrintJobView = z.infer<typeof PrintJobView>;

export const ReprintOutcome = z.object({
  printed: z.boolean(),
  /** Plain Chinese when not printed: why and what to do. */
  notice: z.string().optional(),
});
export type ReprintOutcome = z.infer<typeof ReprintOutcome>;

// ───────────── Technician: devices ─────────────

export const DeviceDetails = DeviceStatus.extend({
  /** How this device is chosen now: the configuration file, or a technician's override. */
  setting: z.string(),
  /** Plain Chinese summary for the device card. */
  summary: z.string(),
});
export type DeviceDetails = z.infer<typeof DeviceDetails>;

export const ProbeAnswer = z.object({
  /** `/dev/ttyUSB0@115200`, `hid:0400:c35a`, `simulated`. */
  port: z.string(),
  answered: z.boolean(),
  samId: z.string().optional(),
  /** Why the port was not probed or did not answer (`belongs-to-receipt-printer`, `in-use-by-reader`, `silent`). */
  note: z.string().optional(),
});
export const ProbeReport = z.object({
  startedAt: z.string(),
  durationMs: z.number().int().nonnegative(),
  answers: z.array(ProbeAnswer),
  /** Other devices' status, asked again now. */
  devices: z.array(DeviceStatus),
});
export type ProbeReport = z.infer<typeof ProbeReport>;

/** A test read comes back masked: a technician checks the reader, not the citizen. */
export const TestReadResult = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('read'),
    cardType: z.string(),
    nameMasked: z.string(),
    idNumberMasked: z.string(),
    expired: z.boolean(),
    hasPhoto: z.boolean(),
    /** From the reader noticing the card to the decoded identity. */
    readMs: z.number().int().nonnegative().nullable(),
    /** From the request to the decoded identity (includes waiting for the card). */
    totalMs: z.number().int().nonnegative(),
  }),
  z.object({ outcome: z.literal('read-error'), code: z.string(), message: z.string(), totalMs: z.number().int().nonnegative() }),
  z.object({ outcome: z.literal('no-card'), message: z.string(), totalMs: z.number().int().nonnegative() }),
]);
export type TestReadResult = z.infer<typeof TestReadResult>;

export const ReaderSetting = z.discriminatedUnion('kind', [
  /** Back to whatever the configuration file says (the simulator in demo mode). */
  z.object({ kind: z.literal('configured') }),
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('serial'), path: z.string().regex(/^(\/dev\/[A-Za-z0-9._/-]{1,60}|COM\d{1,3})$/), baudRate: z.number().int().refine((rate) => [9600, 19200, 38400, 57600, 115200].includes(rate)) }),
  z.object({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    /** Report ID of a reader with numbered reports (1–255); 0 for one without. */
    reportId: z.number().int().min(0).max(255).default(0),
  }),
]);
export type ReaderSetting = z.infer<typeof ReaderSetting>;

// ───────────── Technician: printers ─────────────

export const PrinterAssignment = z.object({
  /** Which printer prints 受理回执: the ESC/POS roll printer, or the A4 printer when the roll printer is broken. */
  receipts: z.enum(['receipt-printer', 'document-printer']),
  /** Which printer prints A4 documents (certificates, notices); `none` sends citizens to the window. */
  documents: z.enum(['document-printer', 'none']),
});
export type PrinterAssignment = z.infer<typeof PrinterAssignment>;

export const TestPrintOutcome = z.object({
  printerId: z.string(),
  printed: z.boolean(),
  /** Reason code when not printed. */
  reason: z.string().optional(),
  message: z.string(),
});
export type TestPrintOutcome = z.infer<typeof TestPrintOutcome>;

// ───────────── Technician: storage faults (issue 10, kind 2) ─────────────

/** A storage fault on record: the kiosk is out of service until a technician acknowledges it. No personal data. */
export const StorageFaultView = z.object({
  since: z.string(),
  /** What was found: `quick_check` words, `outbox file missing` … */
  problems: z.array(z.string()),
  /** Damaged files moved aside (still sealed). */
  setAside: z.array(z.string()),
  salvagedRows: z.number().int().nonnegative(),
  unreadableRows: z.number().int().nonnegative(),
  /** Local numbers of acknowledged applications whose record was lost: listed for staff. */
  lost: z.array(z.string()),
});
export type StorageFaultView = z.infer<typeof StorageFaultView>;

// ───────────── Technician: diagnostics ─────────────

export const Diagnostics = z.object({
  terminalId: z.string(),
  version: z.string(),
  mode: z.enum(['demo', 'live']),
  outbox: OutboxDepth,
  catalog: z.object({ version: z.string(), source: z.string() }),
  /** The storage fault on record (the kiosk is out of service until it is acknowledged), or null. */
  storageFault: StorageFaultView.nullable(),
  /** Central's clock minus this kiosk's, ms, learned from central's answers; requests are signed with central's time. */
  clockOffsetMs: z.number().int(),
  /** Where the outbox key is kept: `os-keyring` or `key-file`. */
  keyProtection: z.string(),
  audit: z.object({ entries: z.number().int().nonnegative(), intact: z.boolean() }),
  printAssignment: PrinterAssignment,
  /** Recent host log lines: time, level, event and technical fields only. */
  recentLog: z.array(z.object({ time: z.string(), level: z.string(), event: z.string(), detail: z.string() })),
});
export type Diagnostics = z.infer<typeof Diagnostics>;
