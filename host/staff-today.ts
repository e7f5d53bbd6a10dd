import { chinaDate, CHINA_OFFSET_MS } from '../contract/china-time.js';
import { z } from 'zod';
import { SubmitApplicationResponse } from '../contract/central/api.js';
import { outboxReasonLabel } from '../contract/outbox-reasons.js';
import type { TodayCase, TodayCases, TodayFilter } from '../contract/staff-today.js';
import { maskName } from '../contract/validators/gb11643.js';
import type { CatalogService } from './services/catalog.js';
import type { Outbox, OutboxItem } from './services/outbox.js';
import type { PrintingService } from './services/printing.js';
import type { AuditSink } from './services/staff-auth.js';

/** What 今日办件 reads: the outbox, the print journal and the catalog (for service names); no network. */
export interface TodayServices {
  outbox: Pick<Outbox, 'applicationsCreatedBetween' | 'payload'>;
  printing: Pick<PrintingService, 'pending'>;
  catalog: Pick<CatalogService, 'service'>;
  audit: AuditSink;
}

/** The print journal's document kinds in words (as on the 待补打 list). */
const DOCUMENT_LABELS: Record<string, string> = {
  receipt: '受理回执',
  certificate: '办理结果文书',
  commitment: '告知承诺书',
  'acceptance-notice': '受理通知书',
  'rejection-notice': '不予受理通知书',
};

const DAY_MS = 86_400_000;

/** Start of the China calendar day that holds `now`, in ms since the epoch (00:00 Beijing time). */
export function chinaDayStart(now: number): number {
  return Date.parse(`${chinaDate(now)}T00:00:00Z`) - CHINA_OFFSET_MS;
}

/** State of one outbox item in the desk's words; central's acknowledgement decides once delivered. */
function stateOf(item: OutboxItem): Pick<TodayCase, 'state' | 'stateText' | 'reasons'> {
  if (item.state !== 'delivered') {
    const label = outboxReasonLabel(item.lastError);
    return {
      state: 'unsent',
      stateText: item.state === 'needs-staff' ? '未提交（需工作人员处理）' : '未提交（等待自动提交）',
      reasons: [`${label.text}。${label.action}`],
    };
  }
  const ack = SubmitApplicationResponse.safeParse(item.acknowledgement);
  if (!ack.success) return { state: 'submitted', stateText: '已提交', reasons: [] };
  const { status, reasons } = ack.data;
  switch (status) {
    case 'approved':
    case 'completed':
      return { state: 'completed', stateText: '已办结', reasons: [] };
    case 'rejected':
      return { state: 'rejected', stateText: '不予受理', reasons };
    case 'accepted':
      // Central accepted the case but gave reasons it could not approve at once: a person reviews it (ResultView's wording).
      return reasons.length > 0 ? { state: 'needs-review', stateText: '转工作人员审核', reasons } : { state: 'accepted', stateText: '已受理', reasons: [] };
    case 'queued':
      return { state: 'submitted', stateText: '已提交', reasons };
  }
}

/**
 * Only the applicant's name of a sealed application body (contract/central/api.ts `SubmitApplicationBody`):
 * the body may carry megabytes of material photos, which this parser does not walk.
 */
const ApplicantName = z.object({ applicant: z.object({ name: z.string().min(1).max(64) }) });

/**
 * Masked names already opened, by local number: a payload (up to ~6 MB of photos) is opened once per
 * process, not on every refresh of the desk. Holds masked names only; trimmed to today's cases each call.
 */
export type MaskedNameCache = Map<string, string | null>;

/** Opens the sealed payload for the name only; null when it does not open or holds no name. */
function openMasked(outbox: TodayServices['outbox'], item: OutboxItem): string | null {
  try {
    const body = ApplicantName.safeParse(outbox.payload(item));
    return body.success ? maskName(body.data.applicant.name) : null;
  } catch {
    // A payload that no longer opens (damaged, foreign key) is listed without a name, not an error.
    return null;
  }
}

/** The applicant's name masked from the sealed payload; null once purged or unreadable (a lost record). */
function maskedApplicant(outbox: TodayServices['outbox'], item: OutboxItem, cache: MaskedNameCache): string | null {
  if (item.purgedAt !== null) return null;
  const cached = cache.get(item.localNumber);
  if (cached !== undefined) return cached;
  const masked = openMasked(outbox, item);
  cache.set(item.localNumber, masked);
  return masked;
}

/**
 * 今日办件: this kiosk's applications created today (China date of `now`, ms since the epoch), newest
 * first, with `filter` applied ('needs-review' = 转工作人员审核, 'unsent' = not acknowledged by central).
 * `counts` are over all of today's cases. Every call writes one audit entry under `actor` (the 工号,
 * `staff:<number>`), event `staff.list-today`, naming the filter and how many were shown; no personal
 * data goes to the audit. `cache` keeps masked names between calls (pass the same map each time).
 * Throws only if the outbox's storage does.
 */
export function listTodayCases(services: TodayServices, filter: TodayFilter, actor: string, now: number, cache: MaskedNameCache = new Map()): TodayCases {
  const start = chinaDayStart(now);
  const waiting = new Map<string, string>();
  for (const entry of services.printing.pending()) {
    if (!waiting.has(entry.caseReference)) waiting.set(entry.caseReference, DOCUMENT_LABELS[entry.document] ?? '单据');
  }
  const all = services.outbox.applicationsCreatedBetween(start, start + DAY_MS).map(
    (item): TodayCase => ({
      localNumber: item.localNumber,
      caseNumber: item.caseNumber,
      serviceName: services.catalog.service(item.serviceId)?.name ?? '（事项已不在目录中）',
      createdAt: new Date(item.createdAt).toISOString(),
      ...stateOf(item),
      applicantMasked: maskedApplicant(services.outbox, item, cache),
      reprintWaiting: waiting.get(item.localNumber) ?? (item.caseNumber ? (waiting.get(item.caseNumber) ?? null) : null),
    }),
  );
  const listed = new Set(all.map((item) => item.localNumber));
  for (const localNumber of cache.keys()) if (!listed.has(localNumber)) cache.delete(localNumber);
  const cases = filter === 'all' ? all : all.filter((item) => item.state === filter);
  services.audit.append({ actor, event: 'staff.list-today', outcome: `filter ${filter}: ${cases.length} of ${all.length}` });
  return {
    date: chinaDate(now),
    filter,
    counts: { all: all.length, needsReview: all.filter((item) => item.state === 'needs-review').length, unsent: all.filter((item) => item.state === 'unsent').length },
    cases,
  };
}
