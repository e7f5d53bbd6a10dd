import {
  HELP_CALL_PATHS,
  HELP_LONG_POLL_SECONDS,
  HELP_RECENT_HOURS,
  HelpCallActionBody,
  HelpCallListQuery,
  type HelpCallList,
  type HelpDeskOverview,
} from '../../contract/help-call.js';
import type { CentralContext } from '../context.js';
import { helpCallsChanged, waitFor } from '../help/revision-wait.js';
import { badRequest, HttpError, route, type Route } from '../http/routes.js';
import { helpCallView } from './help-calls.js';

/** Who works the hall's help desk: 工作人员, and managers; technicians see the fleet section instead. */
const HELP_ROLES = ['staff', 'manager'] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The 呼叫与帮办 section of the consoles (issue 12): the live list of help calls (long-poll on the
 * revision), accept and close under the signed-in 工号, and the desk's other panels — cases sent to
 * 工作人员审核 with their reasons, kiosks with unsent applications, open alerts of the hall's kiosks.
 */
export function consoleHelpRoutes(context: CentralContext): Route[] {
  const { store, now } = context;
  const list = async (hall: string | null): Promise<HelpCallList> => {
    const nowMs = now().getTime();
    // Read the revision first: a change between the two reads shows in the list and the next poll repeats it, never the reverse.
    const revision = await store.helpCalls.revision();
    const records = await store.helpCalls.list({ hall, terminalId: null, endedSinceMs: nowMs - HELP_RECENT_HOURS * 3600_000 });
    const calls = await Promise.all(records.map((record) => helpCallView(context, record)));
    return { revision, calls, now: new Date(nowMs).toISOString() };
  };
  const act = (to: 'accepted' | 'closed') =>
    route({
      method: 'POST',
      auth: 'console',
      roles: HELP_ROLES,
      path: `/console/api/help/calls/:id/${to === 'accepted' ? 'accept' : 'close'}`,
      body: HelpCallActionBody,
      async handle({ params, user }) {
        const id = params.id ?? '';
        const at = now();
        const staffNumber = user?.staffNumber ?? '';
        const changed = await store.transaction((tx) =>
          tx.helpCalls.transition(
            id,
            to === 'accepted' ? { to, from: ['new'], at: at.toISOString(), by: staffNumber } : { to, from: ['new', 'accepted'], at: at.toISOString(), atMs: at.getTime() },
          ),
        );
        if (!changed) {
          const call = await store.helpCalls.find(id);
          if (!call) throw new HttpError(404, { code: 'unknown-help-call', message: '没有这次呼叫' });
          const why = call.state === 'accepted' ? `已由工号 ${call.acceptedBy ?? ''} 接单` : call.state === 'cancelled' ? '群众已取消呼叫' : '这次呼叫已结束';
          throw new HttpError(409, { code: 'help-call-state', message: `${why}，列表已更新` });
        }
        helpCallsChanged(store);
        return { status: 200, body: await helpCallView(context, changed) };
      },
    });

  return [
    route({
      method: 'GET',
      auth: 'console',
      roles: HELP_ROLES,
      path: HELP_CALL_PATHS.consoleList,
      async handle({ query }) {
        const parsed = HelpCallListQuery.safeParse(Object.fromEntries(query));
        if (!parsed.success) throw badRequest('查询条件不正确');
        const { after, hall = null } = parsed.data;
        if (after === undefined) return { status: 200, body: await list(hall) };
        const changed = await waitFor(store, async () => ((await store.helpCalls.revision()) > after ? list(hall) : null), HELP_LONG_POLL_SECONDS * 1000);
        return { status: 200, body: changed ?? (await list(hall)) };
      },
    }),
    act('accepted'),
    act('closed'),
    route({
      method: 'GET',
      auth: 'console',
      roles: HELP_ROLES,
      path: HELP_CALL_PATHS.consoleOverview,
      async handle({ query }) {
        const hall = query.get('hall') || null;
        if (hall !== null && hall.length > 60) throw badRequest('大厅名称过长');
        const [reviewCases, stuck] = await Promise.all([store.helpCalls.reviewCases(hall, 100), store.helpCalls.stuckKiosks(hall)]);
        const halls = hall === null ? null : (await store.fleet.list({ hall, offset: 0, limit: 500 }, now().getTime())).rows.map((row) => row.terminalId);
        const alerts = await store.fleet.openAlerts(halls, 500);
        const body: HelpDeskOverview = {
          reviewCases,
          stuckKiosks: stuck.map((row) => ({ terminalId: row.terminalId, hall: row.hall, pending: row.pending, needsStaff: row.needsStaff, lastSeen: iso(row.lastSeenMs) })),
          alerts: alerts.map((alert) => ({ terminalId: alert.terminalId, kind: alert.kind, message: alert.message, raisedAt: new Date(alert.raisedAtMs).toISOString() })),
        };
        return { status: 200, body };
      },
    }),
  ];
}
