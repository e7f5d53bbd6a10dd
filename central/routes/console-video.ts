import { VIDEO_CONSOLE_PATHS, type VideoTerminals } from '../../contract/video-call.js';
import type { CentralContext } from '../context.js';
import { route, type Route } from '../http/routes.js';
import type { VideoHub } from '../video/hub.js';

/**
 * The console's 视频帮办 routes beside the signalling socket (video/signalling-socket.ts): which kiosks a
 * video call can reach now, with their hall. Staff and managers, as the socket.
 */
export function consoleVideoRoutes(context: CentralContext, hub: VideoHub): Route[] {
  return [
    route({
      method: 'GET',
      auth: 'console',
      roles: ['staff', 'manager'],
      path: VIDEO_CONSOLE_PATHS.terminals,
      async handle() {
        const terminals = await Promise.all(hub.connectedTerminals().map(async (terminalId) => ({ terminalId, hall: (await context.store.terminals.hall(terminalId)) ?? '' })));
        const body: VideoTerminals = { terminals };
        return { status: 200, body };
      },
    }),
  ];
}
