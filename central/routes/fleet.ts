import { CENTRAL_PATHS } from '../../contract/central/api.js';
import { HeartbeatBody, LogUploadBody } from '../../contract/central/fleet.js';
import type { CentralContext } from '../context.js';
import { HttpError, route, type Route } from '../http/routes.js';

/**
 * The fleet, as terminals see it (issue 13): the heartbeat, answered with the terminal's desired
 * out-of-service state, its configuration when it runs another version, its pending commands and the
 * audit anchor; and the upload of pseudonymised logs a `fetch-logs` command asked for. Kiosks dial out;
 * central never dials in, so every command travels in a heartbeat's answer.
 */
export function fleetRoutes({ store, now, heartbeats }: CentralContext): Route[] {
  return [
    route({
      method: 'POST',
      path: CENTRAL_PATHS.heartbeat,
      body: HeartbeatBody,
      async handle({ terminalId, body }) {
        let answer;
        try {
          answer = await heartbeats.submit(terminalId, body, now().getTime());
        } catch (error) {
          console.error('central: heartbeat batch failed', (error as Error).message);
          throw new HttpError(503, { code: 'unavailable', message: '服务繁忙' }, { 'retry-after': '5' });
        }
        if (!answer) throw new HttpError(404, { code: 'unknown-terminal', message: '终端未登记' });
        return { status: 200, body: answer };
      },
    }),
    route({
      method: 'POST',
      path: CENTRAL_PATHS.fleetLogs,
      body: LogUploadBody,
      async handle({ terminalId, body }) {
        const stored = await store.fleet.putLogs(terminalId, body.commandId, JSON.stringify(body.lines), now().getTime());
        if (!stored) throw new HttpError(404, { code: 'unknown-command', message: '没有这条取日志指令' });
        return { status: 204, body: null };
      },
    }),
  ];
}
