import { z } from 'zod';
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

/**
 * Main's record of something that happened to the shell (the window's renderer crashed and was reloaded,
 * the app was relaunched): electron/main.ts sends it, the host writes it to the audit chain.
 */
export const ShellEvent = z.object({
  type: z.literal('shell-event'),
  /** e.g. `window.render-process-gone`, `window.unresponsive`, `app.relaunched`. */
  event: z.string().regex(/^[a-z]+\.[a-z-]+$/).max(60),
  /** What main did and why, e.g. `reload: crashed (exit 139)`; no personal data. */
  outcome: z.string().max(200),
});
export type ShellEvent = z.infer<typeof ShellEvent>;

/**
 * Relays calls from main to the dispatcher and events back; `onShellEvent` receives main's shell records.
 * Posts `{ type: 'host-ready' }` once listening, so main sends what it held while the host was (re)starting.
 */
export function attachParentPort(port: ParentPort, dispatch: Dispatch, context: () => CallContext, onShellEvent: (event: ShellEvent) => void = () => undefined) {
  port.on('message', ({ data }) => {
    const shellEvent = ShellEvent.safeParse(data);
    if (shellEvent.success) return onShellEvent(shellEvent.data);
    if (typeof data !== 'object' || data === null || !('id' in data) || typeof data.id !== 'number') return;
    const { id } = data;
    const channel = 'channel' in data ? data.channel : undefined;
    const request = 'request' in data ? data.request : undefined;
    void dispatch(channel, request, context()).then((result) => port.postMessage({ id, result }));
  });
  port.postMessage({ type: 'host-ready' });
  return {
    broadcast<Name extends EventName>(event: Name, payload: EventPayload<Name>): void {
      port.postMessage({ event, payload: events[event].parse(payload) });
    },
  };
}
