/**
 * fleet.console.load_ms (issue 13): the fleet console with 10,000 terminals in the database, goal
 * < 1,000 ms to a usable first page. Central on PostgreSQL (durable, as a hall runs it) serves the built
 * console (dist/consoles: `npm run build:consoles` first; `npm run bench` builds it) to real Chromium.
 *
 * The fleet: 10,000 registered terminals over 6 districts and 40 halls; 9,500 have sent a heartbeat
 * (through the group-commit batcher, as over HTTP), of which every 25th is out of paper (an open
 * alert) and every 100th out of service; 500 were never heard from (silent).
 *
 * Figures (median of 5 each):
 * - fleet.console.load_ms: a signed-in technician reloads the console; from navigation until the first
 *   page (50 terminals with their state and alerts, the state counts and the district and hall filters)
 *   is on screen. The page asks central for one page only: paging, counts and filters are central's.
 * - fleet.console.sign_in_ms: from tapping 登录 until that first page is on screen.
 * - fleet.console.filter_ms: choosing a district and the state 需关注, until the filtered page shows.
 * - fleet.console.sqlite.load_ms: the same reload with central on SQLite, beside it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { loadCatalog } from '../../catalog/load.js';
import { HeartbeatBatcher } from '../../central/fleet/batcher.js';
import { openCentralStore, startCentralServer } from '../../central/server.js';
import { STATE_NAMES } from '../../consoles/src/sections/fleet/words.js';
import { launchChromium } from '../e2e/support/browser.js';
import { FLEET_DISTRICTS, fleetTerminalId } from '../support/fleet-central.js';
import { sampleHeartbeat } from '../support/fleet-fixture.js';
import { withBenchDatabases } from './bench-databases.js';
import { median, round, type Figures } from './figures.js';

const TERMINALS = 10_000;
const HEARD = 9_500;
const RUNS = 5;
const CONSOLE_DIR = fileURLToPath(new URL('../../dist/consoles', import.meta.url));
const STAFF = { staffNumber: '9001', name: '运维', role: 'technician' as const, pin: '135790' };

const district = (index: number) => FLEET_DISTRICTS[index % FLEET_DISTRICTS.length] ?? '370902';
const hall = (index: number) => `大厅 ${index % 40}`;

async function seed(database: string): Promise<void> {
  const store = await openCentralStore(database, 8);
  try {
    await store.transaction(async (tx) => {
      for (let index = 0; index < TERMINALS; index++) {
        await tx.terminals.register({ id: fleetTerminalId(index), secret: 's', algorithm: 'hmac-sha256', hall: hall(index), district: district(index) });
      }
    });
    const batcher = new HeartbeatBatcher(store);
    const at = new Date().toISOString();
    await Promise.all(
      Array.from({ length: HEARD }, (_, index) =>
        batcher.submit(
          fleetTerminalId(index),
          sampleHeartbeat({
            terminal: { hallName: hall(index), divisionCode: district(index) },
            devices: [
              { id: 'id-card-reader', kind: 'id-card-reader', state: 'online', simulated: true, updatedAt: at },
              { id: 'receipt-printer', kind: 'receipt-printer', state: index % 25 === 0 ? 'userError' : 'online', ...(index % 25 === 0 ? { detail: 'paper-out' } : {}), paper: index % 25 === 0 ? 'out' : 'full', simulated: true, updatedAt: at },
            ],
            outOfService: index % 100 === 0 ? { reasons: ['remote'], message: '设备检修' } : null,
          }),
          Date.now(),
        ),
      ),
    );
  } finally {
    await store.close();
  }
}

/** Milliseconds from `action` until the first page of terminals, the counts and the filters are on screen. */
async function untilFirstPage(page: Page, action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  await page.waitForSelector('[data-test=terminal-list] tbody tr [data-test=terminal-state]');
  await page.waitForSelector('[data-test=state-counts]');
  await page.locator('[data-test=filter-hall] option').nth(1).waitFor({ state: 'attached' });
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))');
  return performance.now() - started;
}

/** Milliseconds from choosing a district and 需关注 until every row shown is of that district and state. */
async function untilFiltered(page: Page, wanted: string): Promise<number> {
  const started = performance.now();
  await page.selectOption('[data-test=filter-district]', wanted);
  await page.selectOption('[data-test=filter-state]', 'degraded');
  // Polled from here: the console's CSP forbids the page-side eval a waitForFunction would need.
  for (;;) {
    const districts = await page.locator('[data-test=terminal-list] tbody tr td:nth-child(3)').allTextContents();
    const states = await page.locator('[data-test=terminal-list] tbody tr [data-test=terminal-state]').allTextContents();
    if (districts.length > 0 && states.length === districts.length && districts.every((shown) => shown === wanted) && states.every((shown) => shown === STATE_NAMES.degraded)) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))');
  return performance.now() - started;
}

async function measure(database: string, withFilters: boolean): Promise<{ load: number; signIn: number; filter: number | null }> {
  await seed(database);
  const central = await startCentralServer({ dbFile: database, dbPoolSize: 8, catalog: loadCatalog(), terminals: [], staff: [STAFF], consoleDir: CONSOLE_DIR, silentSweepMs: 0 });
  const browser = await launchChromium({ camera: 'none' });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })).newPage();
    const signIns: number[] = [];
    const loads: number[] = [];
    const filters: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${central.url}/console/`);
      await page.evaluate('sessionStorage.clear()');
      await page.reload();
      await page.fill('[data-test=staff-number]', STAFF.staffNumber);
      await page.fill('[data-test=pin]', STAFF.pin);
      signIns.push(await untilFirstPage(page, () => page.click('[data-test=sign-in-submit]')));
      loads.push(await untilFirstPage(page, () => page.reload()));
      const rows = await page.$$eval('[data-test=terminal-list] tbody tr', (found) => found.length);
      if (rows !== 50) throw new Error(`the first page shows ${rows} terminals, not 50`);
      if (withFilters) filters.push(await untilFiltered(page, district(run + 1)));
      await page.click('[data-test=sign-out]');
    }
    return { load: median(loads), signIn: median(signIns), filter: withFilters ? median(filters) : null };
  } finally {
    await browser.close();
    await central.close();
  }
}

export default function (): Promise<Figures> {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error('dist/consoles is missing: npm run build:consoles');
  return withBenchDatabases(async (databases) => {
    const pg = await measure(await databases.postgres('console'), true);
    const sqlite = await measure(databases.sqlite('console'), false);
    return {
      'fleet.console.load_ms': { value: round(pg.load, 0), unit: 'ms' },
      'fleet.console.sign_in_ms': { value: round(pg.signIn, 0), unit: 'ms' },
      'fleet.console.filter_ms': { value: round(pg.filter ?? 0, 0), unit: 'ms' },
      'fleet.console.sqlite.load_ms': { value: round(sqlite.load, 0), unit: 'ms' },
    };
  });
}
