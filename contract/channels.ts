import { z } from 'zod';
import { LifeCycle, Service, ServiceSummary, Stage } from './catalog.js';
import { ProofCopies, ProofOffer, ProofPreview, ProofPrintOutcome } from './proof-kiosk.js';
import { DeliveryChoice } from './proofs.js';
import { OperatingHours, SelfTestReport } from './central/fleet.js';
import { channel } from './define.js';
import { HelpCallRequest, KioskHelpCall } from './help-call.js';
import { FaceVerifyImage, FaceVerifyResult } from './face.js';
import { HandwritingCandidates, HandwritingRequest, PinyinCandidates, PinyinCandidatesRequest } from './ime.js';
import { SpeechEngineInfo, SpeechRequest, SynthesisedSpeech } from './speech.js';
import { FaceAttemptOutcome } from './identity-assurance.js';
import { KioskSignal } from './video-call.js';
import { TodayCases, TodayFilter } from './staff-today.js';
import { AgencyBeginAnswer, AgencySetRequest, AgencyView, PrincipalCheckAnswer, PrincipalCheckRequest } from './agency.js';
import {
  ApplicationDraft,
  CaseStatus,
  DeviceStatus,
  ELicence,
  FieldValue,
  IdentityCard,
  IdentitySource,
  OutboxDepth,
  OutboxEntry,
  Rating,
  SessionEndReason,
  SubmissionOutcome,
} from './domain.js';
import { DeviceDetails, Diagnostics, PrintJobView, PrinterAssignment, ProbeReport, ReaderSetting, ReprintOutcome, StaffAlert, StaffSignIn, StaffView, TestPrintOutcome, TestReadResult } from './staff.js';
import { StaffCardSignIn } from './staff.js';

const Empty = z.object({}).strict();

export const KioskInfo = z.object({
  terminalId: z.string(),
  hallName: z.string(),
  divisionCode: z.string(),
  mode: z.enum(['demo', 'live']),
  version: z.string(),
  catalogVersion: z.string(),
  /** Seconds of inactivity before the session ends (the countdown starts `idleWarningSeconds` earlier). */
  idleTimeoutSeconds: z.number().int().positive(),
  idleWarningSeconds: z.number().int().positive(),
  /** Why the kiosk takes no applications (a storage fault), or null: a window that loads late still knows. */
  outOfService: z.string().nullable(),
  /** The hall's opening hours (Beijing time), or null when open around the clock; outside them no new session starts. */
  operatingHours: OperatingHours.nullable(),
  /** Voice volume each session starts at, 0–1 (configuration `voice.volume`); the citizen changes it with 音量 − / +. */
  voiceVolume: z.number().min(0).max(1),
});
export type KioskInfo = z.infer<typeof KioskInfo>;

export const SessionView = z.object({
  sessionId: z.string(),
  serviceId: z.string().nullable(),
  identity: IdentityCard.nullable(),
  identitySource: IdentitySource.nullable(),
  startedAt: z.string(),
  /** 帮办 (issue 12): 工号 of the assistant working beside the citizen, or null/absent. */
  assistedBy: z.string().nullable().optional(),
  /** 代办 (issue 12): the agent and principal (masked), relationship and authorisation kind; null/absent for 本人办理. */
  agency: AgencyView.nullable().optional(),
});
export type SessionView = z.infer<typeof SessionView>;

export const CaseProgress = z.object({
  caseRef: z.string(),
  caseNumber: z.string().nullable(),
  serviceName: z.string(),
  status: CaseStatus,
  submittedAt: z.string(),
  rated: z.boolean(),
  /** A `queued` application that no retry can send (central refused it): staff must act, not the network. */
  needsStaff: z.boolean().optional(),
});
export type CaseProgress = z.infer<typeof CaseProgress>;

/** 读卡查询: the holder's cases, with a notice when only part of them could be shown. */
export const MyCases = z.object({
  cases: z.array(CaseProgress),
  /** e.g. central unreachable: only the applications still waiting on this kiosk are listed. */
  notice: z.string().nullable(),
});
export type MyCases = z.infer<typeof MyCases>;

/**
 * Error codes the UI tells apart (every error also carries a plain-Chinese `message`). Not found and
 * unreachable are different answers: 未查到您的电子证照 tells a citizen they have none, which is false when
 * central simply could not be asked (issue 9 item 5).
 */
export const ErrorCode = {
  /** Central cannot be asked now (network down, timeout, central refusing): nothing was decided; later, or another way. */
  centralUnavailable: 'central-unavailable',
  /** Central answered: it holds no e-licence of that type for this person. */
  licenceNotFound: 'licence-not-found',
  /** This session has submitted its application: it may rate and query, not submit or start another. */
  sessionFinished: 'session-finished',
  /** The applicant fails an eligibility rule the card and answers decide (contract/flow.ts `eligibilityProblems`). */
  notEligible: 'not-eligible',
  /** The service asks for 人证核验 (issue 14) and none has passed for the session's identity. */
  identityCheckNeeded: 'identity-check-needed',
} as const;

/** 数据共享核验 of the session's `shared-data` materials for one service: the ids central verified. */
export const SharedDataCheck = z.object({ verified: z.array(z.string()) });
export type SharedDataCheck = z.infer<typeof SharedDataCheck>;

/**
 * Every request the UI may make of the host. The preload's `window.kiosk`, the WebSocket dispatch and
 * the renderer's client are all derived from this object; add a channel here and implement it in
 * host/main.ts (the compiler insists).
 */
export const channels = {
  'kiosk:get-info': channel(Empty, KioskInfo),
  'catalog:get-tree': channel(Empty, z.object({ version: z.string(), stages: z.array(Stage), services: z.array(ServiceSummary) })),
  /** Hanzi, full pinyin, pinyin initials or everyday words (synonyms kept in the catalog). */
  'catalog:search': channel(z.object({ query: z.string().max(40), limit: z.number().int().min(1).max(50).default(12) }).strict(), z.array(ServiceSummary)),
  'catalog:get-service': channel(z.object({ serviceId: z.string().min(1).max(100) }).strict(), Service),
  'session:start': channel(z.object({ serviceId: z.string().min(1).max(100).nullable() }).strict(), SessionView),
  'session:get': channel(Empty, SessionView.nullable()),
  'session:end': channel(z.object({ reason: SessionEndReason }).strict(), z.object({ wiped: z.boolean() })),
  /** The UI reports activity so the host's idle timer (the authority) restarts. */
  'session:touch': channel(Empty, z.object({ idleDeadline: z.string() })),
  'device:list-status': channel(Empty, z.array(DeviceStatus)),
  /** Initial form values from the card and central's shared profile (人口库/法人库). */
  'application:prefill': channel(z.object({ serviceId: z.string().min(1).max(100) }).strict(), z.record(z.string(), FieldValue)),
  /**
   * The session holder's e-licences of one type, fetched from central with their consent (材料免提交).
   * Fails `licence-not-found` when central holds none, `central-unavailable` when it cannot be asked now.
   */
  'licence:lookup': channel(z.object({ licenceType: z.string().min(1).max(64) }).strict(), z.array(ELicence).min(1)),
  /** Which `shared-data` materials of the service central verified for the session holder; `central-unavailable` offline. */
  'materials:check-shared': channel(z.object({ serviceId: z.string().min(1).max(100) }).strict(), SharedDataCheck),
  /**
   * Refused `session-finished` once the session has submitted, `not-eligible` when an eligibility rule fails.
   * `delivery` is required for a service whose result is paper (catalog `paperResult`), ignored otherwise.
   */
  'application:submit': channel(ApplicationDraft.extend({ delivery: DeliveryChoice.optional() }), SubmissionOutcome),
  'case:get-progress': channel(z.object({ caseRef: z.string().min(4).max(64) }).strict(), CaseProgress),
  /** The session holder's cases (read from the ID card), newest first; fails with `no-identity` before a card is read. */
  'case:list-mine': channel(Empty, MyCases),
  'rating:submit': channel(Rating, z.object({ accepted: z.boolean() })),
  /**
   * 不满意 asks for a phone number for the 回访: the session holder's mobile from central's shared profile
   * (人口库), or null without a card read or while central cannot be reached (the citizen types it).
   */
  'rating:contact': channel(Empty, z.object({ mobile: z.string().nullable() })),
  'outbox:get-depth': channel(Empty, OutboxDepth),
  /**
   * The window tells the host whether it sees a camera and, on the idle home screen only, hands a small
   * screenshot for the heartbeat; the host refuses the picture while a session or staff sign-in is open.
   */
  'fleet:report-display': channel(
    z.object({ cameraPresent: z.boolean().nullable(), screenshot: z.object({ mime: z.enum(['image/jpeg', 'image/png']), data: z.string().max(200_000).regex(/^[A-Za-z0-9+/]*={0,2}$/) }).nullable() }).strict(),
    z.object({ accepted: z.boolean() }),
  ),
  /** Pinyin panel: candidates for the letters typed so far (stateless; contract/ime.ts). */
  'ime:pinyin-candidates': channel(PinyinCandidatesRequest, PinyinCandidates),
  /** Handwriting panel: characters for the strokes drawn so far, best first. */
  'ime:recognise-handwriting': channel(HandwritingRequest, HandwritingCandidates),
  /**
   * Speaks a prompt with the host's engine (espeak-ng) when the platform has no Chinese voice; the renderer
   * plays the WAV. Fails `voice-unavailable` (no engine) or `voice-refused` (the text looks personal).
   */
  'voice:synthesise': channel(SpeechRequest, SynthesisedSpeech),
  /** Technician: which engine the host would speak with, and whether it works. */
  'voice:get-engine': channel(Empty, SpeechEngineInfo, 'technician'),
  /** Staff: everything central has not acknowledged, needs-staff first. */
  'outbox:list-pending': channel(Empty, z.array(OutboxEntry), 'staff'),
  /** Staff: back to the queue after fixing the cause, one item or (no number) every needs-staff item; audited. */
  'outbox:requeue': channel(z.object({ localNumber: z.string().min(6).max(64).optional() }).strict(), z.object({ requeued: z.number().int().nonnegative() }), 'staff'),
  // Staff and technician mode (contract/staff.ts). Signing in is open to the kiosk screen; the
  // host then adds the account's audience, and every call below checks it.
  'staff:sign-in': channel(StaffSignIn, StaffView),
  'staff:sign-out': channel(Empty, z.object({ signedOut: z.boolean() })),
  'staff:get': channel(Empty, StaffView.nullable()),
  'staff:list-alerts': channel(Empty, z.array(StaffAlert), 'staff'),
  /** Receipts that did not print (paper out …) and are kept for 补打. */
  'print:list-pending': channel(Empty, z.array(PrintJobView), 'staff'),
  /** Renders the job again from its outbox record and prints it; audited with the staff number. */
  'print:reprint': channel(z.object({ jobId: z.uuid() }).strict(), ReprintOutcome, 'staff'),
  /** The citizen took the QR instead: the job leaves the pending list (kept in the journal). */
  'print:dismiss': channel(z.object({ jobId: z.uuid() }).strict(), z.object({ dismissed: z.boolean() }), 'staff'),
  'device:list-details': channel(Empty, z.array(DeviceDetails), 'technician'),
  /** Searches every port for an ID-card reader now and says what answered where. */
  'device:probe': channel(Empty, ProbeReport, 'technician'),
  /** Waits for one card and returns it masked, with timing; the card does not start a citizen session. */
  'device:test-read': channel(z.object({ timeoutSeconds: z.number().int().min(1).max(60).default(20) }).strict(), TestReadResult, 'technician'),
  /** Sets the reader's port (or back to auto / the configuration file); applied live, persisted, audited. */
  'device:configure': channel(z.object({ deviceId: z.literal('id-card-reader'), setting: ReaderSetting }).strict(), DeviceDetails, 'technician'),
  'printer:test-page': channel(z.object({ printerId: z.enum(['receipt-printer', 'document-printer']) }).strict(), TestPrintOutcome, 'technician'),
  'printer:assign': channel(PrinterAssignment.strict(), PrinterAssignment, 'technician'),
  'diagnostics:get': channel(Empty, Diagnostics, 'technician'),
  /** Runs the self-test now (reader, SAM, printers, camera, disk, clock, central, outbox, key); audited. */
  'fleet:run-self-test': channel(Empty, SelfTestReport, 'technician'),
  /** The latest self-test (daily, at start, on demand), or null before the first. */
  'fleet:get-self-test': channel(Empty, SelfTestReport.nullable(), 'technician'),
  /** The technician has seen a storage fault: back in service if the outbox on disk is sound; audited. */
  'kiosk:acknowledge-storage-fault': channel(Empty, z.object({ acknowledged: z.boolean() }), 'technician'),
  /** Demo mode only: place a fixture card on the simulated reader, or lift it. */
  'simulator:list-cards': channel(Empty, z.array(z.object({ id: z.string(), label: z.string() })), 'demo'),
  'simulator:place-card': channel(z.object({ cardId: z.string().min(1).max(64) }).strict(), z.object({ placed: z.boolean() }), 'demo'),
  'simulator:remove-card': channel(Empty, z.object({ removed: z.boolean() }), 'demo'),
  /**
   * 人工核验 (issue 14): a staff member confirms in person that the citizen is the holder of the session's
   * identity, with 工号 + PIN on the citizen's screen. Checked like a sign-in (lockouts apply) but signs
   * nobody in; recorded on the session, then on the case. Fails `no-identity`, `wrong-pin`, `locked`,
   * `throttled`, `not-staff`.
   */
  'identity:staff-check': channel(StaffSignIn, z.object({ staffNumber: z.string() })),
  /**
   * One face-check attempt's outcome (the face-check component's `outcome`): the host counts attempts
   * (at most 3 failures) and records a pass on the session. Fails `no-identity`.
   */
  'identity:face-outcome': channel(z.object({ outcome: FaceAttemptOutcome }).strict(), z.object({ passed: z.boolean(), failures: z.number().int().nonnegative() })),
  /** Demo mode only: a phone showing a freshly issued 电子身份码 to the simulated scanner. */
  'simulator:show-identity-code': channel(Empty, z.object({ shown: z.boolean() }), 'demo'),
  /**
   * 呼叫工作人员 (contract/help-call.ts): files a help call for this screen (and the session's service), kept
   * on disk and sent to central until it arrives; one open call per kiosk (a second tap answers the open one).
   * While it is open the session's idle timer pauses (at most 15 minutes).
   */
  'help:call': channel(HelpCallRequest, KioskHelpCall),
  /** 取消呼叫: withdraws the open call (never sent if it had not left yet); `cancelled: false` when none was open. */
  'help:cancel': channel(Empty, z.object({ cancelled: z.boolean() })),
  /** The open help call of this kiosk, or null (a window that loads late still shows it). */
  'help:get': channel(Empty, KioskHelpCall.nullable()),
  /**
   * 帮办: the signed-in staff member starts a session for the citizen beside them (any citizen's session
   * ends first); the case, receipt and 好差评 carry their 工号. Audited under the 工号.
   */
  'assist:start': channel(Empty, SessionView, 'staff'),
  /** 查询打印: the proofs of one life cycle the catalog offers (contract/proof-kiosk.ts). */
  'proof:list-offers': channel(z.object({ lifeCycle: LifeCycle }).strict(), z.array(ProofOffer)),
  /**
   * Central issues the proof for the session holder; the host verifies its SM2 seal before answering.
   * Fails `no-identity`, `proof-refused` (central's reason in plain Chinese, e.g. not the 法定代表人),
   * `seal-invalid` (signature fails: never shown, never printed), `central-unavailable`.
   */
  'proof:issue': channel(z.object({ kind: z.string().min(1).max(64) }).strict(), ProofPreview),
  /** Prints an issued proof of this session, 1–5 copies; paper out keeps it (journal) and answers a phone link. */
  'proof:print': channel(z.object({ ticket: z.string().min(8).max(64), copies: ProofCopies }).strict(), ProofPrintOutcome),
  /**
   * 人证核验: compares one live face frame with the session holder at central (host/face-handlers.ts). The
   * image stays in memory, is sealed for central, and is never logged or stored; the answer has no score.
   */
  'identity:verify-face': channel(FaceVerifyImage, FaceVerifyResult),
  /**
   * 远程视频帮办: the citizen's consent, the kiosk's answer and ICE candidates, its screen state, or 结束视频,
   * sent on to central (contract/video-call.ts); `sent: false` when central cannot be reached now.
   */
  'video:send': channel(KioskSignal, z.object({ sent: z.boolean() })),
  /**
   * 今日办件 (issue 12): this kiosk's applications of today (China date) with state in words, central's
   * reasons, masked name and what waits for 补打 (contract/staff-today.ts). Audited under the 工号.
   */
  'staff:list-today': channel(z.object({ filter: TodayFilter.default('all') }).strict(), TodayCases, 'staff'),
  /** 代办 (issue 12): the person whose card was read acts for someone else; refused with the catalog's reason for 本人办理 services. */
  'agency:begin': channel(Empty, AgencyBeginAnswer),
  /** 代办: the principal's ID number and name, checked at central's 人口库; on a match the session's applicant is the principal. */
  'agency:check-principal': channel(PrincipalCheckRequest, PrincipalCheckAnswer),
  /** 代办: relationship and authorisation (委托书 photo or 告知承诺 signature) of a kind the service accepts. */
  'agency:set': channel(AgencySetRequest, AgencyView),
  /** Back to 本人办理: the session's 代办 data is dropped. */
  'agency:clear': channel(Empty, z.object({ cleared: z.boolean() })),
  /** 代办: the next different card on the reader is the principal's (`awaiting` true), or no longer (false: typed instead). */
  'agency:await-card': channel(z.object({ awaiting: z.boolean() }).strict(), z.object({ awaiting: z.boolean() })),
  /**
   * 刷身份证登录 (issue 12): the staff sign-in screen waits for the staff member's own ID card (`waiting` true),
   * or no longer (false). While it waits the next card read is taken for the sign-in (`staff:card-read`
   * follows) and starts no citizen session; refused (`session-open`) while a citizen's session holds an identity.
   */
  'staff:await-card': channel(z.object({ waiting: z.boolean() }).strict(), z.object({ waiting: z.boolean() })),
  /**
   * 刷身份证登录: the PIN for the card read last (card + PIN, two factors). Same throttle, lockouts and audit as
   * 工号 + PIN; a card no account carries answers exactly like a wrong PIN. Errors: `no-card`, `wrong-pin`,
   * `locked`, `throttled`.
   */
  'staff:sign-in-card': channel(StaffCardSignIn, StaffView),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelRequest<Name extends ChannelName> = z.input<Channels[Name]['request']>;
export type ChannelRequestParsed<Name extends ChannelName> = z.output<Channels[Name]['request']>;
export type ChannelResponse<Name extends ChannelName> = z.output<Channels[Name]['response']>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
