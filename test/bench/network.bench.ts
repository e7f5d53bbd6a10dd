import type { OutboxDepth } from '../../contract/domain.js';
import { startBridgedDemo } from '../support/bridge-client.js';
import { proxyForDemoCentral } from '../support/fault-proxy.js';
import { median, round, type Bench } from './figures.js';

/**
 * How long the status pill lags central's reachability (issue 9 item 5: shown within 10 s): the demo
 * host and central with a TCP fault proxy between them; each cycle central disappears (a black hole: the
 * slowest case, every probe waits its whole timeout), then returns. Measured from the fault to the
 * `outbox:depth-changed` event the window renders, over real sockets and real timers.
 *
 * Figures: network.offline_shown_{median,max}_ms and network.online_shown_{median,max}_ms.
 */
const CYCLES = 6;

const bench: Bench = async () => {
  const { proxy, centralUrlFor } = await proxyForDemoCentral();
  const demo = await startBridgedDemo({ centralUrlFor });
  const { bridge } = demo;
  const until = async (online: boolean): Promise<number> => {
    const start = performance.now();
    const from = bridge.events.length;
    while (!bridge.events.slice(from).some((entry) => entry.event === 'outbox:depth-changed' && (entry.payload as OutboxDepth).online === online)) {
      if (performance.now() - start > 60_000) throw new Error(`no change to online=${online} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now() - start;
  };
  const offline: number[] = [];
  const online: number[] = [];
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Let the monitor settle into its online rhythm at a different phase each cycle.
      await new Promise((resolve) => setTimeout(resolve, 3_000 + cycle * 700));
      proxy.setFaults({ blackhole: true });
      proxy.cutAll();
      offline.push(await until(false));
      await new Promise((resolve) => setTimeout(resolve, 10_000 + cycle * 900));
      proxy.heal();
      online.push(await until(true));
    }
  } finally {
    await demo.close();
    await proxy.close();
  }
  return {
    'network.offline_shown_median_ms': { value: round(median(offline), 0), unit: 'ms' },
    'network.offline_shown_max_ms': { value: round(Math.max(...offline), 0), unit: 'ms' },
    'network.online_shown_median_ms': { value: round(median(online), 0), unit: 'ms' },
    'network.online_shown_max_ms': { value: round(Math.max(...online), 0), unit: 'ms' },
  };
};

export default bench;
