import { CENTRAL_PATHS, HeartbeatBody, type TerminalConfiguration } from '../../contract/central/api.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';

/** Settings every terminal gets unless central's options override them. */
const DEFAULT_CONFIGURATION = { idleTimeoutSeconds: 120, idleWarningSeconds: 30, purgeAfterHours: 72 };

/**
 * The terminal itself: its configuration and its heartbeat. The fleet (heartbeat history, alerts,
 * remote configuration, self-test) grows from here, in its own module beside this one.
 */
export function terminalRoutes(
  { store, catalog, now }: CentralContext,
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
    route({
      method: 'POST',
      path: CENTRAL_PATHS.heartbeat,
      body: HeartbeatBody,
      async handle({ terminalId, body }) {
        await store.terminals.recordHeartbeat(terminalId, {
          receivedAt: now().toISOString(),
          queueDepth: body.queueDepth,
          needsStaff: body.needsStaff,
          devices: JSON.stringify(body.devices),
          version: body.version,
        });
        return { status: 204, body: null };
      },
    }),
  ];
}
