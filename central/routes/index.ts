import type { TerminalConfiguration } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import type { Route } from '../http/routes.js';
import { caseRoutes } from './cases.js';
import { consoleFleetRoutes } from './console-fleet.js';
import { consoleSessionRoutes } from './console-session.js';
import { fleetRoutes } from './fleet.js';
import { catalogRoutes } from './catalog.js';
import { identityRoutes } from './identity.js';
import { licenceRoutes } from './licences.js';
import { staffPinCheck, staffRoutes, type StaffLimits } from './staff.js';
import { terminalRoutes } from './terminals.js';
import { consoleHelpRoutes } from './console-help.js';
import { helpCallRoutes } from './help-calls.js';
import { proofRoutes } from './proofs.js';
import { faceRoutes } from './face.js';
import { consoleVideoRecordingRoutes } from './console-video-recordings.js';
import { consoleCaseRoutes } from './console-cases.js';
import { ephemeralRecordingKey, recordingKeyFrom } from '../video/recording.js';

/** Options some resources take (from CentralOptions). */
export interface RouteOptions {
  /** Demo mode: synthesise an e-licence of any catalog type for any holder. */
  demoLicences?: boolean;
  /** Overrides of the configuration every terminal fetches. */
  configuration?: Partial<Omit<TerminalConfiguration, 'terminalId' | 'hallName'>>;
  /** Console sign-ins end after this long without a user action, ms. */
  consoleIdleMs?: number;
  /** Limits of staff sign-in attempts (routes/staff.ts DEFAULT_STAFF_LIMITS), terminals and consoles together. */
  staffLimits?: StaffLimits;
  /** 人证核验 reference photos (routes/face.ts): ID number → JPEG or PNG file; none: every check is unavailable. */
  faceReferences?: Readonly<Record<string, string>>;
  /** 远程视频帮办 recordings' AES-256-GCM key, 64 hex (central/video/recording.ts); absent: a key for this run only. */
  videoRecordingKey?: string;
}

/**
 * Every endpoint of central's /v1 API and of its consoles' /console/api/, by resource: one module per
 * resource exports its routes, and this table lists them. A new resource (help calls, proofs) is one
 * module in this folder, its store interface in store/store.ts, its tables in a new migration, and one
 * line here; a new console section adds its `console-<section>.ts` the same way.
 */
export function centralRoutes(context: CentralContext, options: RouteOptions = {}): Route[] {
  const checkPin = staffPinCheck(context, options.staffLimits);
  return [
    ...catalogRoutes(context),
    ...terminalRoutes(context, options.configuration),
    ...staffRoutes(context, checkPin),
    ...caseRoutes(context),
    ...identityRoutes(context),
    ...licenceRoutes(context, options.demoLicences),
    ...fleetRoutes(context),
    // Web consoles (/console/api/): sign-in, then one block of routes per section.
    ...consoleSessionRoutes(context, options.consoleIdleMs, checkPin),
    ...consoleFleetRoutes(context),
    // Help calls (issue 12): the kiosk's /v1 routes, then the console's 呼叫与帮办 section.
    ...helpCallRoutes(context),
    ...consoleHelpRoutes(context),
    ...proofRoutes(context),
    ...faceRoutes(context, options.faceReferences),
    ...consoleVideoRecordingRoutes(context, options.videoRecordingKey ? recordingKeyFrom(options.videoRecordingKey) : ephemeralRecordingKey()),
    ...consoleCaseRoutes(context),
  ];
}
