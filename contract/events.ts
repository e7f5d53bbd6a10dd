import { z } from 'zod';
import { DeviceStatus, IdentityCard, IdentitySource, OutboxDepth, SessionEndReason } from './domain.js';
import { KioskInfo } from './channels.js';
import { KioskHelpCall } from './help-call.js';
import { StaffAlert, StaffSignOutReason } from './staff.js';
import { StaffCardRead } from './staff.js';
import { CentralSignal } from './video-call.js';
import { PrincipalCardRead } from './agency.js';

/** Everything the host may tell the UI unasked. */
export const events = {
  'device:status-changed': DeviceStatus,
  'identity:read': z.object({ identity: IdentityCard, source: IdentitySource }),
  /** A card could not be used; `message` is plain Chinese for the citizen. */
  'identity:rejected': z.object({ code: z.string(), message: z.string() }),
  'identity:card-removed': z.object({}),
  /**
   * The scanner read a code. Only what the host recognised crosses the bridge, never the raw text (a QR
   * may carry someone's personal data): a receipt's progress QR or a case number becomes `case`.
   */
  'scanner:scanned': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('case'), caseRef: z.string() }),
    z.object({ kind: z.literal('unrecognised') }),
    /** A 电子身份码 (issue 14): being verified at central; `identity:read` (source `e-code`) or `identity:rejected` follows. */
    z.object({ kind: z.literal('identity-code') }),
  ]),
  'session:idle-warning': z.object({ secondsLeft: z.number().int().nonnegative() }),
  /**
   * The card of a card-read session left the reader: the session ends in `secondsLeft` unless it is laid
   * back (the UI covers the screen meanwhile); null when it is back.
   */
  'session:card-absent': z.object({ secondsLeft: z.number().int().nonnegative().nullable() }),
  /** `cardOnReader`: a card still lies on the reader, so the UI reminds 请取走身份证 (screen and voice). */
  'session:ended': z.object({ reason: SessionEndReason, cardOnReader: z.boolean().optional() }),
  'outbox:depth-changed': OutboxDepth,
  /** The kiosk cannot keep what it would promise (disk full, storage fault): the UI shows 暂停服务 until `message` is null. */
  'kiosk:out-of-service': z.object({ message: z.string().nullable() }),
  /** The configuration in force changed (remote configuration): idle times, voice volume, opening hours. */
  'kiosk:info-changed': KioskInfo,
  /** Something needs a person (receipt kept for 补打, printer out of paper); no personal data. */
  'staff:alert': StaffAlert,
  /** The staff or technician sign-in ended (sign-out, idle): the UI leaves staff screens. */
  'staff:signed-out': z.object({ reason: StaffSignOutReason }),
  /** The kiosk's help call changed (sent, accepted, closed, cancelled); null once none is open. */
  'help:call-changed': KioskHelpCall.nullable(),
  /** 远程视频帮办: a signalling message from central (a staff member's start, offer/answer, ICE, highlight, end). */
  'video:signal': CentralSignal,
  /** 代办 (issue 12): the principal's card was read while the kiosk waited for it; the application is now theirs. */
  'agency:principal-read': PrincipalCardRead,
  /** 刷身份证登录 (issue 12): the card laid while the staff sign-in screen waited was read (registered or not). */
  'staff:card-read': StaffCardRead,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<Name extends EventName> = z.output<Events[Name]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
