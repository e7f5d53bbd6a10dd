import type { Handlers } from '../contract/derive.js';
import { ok } from '../contract/result.js';
import type { AuditChain } from './services/audit-chain.js';
import type { HelpCallService } from './services/help-calls.js';
import type { SessionService } from './services/session.js';
import type { StaffAuth } from './services/staff-auth.js';
import { asStaff } from './staff-handlers.js';

/**
 * 呼叫工作人员's channels (contract/help-call.ts), open to every citizen screen, no personal data in or
 * out; and 帮办's start, for a signed-in staff member, audited under their 工号.
 */
export type HelpChannel = 'help:call' | 'help:cancel' | 'help:get' | 'assist:start';

export function createHelpHandlers(services: { help: HelpCallService; session: SessionService; auth: StaffAuth; audit: Pick<AuditChain, 'append'> }): Pick<Handlers, HelpChannel> {
  return {
    // The service comes from the host's own session, not from the window: the call says where the citizen is.
    'help:call': async ({ screen }) => ok(await services.help.call(screen, services.session.current()?.serviceId ?? null)),
    'help:cancel': () => ok({ cancelled: services.help.cancel() }),
    'help:get': () => ok(services.help.view()),
    'assist:start': asStaff<'assist:start'>(services.auth, async (_request, actor) => {
      const view = await services.session.startAssisted(actor.replace(/^staff:/, ''));
      services.audit.append({ actor, event: 'assist.start', subject: view.sessionId, outcome: 'started' });
      return ok(view);
    }),
  };
}
