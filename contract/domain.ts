import { z } from 'zod';

/** ISO date YYYY-MM-DD. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

// ───────────── Identity (DOMAIN.md §2) ─────────────

export const CardType = z.enum([
  'resident', // 居民身份证
  'hk-mo-tw-residence', // 港澳台居民居住证 (flag J)
  'foreign-permanent-2017', // 外国人永久居留身份证 2017 (flag I)
  'foreign-permanent-2023', // 外国人永久居留身份证 2023 (flag Y)
]);
export type CardType = z.infer<typeof CardType>;

export const Sex = z.enum(['male', 'female', 'unknown', 'unspecified']);
export type Sex = z.infer<typeof Sex>;

/**
 * What a card says about its holder, decoded and cross-checked. The WLT photo never crosses the bridge:
 * it stays in the host's session (biometric data, PIPL) and `hasPhoto` says whether one was read.
 */
export const IdentityCard = z.object({
  cardType: CardType,
  /** Chinese name (for foreigners the Chinese name on the card, possibly empty). */
  name: z.string(),
  englishName: z.string().optional(),
  sex: Sex,
  /** GB/T 3304 nation name (resident cards only). */
  nation: z.string().optional(),
  /** GB/T 2659 alpha-3 nationality (foreigner cards only). */
  nationality: z.string().optional(),
  birthDate: IsoDate,
  address: z.string().optional(),
  idNumber: z.string(),
  issuingAuthority: z.string().optional(),
  validFrom: IsoDate,
  /** null for 长期 (no expiry). */
  validTo: IsoDate.nullable(),
  /** 港澳台 permits: 通行证号码 and 签发次数. */
  passNumber: z.string().optional(),
  issueCount: z.number().int().optional(),
  expired: z.boolean(),
  hasPhoto: z.boolean(),
});
export type IdentityCard = z.infer<typeof IdentityCard>;

/** `e-code`: a 电子身份码 (爱山东) shown to the scanner and verified at central (issue 14). */
export const IdentitySource = z.enum(['id-card', 'qr-code', 'staff-entered', 'e-code']);
export type IdentitySource = z.infer<typeof IdentitySource>;

// ───────────── Devices (DOMAIN.md §4, XFS4IoT vocabulary) ─────────────

export const DeviceKind = z.enum(['id-card-reader', 'qr-scanner', 'receipt-printer', 'document-printer']);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const DeviceState = z.enum(['online', 'offline', 'powerOff', 'noDevice', 'hardwareError', 'userError', 'deviceBusy']);
export type DeviceState = z.infer<typeof DeviceState>;

export const MediaState = z.enum(['present', 'notPresent', 'jammed', 'unknown']);
export const PaperState = z.enum(['full', 'low', 'out', 'jammed', 'unknown']);

export const DeviceStatus = z.object({
  id: z.string(),
  kind: DeviceKind,
  state: DeviceState,
  /** Card readers: is a card in the field. */
  media: MediaState.optional(),
  /** Printers: paper supply. */
  paper: PaperState.optional(),
  model: z.string().optional(),
  serialNumber: z.string().optional(),
  firmware: z.string().optional(),
  /** How it is reached, e.g. `/dev/ttyUSB0@115200`, `hid:0400:c35a`, `cups:Hall_A4`. */
  port: z.string().optional(),
  /** Precise code for technicians (`sam-not-authorised`, `cover-open`); never shown to citizens. */
  detail: z.string().optional(),
  simulated: z.boolean(),
  updatedAt: z.string(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

// ───────────── Submissions ─────────────

/** A form value: text (dates as YYYY-MM-DD), a number, a yes/no, or the chosen values of a `multi-select`. */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string().max(200)).max(100)]);
export type FieldValue = z.infer<typeof FieldValue>;

/** Base64 characters of one material photo at most (about 3 MB of JPEG). */
export const PHOTO_MAX_BASE64 = 4_000_000;
/**
 * Base64 characters of all the photos of one application together (about 6 MB of JPEG: a dozen pages
 * at the size the kiosk takes them). Without it a draft had no upper bound, and a submission larger than
 * the bridge or central accepts was dropped with its connection, which the citizen saw as "reconnecting".
 */
export const PHOTOS_MAX_BASE64 = 8_000_000;
/** Characters of the 告知承诺 signature's PNG data URL at most. */
export const SIGNATURE_MAX_CHARS = 2_000_000;
/**
 * What a transport must carry for one application draft: every photo and the signature at their limits,
 * with ample room for answers and form. The bridge and central size their request limits from it.
 */
export const DRAFT_MAX_BYTES = PHOTOS_MAX_BASE64 + SIGNATURE_MAX_CHARS + 1_000_000;

/** How one required material is supplied. */
export const MaterialProvision = z.discriminatedUnion('kind', [
  /** Fetched from central's e-licence library with the citizen's consent. */
  z.object({ kind: z.literal('e-licence'), licenceId: z.string() }),
  /** Central data sharing proves it; nothing to hand over. */
  z.object({ kind: z.literal('shared-data') }),
  /** 告知承诺: the applicant signs a commitment instead. */
  z.object({ kind: z.literal('commitment') }),
  /** Photographed by the document camera (JPEG, base64: its SOI marker FF D8 FF encodes as `/9j/`). */
  z.object({
    kind: z.literal('photo'),
    mimeType: z.literal('image/jpeg'),
    base64: z.string().max(PHOTO_MAX_BASE64).regex(/^\/9j\/[A-Za-z0-9+/]+={0,2}$/, '照片格式不正确，请重拍'),
  }),
  /** Handed in on paper at the window later. */
  z.object({ kind: z.literal('paper-later') }),
]);
export type MaterialProvision = z.infer<typeof MaterialProvision>;

/** Base64 characters the photos among these provisions take, counted against PHOTOS_MAX_BASE64. */
export function photoCharacters(materials: Record<string, MaterialProvision>): number {
  let total = 0;
  for (const provision of Object.values(materials)) if (provision.kind === 'photo') total += provision.base64.length;
  return total;
}

export const ApplicationDraft = z.object({
  serviceId: z.string().min(1),
  /** Situation answers (情形引导), question id → option value. */
  answers: z.record(z.string(), z.string()),
  /** Form field id → value. */
  form: z.record(z.string(), FieldValue),
  /** Material id → how it is supplied. */
  materials: z
    .record(z.string(), MaterialProvision)
    .refine((materials) => photoCharacters(materials) <= PHOTOS_MAX_BASE64, '照片总量超过上限，请将部分材料改为“稍后窗口补交”'),
  /** On-screen signature as a PNG data URL, required when any material is declared under 告知承诺. */
  signature: z.string().startsWith('data:image/png;base64,').max(SIGNATURE_MAX_CHARS).optional(),
});
export type ApplicationDraft = z.infer<typeof ApplicationDraft>;

/** An e-licence (电子证照) in central's library: shown to the citizen, referenced by id in the draft. */
export const ELicence = z.object({
  licenceId: z.string(),
  licenceType: z.string(),
  title: z.string(),
  issuer: z.string(),
  issuedOn: IsoDate,
});
export type ELicence = z.infer<typeof ELicence>;

export const CaseStatus = z.enum(['queued', 'accepted', 'approved', 'rejected', 'completed']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const SubmissionOutcome = z.object({
  /** Kiosk-local number, printed on every receipt; central maps it to its case number. */
  localNumber: z.string(),
  /** Central's case number once acknowledged; null while queued offline. */
  caseNumber: z.string().nullable(),
  status: CaseStatus,
  /**
   * Central refused it in a way no retry fixes (400, 404, a malformed answer): it waits for staff, not for
   * the network, so the screen and receipt say staff will handle it, never 自动提交 (issue 10, kind 9).
   */
  needsStaff: z.boolean().optional(),
  /** 秒批 result document title, when approved at once. */
  resultTitle: z.string().optional(),
  /** Text of the QR code for progress look-up. */
  progressQr: z.string(),
  receipt: z.object({
    jobId: z.string(),
    printed: z.boolean(),
    /** Plain Chinese when not printed: why, and what the citizen can do instead. */
    notice: z.string().optional(),
  }),
  /** 秒批 only: the A4 result document (证明 / 准予决定) printed on the document printer. */
  certificate: z
    .object({
      printed: z.boolean(),
      /** Plain Chinese when not printed: why, and where the result can be had instead. */
      notice: z.string().optional(),
    })
    .optional(),
  /** Central's plain-Chinese reasons when an instant item was not approved at once (sent to manual review). */
  reasons: z.array(z.string()).optional(),
});
export type SubmissionOutcome = z.infer<typeof SubmissionOutcome>;

// ───────────── 好差评 (DOMAIN.md §5) ─────────────

export const RatingLevel = z.enum(['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied']);
export type RatingLevel = z.infer<typeof RatingLevel>;

export const RATING_LABELS: Record<RatingLevel, string> = {
  'very-satisfied': '非常满意',
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  dissatisfied: '不满意',
  'very-dissatisfied': '非常不满意',
};

export function isNegativeRating(level: RatingLevel): boolean {
  return level === 'dissatisfied' || level === 'very-dissatisfied';
}

export const Rating = z
  .object({
    /** Local number or case number of the rated case. */
    caseRef: z.string().min(1),
    level: RatingLevel,
    reason: z.string().max(500).optional(),
    contact: z.string().max(50).optional(),
  })
  .refine((rating) => !isNegativeRating(rating.level) || (Boolean(rating.reason?.trim()) && Boolean(rating.contact?.trim())), {
    message: '差评需要填写原因和联系方式',
  });
export type Rating = z.infer<typeof Rating>;

// ───────────── Outbox ─────────────

export const OutboxDepth = z.object({
  pending: z.number().int().nonnegative(),
  needsStaff: z.number().int().nonnegative(),
  /**
   * Is central reachable, as the host's reachability monitor last saw it (host/services/reachability.ts:
   * it probes every few seconds, so a change reaches the UI within 10 s, queue or no queue).
   */
  online: z.boolean(),
});
export type OutboxDepth = z.infer<typeof OutboxDepth>;

/** One submission central has not acknowledged, as staff see it: numbers and state, no personal data. */
export const OutboxEntry = z.object({
  localNumber: z.string(),
  kind: z.enum(['application', 'rating']),
  serviceId: z.string(),
  state: z.enum(['pending', 'needs-staff']),
  attempts: z.number().int().nonnegative(),
  /** Class and code of the last failure (`needs-staff: signature-stale-timestamp`), for staff. */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  /** When the drainer tries again; null for needs-staff items (they wait for staff). */
  nextAttemptAt: z.string().nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export const SessionEndReason = z.enum(['completed', 'cancelled', 'card-removed', 'idle-timeout', 'staff', 'error']);
export type SessionEndReason = z.infer<typeof SessionEndReason>;
