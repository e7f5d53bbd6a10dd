import type { KioskInfo } from '../contract/channels.js';
import type { Handler, Handlers } from '../contract/derive.js';
import { chinaDate } from '../contract/china-time.js';
import { checkDraft } from '../contract/flow.js';
import { fail, ok } from '../contract/result.js';
import type { PrintJobView } from '../contract/staff.js';
import { SubmitApplicationBody, SubmitApplicationResponse } from '../contract/central/api.js';
import type { ReceiptData } from '../print-templates/receipt.js';
import type { CatalogService } from './services/catalog.js';
import type { Outbox } from './services/outbox.js';
import type { PrintingService } from './services/printing.js';
import { receiptDataFor } from './services/receipt-data.js';
import { listTodayCases, type MaskedNameCache } from './staff-today.js';
import type { SessionService } from './services/session.js';
import type { StaffAlerts } from './services/staff-alerts.js';
import type { AuditSink, StaffAuth } from './services/staff-auth.js';

/** The channels of staff mode; host/handlers.ts implements the rest and host/main.ts merges both. */
export type StaffChannel =
  | 'staff:sign-in'
  | 'staff:sign-out'
  | 'staff:get'
  | 'staff:list-alerts'
  | 'print:list-pending'
  | 'print:reprint'
  | 'print:dismiss'
  | 'outbox:list-pending'
  | 'outbox:requeue'
  | 'staff:list-today';

export interface StaffServices {
  auth: StaffAuth;
  alerts: StaffAlerts;
  audit: AuditSink;
  printing: PrintingService;
  outbox: Outbox;
  /** Wakes the drainer: requeued items go out now, not at the next scheduled attempt. */
  kickDrainer: () => void;
  catalog: CatalogService;
  session: SessionService;
  info: () => KioskInfo;
  progressUrl: (caseRef: string) => string;
  /** The clock 今日办件 dates by (ms since the epoch); Date.now when absent. */
  now?: () => number;
}

const DOCUMENT_LABELS: Record<string, string> = {
  receipt: '受理回执',
  certificate: '办理结果文书',
  commitment: '告知承诺书',
  'acceptance-notice': '受理通知书',
  'rejection-notice': '不予受理通知书',
  'test-page': '打印测试页',
};

/**
 * Every call of a signed-in person moves their idle sign-out back, and carries their 工号 for the audit.
 * The dispatcher has already checked the audience; `actor` is read again here because the sign-in may
 * have ended between the check and the call.
 */
export function asStaff<Name extends keyof Handlers>(auth: StaffAuth, handler: (request: Parameters<Handler<Name>>[0], actor: string) => ReturnType<Handler<Name>>): Handler<Name> {
  return ((request: Parameters<Handler<Name>>[0]) => {
    const actor = auth.actor();
    if (!actor) return fail('forbidden', '登录已超时，请重新登录');
    auth.touch();
    return handler(request, actor);
  }) as Handler<Name>;
}

/**
 * The receipt of one application rendered again from its sealed outbox record: what staff 补打 prints.
 * Null when the record is gone (personal data purged after central acknowledged it, per retention).
 */
export function receiptFromOutbox(services: Pick<StaffServices, 'outbox' | 'catalog' | 'info' | 'progressUrl'>, localNumber: string): ReceiptData | null {
  const item = services.outbox.get(localNumber);
  if (!item || item.kind !== 'application') return null;
  const body = SubmitApplicationBody.safeParse(services.outbox.payload(item));
  if (!body.success) return null;
  const service = services.catalog.service(body.data.serviceId);
  if (!service) return null;
  // Date ranges count from the day the citizen applied, not the day staff reprint.
  const checked = checkDraft(service, body.data.draft, chinaDate(item.createdAt));
  if (!checked.ok) return null;
  const ack = item.state === 'delivered' ? SubmitApplicationResponse.safeParse(item.acknowledgement) : null;
  return receiptDataFor({
    hallName: services.info().hallName,
    terminalId: services.info().terminalId,
    service,
    checked: checked.value,
    applicant: { name: body.data.applicant.name, idNumber: body.data.applicant.idNumber, cardType: body.data.applicant.cardType },
    localNumber: item.localNumber,
    createdAt: item.createdAt,
    ack: ack?.success ? ack.data : null,
    heldForStaff: item.state === 'needs-staff',
    progressUrl: services.progressUrl,
    assistedBy: body.data.assistedBy ?? null,
    ...(body.data.delivery ? { delivery: body.data.delivery } : {}),
    // 代办 (issue 12): a reprint names the agent and the 委托人 as the first print did.
    ...(body.data.agency ? { agency: { agent: body.data.agency.agent, relationship: body.data.agency.relationship } } : {}),
  });
}

export function createStaffHandlers(services: StaffServices): Pick<Handlers, StaffChannel> {
  const { auth, alerts, audit, printing, outbox, session } = services;
  /** 今日办件's masked names, so sealed payloads are opened once each (host/staff-today.ts). */
  const todayNames: MaskedNameCache = new Map();

  return {
    'staff:sign-in': async ({ number, pin }) => {
      const signedIn = await auth.signIn(number, pin);
      // Staff mode starts from a clean kiosk: whatever a citizen left on screen is wiped first.
      if (signedIn.ok) await session.end('staff');
      return signedIn;
    },
    'staff:sign-out': () => ok({ signedOut: auth.signOut('signed-out') }),
    'staff:get': () => {
      auth.audiences([]); // applies an idle sign-out that is due
      return ok(auth.view());
    },
    'staff:list-alerts': asStaff<'staff:list-alerts'>(auth, () => ok(alerts.list())),

    'print:list-pending': asStaff<'print:list-pending'>(auth, () =>
      ok(
        printing.pending().map((entry): PrintJobView => {
          const item = entry.document === 'receipt' ? outbox.get(entry.caseReference) : null;
          const last = entry.attempts.at(-1);
          return {
            jobId: entry.jobId,
            document: entry.document,
            documentLabel: DOCUMENT_LABELS[entry.document] ?? entry.document,
            localNumber: item?.localNumber ?? entry.caseReference,
            caseNumber: item?.caseNumber ?? null,
            createdAt: entry.createdAt,
            attempts: entry.attempts.length,
            lastReason: last?.reason ?? null,
            reprintable: item !== null && item.purgedAt === null,
          };
        }),
      ),
    ),

    'outbox:list-pending': asStaff<'outbox:list-pending'>(auth, () => ok(outbox.staffView())),
    // The audit chain names the signed-in 工号 that sent the items back, not just "staff".
    'outbox:requeue': asStaff<'outbox:requeue'>(auth, ({ localNumber }, actor) => {
      const requeued = localNumber ? Number(outbox.requeue(localNumber, actor)) : outbox.requeueAll(actor);
      if (requeued > 0) services.kickDrainer();
      return ok({ requeued });
    }),

    'print:reprint': asStaff<'print:reprint'>(auth, async ({ jobId }, actor) => {
      const entry = printing.job(jobId);
      if (!entry) return fail('unknown-job', '没有找到这张单据，请刷新列表后再试');
      if (entry.document !== 'receipt') return fail('reprint-unsupported', '这类文书不能在终端补打，请在窗口业务系统中打印');
      const data = receiptFromOutbox(services, entry.caseReference);
      if (!data) {
        audit.append({ actor, event: 'print.reprint', subject: entry.caseReference, outcome: 'refused-record-purged' });
        return fail('record-purged', '该申请的本机记录已按规定清除，无法补打。请凭受理编号在窗口打印回执。');
      }
      const result = await printing.reprintReceipt(jobId, data, actor.replace(/^staff:/, ''));
      if (result.code === 'already-printed') return fail('already-printed', '这张回执已经打印过了，已从待补打列表移除');
      if (result.code) return fail(result.code, '没有找到这张单据，请刷新列表后再试');
      audit.append({ actor, event: 'print.reprint', subject: entry.caseReference, outcome: result.printed ? 'printed' : 'not-printed' });
      return ok({ printed: result.printed, ...(result.notice ? { notice: result.notice } : {}) });
    }),

    'print:dismiss': asStaff<'print:dismiss'>(auth, ({ jobId }, actor) => {
      const entry = printing.job(jobId);
      if (!entry || entry.state !== 'pending') return fail('unknown-job', '这张单据已不在待补打列表中');
      const dismissed = printing.dismiss(jobId);
      audit.append({ actor, event: 'print.dismiss', subject: entry.caseReference, outcome: dismissed ? 'dismissed' : 'failed' });
      return ok({ dismissed });
    }),

    // 今日办件 (issue 12): opening and every filter is audited under the 工号 (host/staff-today.ts).
    'staff:list-today': asStaff<'staff:list-today'>(auth, ({ filter }, actor) => ok(listTodayCases(services, filter, actor, services.now?.() ?? Date.now(), todayNames))),
  };
}
