import { describe, expect, it } from 'vitest';
import { channelNames, createDispatcher, type Handlers } from '../../../contract/derive.js';
import { fail, ok } from '../../../contract/result.js';
import { attachParentPort, type ShellEvent } from '../../../host/bridge/parent-port.js';

function fakePort() {
  const listeners: Array<(message: { data: unknown }) => void> = [];
  const posted: unknown[] = [];
  return {
    posted,
    on: (_event: 'message', listener: (message: { data: unknown }) => void) => void listeners.push(listener),
    postMessage: (message: unknown) => void posted.push(message),
    deliver: (data: unknown) => listeners.forEach((listener) => listener({ data })),
  };
}

describe('attachParentPort', () => {
  const handlers = Object.fromEntries(channelNames.map((name) => [name, () => fail('not-here', name)])) as unknown as Handlers;
  handlers['outbox:get-depth'] = () => ok({ pending: 0, needsStaff: 0, online: true });
  const dispatch = createDispatcher(handlers);
  const context = () => ({ audiences: new Set(['citizen'] as const) });

  it('tells main it is ready, so main sends the shell events it held while the host was starting', () => {
    const port = fakePort();
    attachParentPort(port, dispatch, context);
    expect(port.posted).toEqual([{ type: 'host-ready' }]);
  });

  it('hands main\'s shell events to the audit and ignores malformed ones', async () => {
    const port = fakePort();
    const events: ShellEvent[] = [];
    attachParentPort(port, dispatch, context, (event) => events.push(event));
    port.deliver({ type: 'shell-event', event: 'window.render-process-gone', outcome: 'reload: crashed (exit 139)' });
    port.deliver({ type: 'shell-event', event: 'Window Gone; DROP TABLE', outcome: 'x' });
    port.deliver({ type: 'shell-event', event: 'window.unresponsive', outcome: 'x'.repeat(500) });
    expect(events).toEqual([{ type: 'shell-event', event: 'window.render-process-gone', outcome: 'reload: crashed (exit 139)' }]);
    // Calls still go to the dispatcher.
    port.deliver({ id: 7, channel: 'outbox:get-depth', request: {} });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(port.posted.at(-1)).toEqual({ id: 7, result: { ok: true, value: { pending: 0, needsStaff: 0, online: true } } });
  });
});
