import { z } from 'zod';

/**
 * 呼叫工作人员 (issue 12): a citizen taps one button on any screen; the kiosk's host keeps the call on disk
 * and sends it to central, which queues it for the hall's staff console; staff accept it (工作人员马上到)
 * and close it when the citizen is helped. A help call carries where the citizen is stuck — terminal,
 * hall, screen, service — and never who they are: no name, no ID number, no photo, no field values.
 *
 * Three audiences share these schemas: the kiosk's UI and host (channels `help:*`, event
 * `help:call-changed`), the kiosk's host and central (`/v1/help-calls…`, signed as the terminal), and the
 * staff console and central (`/console/api/help/…`, bearer token of a signed-in 工号).
 * The remote video help of the same issue (远程视频帮办) starts from a HelpCall's `id`.
 */

// ───────────── The call ─────────────

/**
 * `new`: queued, nobody has taken it; `accepted`: a staff member is on the way (工作人员马上到);
 * `closed`: staff closed it (the citizen was helped); `cancelled`: the citizen (or the session's end)
 * withdrew it. `closed` and `cancelled` are final.
 */
export const HelpCallState = z.enum(['new', 'accepted', 'closed', 'cancelled']);
export type HelpCallState = z.infer<typeof HelpCallState>;

/** Final states: nothing changes a call after these. */
export const FINAL_HELP_CALL_STATES: readonly HelpCallState[] = ['closed', 'cancelled'];

/** The screen the citizen was on, as the renderer's route name (`home`, `form`, `identity` …): letters, digits, `-`. */
export const HelpScreen = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

/** A help call's id: a UUID the kiosk draws, so a resend after a lost answer is the same call (idempotent). */
export const HelpCallId = z.uuid();

/**
 * A help call as central holds it and shows it. No personal data (the rule): a staff member
 * finds the citizen by the terminal's place in the hall.
 */
export const HelpCall = z.object({
  id: HelpCallId,
  terminalId: z.string().min(1).max(64),
  /** The terminal's hall as registered at central (a hall's staff see their own hall's calls). */
  hall: z.string(),
  /** The renderer route the citizen tapped 呼叫工作人员 on. */
  screen: HelpScreen,
  /** The service the citizen was applying for, or null (home, search …). */
  serviceId: z.string().min(1).max(100).nullable(),
  /** The service's name from central's catalog, or null. */
  serviceName: z.string().nullable(),
  state: HelpCallState,
  /** When the citizen tapped, ISO 8601 (the kiosk's clock; waiting time counts from here). */
  createdAt: z.string(),
  /** When a staff member accepted it, ISO 8601, or null. */
  acceptedAt: z.string().nullable(),
  /** 工号 of the staff member who accepted it, or null. */
  acceptedBy: z.string().nullable(),
  /** When it was closed or cancelled, ISO 8601, or null. */
  endedAt: z.string().nullable(),
  /**
   * Place in the hall's queue of `new` calls, 1 = next (oldest first); null once accepted or ended.
   * Worked out by central when the call is read, not stored.
   */
  queuePosition: z.number().int().positive().nullable(),
  /** Central's change counter for this call: a long-poll waits for a revision above the one it has. */
  revision: z.number().int().nonnegative(),
});
export type HelpCall = z.infer<typeof HelpCall>;

// ───────────── Kiosk host ↔ central (/v1, signed as the terminal) ─────────────

/**
 * `POST /v1/help-calls` (Idempotency-Key = the call id): files a call. Sending the same id again answers
 * the stored call, so a kiosk that lost the answer (network) resends without a second queue entry.
 */
export const FileHelpCallBody = z
  .object({
    id: HelpCallId,
    screen: HelpScreen,
    serviceId: z.string().min(1).max(100).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type FileHelpCallBody = z.infer<typeof FileHelpCallBody>;

/**
 * `GET /v1/help-calls/:id?after=N` — long-poll: answers the call at once when its revision is above N (or
 * N is absent), else when it changes, else after `HELP_LONG_POLL_SECONDS` with the unchanged call.
 * Only the terminal that filed a call may read it (404 otherwise).
 */
export const HelpCallWaitQuery = z.object({ after: z.coerce.number().int().nonnegative().optional() }).strict();

/** How long central holds a long-poll before answering unchanged, s (below common proxies' 60 s idle cut). */
export const HELP_LONG_POLL_SECONDS = 25;

// ───────────── Staff console ↔ central (/console/api/help/…) ─────────────

/**
 * `GET /console/api/help/calls?after=N&hall=…` — long-poll for the list: answers when any call's revision is
 * above N (immediately without N). The list holds every open call and those ended in the last
 * `HELP_RECENT_HOURS` hours, oldest first.
 */
export const HelpCallListQuery = z
  .object({
    after: z.coerce.number().int().nonnegative().optional(),
    hall: z.string().min(1).max(60).optional(),
  })
  .strict();

/** Ended calls stay in the console's list this long, h. */
export const HELP_RECENT_HOURS = 12;

export const HelpCallList = z.object({
  /** The highest revision of any call: the next long-poll's `after`. */
  revision: z.number().int().nonnegative(),
  calls: z.array(HelpCall),
  /** Central's clock, ISO 8601: the console counts waiting time from here, not from the PC's clock. */
  now: z.string(),
});
export type HelpCallList = z.infer<typeof HelpCallList>;

/** Accept or close a call: the body is empty; central records the signed-in 工号. */
export const HelpCallActionBody = z.object({}).strict();

/** A kiosk's application central sent to 工作人员审核 (status `needs-review`), with why; no applicant data. */
export const ReviewCase = z.object({
  caseNumber: z.string(),
  localNumber: z.string(),
  terminalId: z.string(),
  hall: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  /** Plain-Chinese reasons central gave. */
  reasons: z.array(z.string()),
  submittedAt: z.string(),
  /** 工号 of the assistant for a 帮办/代办 case, or null. */
  assistedBy: z.string().nullable(),
  /** 代办 (issue 12): the agent's relationship to the applicant and the authorisation kind (no identities), or null/absent. */
  agency: z.object({ relationship: z.string(), authorisation: z.string() }).nullable().optional(),
});
export type ReviewCase = z.infer<typeof ReviewCase>;

/** A kiosk with applications not yet delivered to central, from its latest heartbeat. */
export const StuckKiosk = z.object({
  terminalId: z.string(),
  hall: z.string(),
  /** Applications waiting in its outbox. */
  pending: z.number().int().nonnegative(),
  /** Of those, how many no retry can send (staff must act on the kiosk). */
  needsStaff: z.number().int().nonnegative(),
  lastSeen: z.string().nullable(),
});
export type StuckKiosk = z.infer<typeof StuckKiosk>;

/** The 呼叫与帮办 section's other panels in one answer (polled, not long-polled). */
export const HelpDeskOverview = z.object({
  reviewCases: z.array(ReviewCase),
  stuckKiosks: z.array(StuckKiosk),
  /** Open fleet alerts of the hall's kiosks (paper out, reader fault, out of service …). */
  alerts: z.array(z.object({ terminalId: z.string(), kind: z.string(), message: z.string(), raisedAt: z.string() })),
});
export type HelpDeskOverview = z.infer<typeof HelpDeskOverview>;

/** Central's paths for help calls: the kiosk's (/v1) and the console's. Names are stable (the video help builds on them). */
export const HELP_CALL_PATHS = {
  file: '/v1/help-calls',
  wait: (id: string) => `/v1/help-calls/${encodeURIComponent(id)}`,
  cancel: (id: string) => `/v1/help-calls/${encodeURIComponent(id)}/cancel`,
  consoleList: '/console/api/help/calls',
  consoleAccept: (id: string) => `/console/api/help/calls/${encodeURIComponent(id)}/accept`,
  consoleClose: (id: string) => `/console/api/help/calls/${encodeURIComponent(id)}/close`,
  consoleOverview: '/console/api/help/overview',
} as const;

// ───────────── Kiosk UI ↔ host (channels `help:*`) ─────────────

/**
 * The kiosk's own view of its current call. `delivered: false` means central has not confirmed it yet
 * (unreachable): the UI says 请到服务窗口找工作人员 while the host keeps sending it.
 */
export const KioskHelpCall = z.object({
  id: HelpCallId,
  state: HelpCallState,
  delivered: z.boolean(),
  queuePosition: z.number().int().positive().nullable(),
  /** 工号 of the staff member on the way, or null. */
  acceptedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type KioskHelpCall = z.infer<typeof KioskHelpCall>;

/** `help:call` request: where the citizen is (the host adds the service of the session itself). */
export const HelpCallRequest = z.object({ screen: HelpScreen }).strict();
