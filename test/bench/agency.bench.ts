/**
 * 代办 (issue 12): what the agent waits for at the kiosk. `agency.population_check_ms`: `agency:check-principal`
 * through the host (parse, GB 11643 check, a signed `POST /v1/identity/population-check` to central on SQLite,
 * the principal set on the session), as the bridge calls it, median and p99 of RUNS runs; `agency.set_1mb_ms`:
 * `agency:set` with a 1 MB 委托书 photo (the bridge's schema parse of the base64 and the session update).
 * The demo stack with simulated devices; the agent's card read and 人工核验 once before the runs.
 */
import { performance } from 'node:perf_hooks';
import type { ChannelName, ChannelRequest } from '../../contract/channels.js';
import type { Result } from '../../contract/result.js';
import { DEMO_POPULATION } from '../../central/identity-population.js';
import { startDemoStack } from '../../scripts/demo-stack.js';
import { until } from '../support/until.js';
import { median, percentile, round, type Figures } from './figures.js';

const RUNS = 50;

export default async function (): Promise<Figures> {
  const stack = await startDemoStack({ bridge: 'none', serveRenderer: false });
  const call = async <Name extends ChannelName>(name: Name, request: ChannelRequest<Name>) => {
    const result = (await stack.host.dispatch(name, request, stack.host.context())) as Result<unknown>;
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  try {
    const principal = DEMO_POPULATION[1];
    if (!principal) throw new Error('central’s demo population is empty');
    await call('session:start', { serviceId: 'senior-preferential-card' });
    stack.host.devices.simulators?.idCard?.placeCard('resident-zhang');
    await until(async () => ((await call('session:get', {})) as { identity: unknown } | null)?.identity, 'the agent’s card', 10_000);
    await call('identity:staff-check', { number: '0001', pin: '246810' });
    await call('agency:begin', {});
    const checks: number[] = [];
    for (let run = 0; run < RUNS + 5; run++) {
      const start = performance.now();
      await call('agency:check-principal', { idNumber: principal.idNumber, name: principal.name });
      if (run >= 5) checks.push(performance.now() - start); // the first few warm the JIT and the connection
    }
    // 1 MB of JPEG-looking base64 (the schema checks its form, not its pixels).
    const photo = `/9j/${'A'.repeat(1024 * 1024)}`;
    const sets: number[] = [];
    for (let run = 0; run < 20; run++) {
      const start = performance.now();
      await call('agency:set', { relationship: '子女', authorisation: { kind: '委托书', mimeType: 'image/jpeg', base64: photo } });
      sets.push(performance.now() - start);
    }
    return {
      'agency.population_check_ms.median': { value: round(median(checks), 1), unit: 'ms' },
      'agency.population_check_ms.p99': { value: round(percentile(checks, 99), 1), unit: 'ms' },
      'agency.set_1mb_ms.median': { value: round(median(sets), 1), unit: 'ms' },
    };
  } finally {
    await stack.close();
  }
}
