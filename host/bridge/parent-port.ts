import type { CallContext, Dispatch } from '../../contract/derive.js';
import type { EventName, EventPayload } from '../../contract/events.js';
import { events } from '../../contract/events.js';

/**
 * The Electron bridge, host side: under `utilityProcess` the host talks to the main process over
 * `process.parentPort` (Electron adds it; plain Node has none). Main relays the renderer's calls here
 * after checking their sender, and relays events back. Messages mirror the WebSocket protocol.
 */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function parentPort(): ParentPort | null {
  return (process as unknown as { parentPort?: ParentPort }).parentPort ?? null;
}

export function attachParentPort(port: ParentPort, dispatch: Dispatch, context: () => CallContext) {
  port.on('message', ({ data }) => {
    if (typeof data !== 'object' || data === null || !('id' in data) || typeof data.id !== 'number') return;
    const { id } = data;
    const channel = 'channel' in data ? data.channel : undefined;
    const request = 'request' in data ? data.request : undefined;
    void dispatch(channel, request, context()).then((result) => port.postMessage({ id, result }));
  });
  return {
    broadcast<Name extends EventName>(event: Name, payload: EventPayload<Name>): void {
      port.postMessage({ event, payload: events[event].parse(payload) });
    },
  };
}
