import { runCorruptionScenario, type Damage } from '../support/corruption-scenario.js';
import type { Figures } from './figures.js';

/**
 * chaos.corruption.applications_lost (issue 10, kind 2): over RUNS runs of the storage-damage scenario
 * (a host killed with applications delivered and queued, then a random page of its outbox overwritten, or
 * the outbox deleted, and the host started again), the acknowledged applications that are neither
 * delivered once to their own case nor listed for staff, plus any delivered to someone else's case.
 * Goal 0. Also how many were acknowledged and listed, for scale.
 */
const RUNS = Number(process.env.CORRUPTION_RUNS ?? 6);

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

export default async function bench(): Promise<Figures> {
  let acknowledged = 0;
  let lost = 0;
  let listed = 0;
  for (let run = 0; run < RUNS; run++) {
    const damage: Damage = run % 3 === 2 ? 'delete-outbox' : 'corrupt-page';
    const result = await runCorruptionScenario(damage, seeded(0xc0ffee + run), { delivered: 3, queued: 5 });
    acknowledged += result.acknowledged;
    listed += result.listedForStaff;
    lost += result.unaccounted.length + result.misattributed.length;
  }
  return {
    'chaos.corruption.applications_lost': { value: lost, unit: `unaccounted of ${acknowledged} acknowledged (${RUNS} runs)` },
    'chaos.corruption.applications_listed_for_staff': { value: listed, unit: `of ${acknowledged} acknowledged` },
  };
}
