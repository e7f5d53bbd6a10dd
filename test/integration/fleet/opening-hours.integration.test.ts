import { afterEach, describe, expect, it } from 'vitest';
import type { KioskInfo, SessionView } from '../../../contract/channels.js';
import { CONSOLE_PATHS } from '../../../contract/central/console.js';
import { startBridgedDemo, type BridgedDemo } from '../../support/bridge-client.js';
import { signInToConsole } from '../../support/console-client.js';
import { until } from '../../support/until.js';

/**
 * Opening hours through the real host and its bridge, as the kiosk's UI calls it (issue 13: "outside
 * them the kiosk shows its hours and the next opening, accepts no new sessions, and lets a running
 * session finish"). The hours arrive from the console as remote configuration while a citizen is at the
 * screen; the simulated reader lays real card bytes.
 */
const NEAREST = { name: '泰山区政务服务中心 24 小时自助区', address: '泰安市泰山区东岳大街 1 号' };
let demo: BridgedDemo | null = null;
afterEach(async () => {
  await demo?.close();
  demo = null;
});

describe('Opening hours on the kiosk', () => {
  it('lets a running session finish when the hall closes, then starts no session and reads no card until it opens again', async () => {
    demo = await startBridgedDemo({ config: { fleet: { heartbeatSeconds: 2 } } });
    const { bridge, stack } = demo;
    const technician = await signInToConsole(stack.central.url, '9001', '135790');
    const setHours = async (operatingHours: unknown) => expect((await technician.call('POST', CONSOLE_PATHS.configLayer('master', ''), { settings: { operatingHours } })).status).toBe(201);
    const info = async () => (await bridge.call('kiosk:get-info', {})).value as KioskInfo;
    const session = async () => (await bridge.call('session:get', {})).value as SessionView | null;

    // A citizen is at the screen when the hall closes (a week with no periods: closed now, whatever the time).
    expect((await bridge.call('session:start', { serviceId: null })).ok).toBe(true);
    bridge.events.splice(0);
    await setHours({ week: [[], [], [], [], [], [], []], exceptions: [], nearest24h: NEAREST });
    await bridge.waitForEvent('kiosk:info-changed', 20_000);
    expect((await info()).operatingHours?.nearest24h).toEqual(NEAREST);

    // The running session goes on: their card is read into it.
    const read = bridge.waitForEvent('identity:read', 15_000);
    expect((await bridge.call('simulator:place-card', { cardId: 'resident-zhang' })).ok).toBe(true);
    await read;
    expect((await session())?.identity).not.toBeNull();
    expect((await bridge.call('session:end', { reason: 'completed' })).ok).toBe(true);
    expect((await bridge.call('simulator:remove-card', {})).ok).toBe(true);

    // Closed: no new session, in plain words, and a card laid on the reader starts nothing.
    expect(await bridge.call('session:start', { serviceId: null })).toMatchObject({ ok: false, error: { code: 'closed', message: '现在不在办理时间，请在开放时间再来' } });
    bridge.events.splice(0);
    expect((await bridge.call('simulator:place-card', { cardId: 'resident-li' })).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(bridge.events.filter((entry) => entry.event === 'identity:read')).toEqual([]);
    expect(await session()).toBeNull();
    expect((await bridge.call('simulator:remove-card', {})).ok).toBe(true);
    // Central sees the kiosk closed, with no session open.
    await until(async () => {
      const detail = (await technician.call('GET', CONSOLE_PATHS.terminal('TA-DEMO-0001'))).body as { heartbeat: { hours: { open: boolean }; sessionActive: boolean } | null };
      return detail.heartbeat?.hours.open === false && !detail.heartbeat.sessionActive;
    }, 'the heartbeat to report the kiosk closed');

    // Open around the clock again: sessions start.
    await setHours(null);
    await until(async () => (await info()).operatingHours === null, 'the hours lifted');
    expect((await bridge.call('session:start', { serviceId: null })).ok).toBe(true);
  });
});
