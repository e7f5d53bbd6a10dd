import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_PATHS, TerminalDetail } from '../../../contract/central/console.js';
import { startHost, type Host } from '../../../host/main.js';
import { startDemoStack, type DemoStack } from '../../../scripts/demo-stack.js';
import { signInToConsole } from '../../support/console-client.js';
import { until } from '../../support/until.js';

/**
 * Issue 11: a crashed or hung window that main reloads (or an app it relaunches) is recorded in the audit
 * chain "and the heartbeat when it exists". Electron's main is played by a stand-in parent port (Electron
 * never runs here); the host is the real one, the heartbeat goes to the real central.
 */
const TERMINAL = 'TA-DEMO-0001';
const closers: Array<() => Promise<unknown>> = [];
const processWithPort = process as unknown as { parentPort?: unknown };
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  delete processWithPort.parentPort;
});

function standInParentPort() {
  const listeners: Array<(message: { data: unknown }) => void> = [];
  return {
    on: (_event: 'message', listener: (message: { data: unknown }) => void) => void listeners.push(listener),
    postMessage: () => undefined,
    deliver: (data: unknown) => listeners.forEach((listener) => listener({ data })),
  };
}

describe('Shell events in the heartbeat', () => {
  it('reports a window main had to reload to the fleet console at once, and keeps it in the audit chain', async () => {
    const stack: DemoStack = await startDemoStack({ bridge: 'none', serveRenderer: false, config: { fleet: { heartbeatSeconds: 60 } } });
    closers.push(() => stack.close());
    await stack.host.close();
    const port = standInParentPort();
    processWithPort.parentPort = port;
    const host: Host = await startHost({ config: stack.config, rendererDir: null, bridge: 'parent-port' });
    closers.push(() => host.close());
    const technician = await signInToConsole(stack.central.url, '9001', '135790');
    const detail = async () => TerminalDetail.parse((await technician.call('GET', CONSOLE_PATHS.terminal(TERMINAL))).body);
    await until(async () => (await detail()).heartbeat !== null, 'a first heartbeat');
    expect((await detail()).heartbeat?.lastErrorCode ?? null).not.toBe('shell.window.render-process-gone');

    port.deliver({ type: 'shell-event', event: 'window.render-process-gone', outcome: 'reload: crashed (exit 139)' });
    // Within seconds, not the 60 s heartbeat period: the event pokes a heartbeat.
    await until(async () => (await detail()).heartbeat?.lastErrorCode === 'shell.window.render-process-gone', 'the shell event in a heartbeat', 15_000);
    expect(host.outbox.audit.entries().some((entry) => entry.event === 'shell.window.render-process-gone' && entry.outcome === 'reload: crashed (exit 139)')).toBe(true);
  });
});
