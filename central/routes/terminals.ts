import { CENTRAL_PATHS, type TerminalConfiguration } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';

/** Settings every terminal gets unless central's options override them. */
const DEFAULT_CONFIGURATION = { idleTimeoutSeconds: 120, idleWarningSeconds: 30, purgeAfterHours: 72 };

/**
 * The terminal itself: the configuration it fetches at start. Its heartbeat, remote configuration and
 * commands are the fleet's (routes/fleet.ts).
 */
export function terminalRoutes(
  { store, catalog }: CentralContext,
  configuration: Partial<Omit<TerminalConfiguration, 'terminalId' | 'hallName'>> = {},
): Route[] {
  return [
    route({
      method: 'GET',
      path: CENTRAL_PATHS.configuration,
      async handle({ terminalId }) {
        const body: TerminalConfiguration = {
          terminalId,
          hallName: (await store.terminals.hall(terminalId)) ?? '',
          ...DEFAULT_CONFIGURATION,
          catalogVersion: catalog.version,
          ...configuration,
        };
        return { status: 200, body };
      },
    }),
  ];
}
