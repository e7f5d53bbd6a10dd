import type { Handlers } from '../contract/derive.js';
import { ok } from '../contract/result.js';
import type { HelpCallService } from './services/help-calls.js';
import type { SessionService } from './services/session.js';

/** 呼叫工作人员's channels (contract/help-call.ts): open to every citizen screen; no personal data in or out. */
export type HelpChannel = 'help:call' | 'help:cancel' | 'help:get';

export function createHelpHandlers(services: { help: HelpCallService; session: SessionService }): Pick<Handlers, HelpChannel> {
  return {
    // The service comes from the host's own session, not from the window: the call says where the citizen is.
    'help:call': async ({ screen }) => ok(await services.help.call(screen, services.session.current()?.serviceId ?? null)),
    'help:cancel': () => ok({ cancelled: services.help.cancel() }),
    'help:get': () => ok(services.help.view()),
  };
}
