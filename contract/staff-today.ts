import { z } from 'zod';

/**
 * 今日办件 (issue 12, staff work queue): this kiosk's applications of today (China date,
 * contract/china-time.ts) as hall staff read them on the staff desk. Built on the host from the outbox
 * (local number, case number, state, central's acknowledgement) and the print journal (补打); no
 * network call. Personal data appears only masked (姓名 as 张*), never an ID number.
 */

/** Which cases the desk shows: 全部, 转工作人员审核 (central took the case but a person must review it), 未提交. */
export const TodayFilter = z.enum(['all', 'needs-review', 'unsent']);
export type TodayFilter = z.infer<typeof TodayFilter>;

/**
 * Where a case stands, as a code the desk groups by (the words are in `stateText`):
 * `unsent` not yet acknowledged by central (waiting to send, or waiting for staff); `submitted` central
 * acknowledged it without a decision (queued there); `accepted` 已受理; `needs-review` 转工作人员审核
 * (accepted with reasons a person must review); `rejected` 不予受理; `completed` 已办结 (approved at
 * once or finished).
 */
export const TodayCaseState = z.enum(['unsent', 'submitted', 'accepted', 'needs-review', 'rejected', 'completed']);
export type TodayCaseState = z.infer<typeof TodayCaseState>;

export const TodayCase = z.object({
  /** 本机编号: `<terminal>-<YYYYMMDD>-<NNNN>`. */
  localNumber: z.string(),
  /** 受理编号 once central gave one, else null. */
  caseNumber: z.string().nullable(),
  serviceName: z.string(),
  /** When the citizen submitted it (ISO 8601, UTC). */
  createdAt: z.string(),
  state: TodayCaseState,
  /** The state in plain Chinese: 已提交, 已受理, 转工作人员审核, 未提交（…）, 不予受理, 已办结. */
  stateText: z.string(),
  /** Central's reasons (plain Chinese, as it sent them) or, for 未提交, why and what staff do next. */
  reasons: z.array(z.string()),
  /** The applicant's name masked (张*), or null once the kiosk's record was purged by retention. */
  applicantMasked: z.string().nullable(),
  /** The document waiting for 补打 (受理回执 …), or null when nothing of this case waits in the print journal. */
  reprintWaiting: z.string().nullable(),
});
export type TodayCase = z.infer<typeof TodayCase>;

export const TodayCases = z.object({
  /** The China date listed (YYYY-MM-DD). */
  date: z.string(),
  filter: TodayFilter,
  /** How many of today's cases each button would show (independent of `filter`). */
  counts: z.object({ all: z.number().int().nonnegative(), needsReview: z.number().int().nonnegative(), unsent: z.number().int().nonnegative() }),
  /** The cases the filter keeps, newest first. */
  cases: z.array(TodayCase),
});
export type TodayCases = z.infer<typeof TodayCases>;
