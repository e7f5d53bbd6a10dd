import { z } from 'zod';
import { ApplicationDraft, CardType, CaseStatus, IdentityCard, IsoDate, Rating, Sex } from '../domain.js';
import { IdentityCheckRecord } from '../identity-assurance.js';
import { DeliveryChoice, IssuedProof } from '../proofs.js';
import { AgencySubmission, CaseAgency } from '../agency.js';

/**
 * The HTTP API between a kiosk and central, as schemas. The reference server parses every request
 * body with these, and the host's client parses every response: both sides fail loudly on drift.
 * Every /v1 request is signed as the terminal (contract/central/signing.ts).
 */

/** Who applies: what central needs to decide, no more (the photo never leaves the kiosk). */
export const Applicant = z.object({
  cardType: CardType,
  idNumber: z.string().min(6).max(36),
  name: z.string().max(120),
  sex: Sex,
  birthDate: IsoDate,
  validTo: IsoDate.nullable(),
  expired: z.boolean(),
});
export type Applicant = z.infer<typeof Applicant>;

export const SubmitApplicationBody = z.object({
  localNumber: z.string().min(6).max(40),
  serviceId: z.string(),
  draft: ApplicationDraft,
  applicant: Applicant,
  /** How identity was established on the kiosk. */
  identitySource: z.enum(['id-card', 'qr-code', 'staff-entered', 'e-code']),
  /** Staff number for 帮办代办, when assisted. */
  assistedBy: z.string().optional(),
  submittedAt: z.string(),
  /** 人证核验 done on the kiosk (issue 14): method, 工号 for 人工核验, outcome; never an image or a score. */
  identityCheck: IdentityCheckRecord.optional(),
  /** How a paper result reaches the applicant (窗口领取 / 邮寄 / 电子证照), for services whose result is a paper document (issue 15). */
  delivery: DeliveryChoice.optional(),
  /** 代办 (issue 12): the agent, how the principal was named, relationship and authorisation; `applicant` is the principal. */
  agency: AgencySubmission.optional(),
});
export type SubmitApplicationBody = z.infer<typeof SubmitApplicationBody>;

export const SubmitApplicationResponse = z.object({
  caseNumber: z.string(),
  localNumber: z.string(),
  status: CaseStatus,
  resultTitle: z.string().optional(),
  /** Plain-Chinese reasons when not approved at once or rejected. */
  reasons: z.array(z.string()).default([]),
  /** The 秒批 result as a sealed document (its real fields, SM2 seal, verification code), when approved at once (issue 15). */
  sealedResult: IssuedProof.optional(),
});
export type SubmitApplicationResponse = z.infer<typeof SubmitApplicationResponse>;

export const CaseRecord = z.object({
  caseNumber: z.string(),
  localNumber: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  status: CaseStatus,
  submittedAt: z.string(),
  rated: z.boolean(),
  /** The delivery chosen at submission, when the result is a paper document (issue 15). */
  delivery: DeliveryChoice.optional(),
  /** 代办 (issue 12): who applied for the holder (masked), the relationship and the authorisation kind. */
  agency: CaseAgency.optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

/** The cases of one applicant (办件查询 by ID card); the number travels in the signed body, never in a URL. */
export const CasesByApplicantBody = z.object({ idNumber: z.string().min(6).max(36) });
export const CasesByApplicantResponse = z.array(CaseRecord);

export const RatingBody = z.object({
  rating: Rating,
  channel: z.literal('self-service-terminal'),
  staffNumber: z.string().optional(),
});
export type RatingBody = z.infer<typeof RatingBody>;

// The heartbeat and the rest of the fleet's contract: contract/central/fleet.ts.
export { HeartbeatAnswer, HeartbeatBody, LogUploadBody } from './fleet.js';

export const LicenceLookupBody = z.object({ idNumber: z.string().min(6).max(36), licenceType: z.string().min(1).max(64) });

export const ProfileRequest = z.object({ idNumber: z.string().min(6).max(36) });

/**
 * 数据共享核验 before submission: which of a service's `shared-data` materials central could verify for this
 * person now, so the kiosk says 已通过数据共享核验 only for those (issue 9 item 5); the rest the citizen
 * supplies another way. Materials that are not `shared-data` in the catalog are never listed as verified.
 */
export const SharedDataCheckBody = z.object({
  idNumber: z.string().min(6).max(36),
  serviceId: z.string().min(1).max(100),
  materialIds: z.array(z.string().min(1).max(64)).max(50),
});
export const SharedDataCheckResponse = z.object({ verified: z.array(z.string()) });
export type SharedDataCheckResponse = z.infer<typeof SharedDataCheckResponse>;

/** `/health`: central is up. Unsigned on the reference service; the kiosk signs it anyway (harmless). */
export const HealthResponse = z.object({ ok: z.literal(true) });

export const ProfileResponse = z.object({
  mobile: z.string().optional(),
  address: z.string().optional(),
  enterpriseName: z.string().optional(),
  creditCode: z.string().optional(),
});

/** Central's answer to a rating: `accepted: false` when the case was already rated (一事一评). */
export const RatingAck = z.object({ accepted: z.boolean(), caseNumber: z.string() });
export type RatingAck = z.infer<typeof RatingAck>;

/** Settings central keeps per terminal, fetched at start and cached for offline use. */
export const TerminalConfiguration = z.object({
  terminalId: z.string(),
  hallName: z.string(),
  idleTimeoutSeconds: z.number().int().positive(),
  idleWarningSeconds: z.number().int().positive(),
  /** Hours after central's acknowledgement when the kiosk purges its copy of the personal data. */
  purgeAfterHours: z.number().positive(),
  catalogVersion: z.string(),
});
export type TerminalConfiguration = z.infer<typeof TerminalConfiguration>;

/** Staff sign-in on the kiosk (帮办代办, technician screen); central owns the accounts and the lockout. */
export const StaffSignInBody = z.object({ staffNumber: z.string().min(3).max(32), pin: z.string().min(4).max(64) });
export type StaffSignInBody = z.infer<typeof StaffSignInBody>;

export const StaffSignInResponse = z.object({
  staffNumber: z.string(),
  name: z.string(),
  role: z.enum(['staff', 'technician']),
  /** Opaque token for this terminal only, valid until `expiresAt`. */
  token: z.string(),
  expiresAt: z.string(),
});
export type StaffSignInResponse = z.infer<typeof StaffSignInResponse>;

/** Error body of every non-2xx answer. `code` is stable; `message` is plain Chinese. */
export const ApiError = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

export const CENTRAL_PATHS = {
  /** Liveness, unsigned on the reference service: what the kiosk's reachability monitor asks. */
  health: '/health',
  catalog: '/v1/catalog',
  applications: '/v1/applications',
  caseByRef: (ref: string) => `/v1/cases/${encodeURIComponent(ref)}`,
  casesByApplicant: '/v1/cases/by-applicant',
  ratings: '/v1/ratings',
  heartbeat: '/v1/heartbeat',
  profile: '/v1/profile',
  licences: '/v1/e-licences',
  sharedData: '/v1/shared-data/check',
  configuration: '/v1/configuration',
  staffSignIn: '/v1/staff/sign-in',
  /** `fetch-logs`: the kiosk uploads its pseudonymised log lines (contract/central/fleet.ts). */
  fleetLogs: '/v1/fleet/logs',
  /** 电子身份码: verify a scanned code (IdentityCodeBody → IdentityCodeAnswer). */
  identityCode: '/v1/identity/code',
  /** Reference central only, for demo mode: issue a fresh code for one of its demo population. */
  identityCodeIssue: '/v1/identity/code/issue',
  /** 代办 (issue 12): does this ID number belong to a resident of this name (PopulationCheckBody → PopulationCheckAnswer, contract/agency.ts)? */
  populationCheck: '/v1/identity/population-check',
} as const;

/**
 * 电子身份码 (爱山东 QR login, issue 14): the scanner's text, sent by the terminal (signed) for central to
 * verify. Central answers with the verified identity, or why not (`expired`, `invalid`): never both.
 */
export const IdentityCodeBody = z.object({ code: z.string().min(16).max(512) }).strict();
export const IdentityCodeAnswer = z.discriminatedUnion('verified', [
  z.object({ verified: z.literal(true), identity: IdentityCard }),
  z.object({ verified: z.literal(false), reason: z.enum(['expired', 'invalid']) }),
]);
export type IdentityCodeAnswer = z.infer<typeof IdentityCodeAnswer>;
/** Demo issue: which demo person (by index into central's demo population); answers the code's text and expiry. */
export const IdentityCodeIssueBody = z.object({ person: z.number().int().min(0).max(99) }).strict();
export const IdentityCodeIssued = z.object({ code: z.string(), expiresAt: z.string() });
