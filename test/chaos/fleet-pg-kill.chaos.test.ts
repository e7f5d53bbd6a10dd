import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetCentral } from '../support/fleet-central-process.js';
import { createStorm, filedCases, lossesAndDuplicates } from '../support/fleet-storm.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';

/**
 * Two central processes on one PostgreSQL (node:cluster, one port, as a hall runs them), a fleet storm
 * of real drainers, and one central process killed with SIGKILL in the middle of it: requests in
 * flight die with their connections, their Idempotency-Key claims stay in flight until the lease runs
 * out, and the kiosks retry against the survivor. Every application must end as exactly one case, the
 * one its kiosk was told: 0 lost, 0 duplicated.
 */
const TERMINALS = Number(process.env.FLEET_CHAOS_TERMINALS ?? 60);
const ITEMS = 10;

describe('fleet storm on PostgreSQL with a central process killed', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('loses nothing and files nothing twice when one of two central processes dies mid-storm', async () => {
    const database = await cluster.createDatabase('chaos');
    const seed = randomBytes(8).toString('hex');
    // A short lease so the claims of the killed process are taken over within the test, not after a minute.
    const central = await startFleetCentral({ terminals: TERMINALS, seed, database, workers: 2, leaseMs: 3_000 });
    const storm = createStorm({ url: central.url, seed, terminals: TERMINALS, items: ITEMS, policy: { baseMs: 200, capMs: 4_000 } });
    try {
      storm.start(500);
      const total = TERMINALS * ITEMS;
      // Kill once a fifth is through: the storm is in full swing, with requests in flight on both processes.
      const deadline = Date.now() + 120_000;
      while (storm.left() > total * 0.8 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      // Both processes were serving (node:cluster hands connections round robin) when one dies.
      const before = await central.report();
      expect(before.stats).toHaveLength(2);
      expect(before.stats.every((stats) => stats.casesCreated > 0)).toBe(true);
      central.killWorker(1);
      while (storm.left() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(storm.left()).toBe(0);
      expect(storm.needsStaff()).toBe(0);
      const report = await central.report();
      // Only the survivor answers the report: it served what the killed one could not.
      expect(report.stats).toHaveLength(1);
      const outcome = lossesAndDuplicates(storm.acknowledged(), await filedCases(database), total);
      expect(outcome).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });
      expect((await filedCases(database)).length).toBe(total);
    } finally {
      await storm.stop();
      await central.close();
    }
  });
});
