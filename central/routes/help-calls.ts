import { FileHelpCallBody, HELP_CALL_PATHS, HELP_LONG_POLL_SECONDS, HelpCallWaitQuery, type HelpCall } from '../../contract/help-call.js';
import type { CentralContext } from '../context.js';
import { helpCallsChanged, waitFor } from '../help/revision-wait.js';
import { badRequest, HttpError, route, type Route } from '../http/routes.js';
import type { HelpCallRecord } from '../store/store.js';

const notFound = () => new HttpError(404, { code: 'unknown-help-call', message: '没有这次呼叫' });

/** A stored call as the API shows it: with its place in the hall's queue and the service's name. */
export async function helpCallView(context: CentralContext, record: HelpCallRecord): Promise<HelpCall> {
  const service = record.serviceId === null ? undefined : context.catalog.services.find((entry) => entry.id === record.serviceId);
  return {
    id: record.id,
    terminalId: record.terminalId,
    hall: record.hall,
    screen: record.screen,
    serviceId: record.serviceId,
    serviceName: service?.name ?? null,
    state: record.state,
    createdAt: record.createdAt,
    acceptedAt: record.acceptedAt,
    acceptedBy: record.acceptedBy,
    endedAt: record.endedAt,
    queuePosition: await context.store.helpCalls.queuePosition(record),
    revision: record.revision,
  };
}

/**
 * Help calls as a kiosk sees them (/v1, signed as the terminal; issue 12): file a call (its id makes a
 * resend the same call), wait for its next change (long-poll), cancel it. A terminal sees only its own calls.
 */
export function helpCallRoutes(context: CentralContext): Route[] {
  const { store, now } = context;
  const own = async (terminalId: string, id: string) => {
    const call = await store.helpCalls.find(id);
    if (!call || call.terminalId !== terminalId) throw notFound();
    return call;
  };
  return [
    route({
      method: 'POST',
      path: HELP_CALL_PATHS.file,
      body: FileHelpCallBody,
      async handle({ terminalId, body }) {
        const hall = (await store.terminals.hall(terminalId)) ?? '';
        const { call, created } = await store.transaction((tx) =>
          tx.helpCalls.file({ id: body.id, terminalId, hall, screen: body.screen, serviceId: body.serviceId, createdAt: body.createdAt, receivedAtMs: now().getTime() }),
        );
        // The same id from another terminal is not this terminal's call to see.
        if (call.terminalId !== terminalId) throw new HttpError(409, { code: 'help-call-conflict', message: '呼叫编号已被占用，请重新呼叫' });
        if (created) helpCallsChanged(store);
        return { status: created ? 201 : 200, body: await helpCallView(context, call) };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/help-calls/:id',
      async handle({ terminalId, params, query }) {
        const parsed = HelpCallWaitQuery.safeParse(Object.fromEntries(query));
        if (!parsed.success) throw badRequest('查询条件不正确');
        const id = params.id ?? '';
        const first = await own(terminalId, id);
        const after = parsed.data.after;
        if (after === undefined || first.revision > after) return { status: 200, body: await helpCallView(context, first) };
        // The queue position also moves when a call ahead is taken: wake on any change, answer when this call's view differs.
        const firstView = await helpCallView(context, first);
        const changed = await waitFor(
          store,
          async () => {
            const call = await own(terminalId, id);
            const view = await helpCallView(context, call);
            return call.revision > after || view.queuePosition !== firstView.queuePosition ? view : null;
          },
          HELP_LONG_POLL_SECONDS * 1000,
        );
        return { status: 200, body: changed ?? firstView };
      },
    }),
    route({
      method: 'POST',
      path: '/v1/help-calls/:id/cancel',
      async handle({ terminalId, params }) {
        const id = params.id ?? '';
        await own(terminalId, id);
        const nowDate = now();
        const changed = await store.transaction((tx) => tx.helpCalls.transition(id, { to: 'cancelled', from: ['new', 'accepted'], at: nowDate.toISOString(), atMs: nowDate.getTime() }));
        if (changed) helpCallsChanged(store);
        // Cancelling an ended call answers it as it is (a resend of a cancel, or staff closed it first).
        return { status: 200, body: await helpCallView(context, changed ?? (await own(terminalId, id))) };
      },
    }),
  ];
}
