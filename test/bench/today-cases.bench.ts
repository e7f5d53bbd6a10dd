import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../host/services/outbox.js';
import { listTodayCases, type MaskedNameCache, type TodayServices } from '../../host/staff-today.js';
import { submissionBody, testIdNumber } from '../support/central-fixture.js';
import { median, round, type Bench } from './figures.js';

/**
 * 今日办件 (issue 12, `staff:list-today`): a busy day of 150 applications on a real outbox, each sealed with a
 * 1 MB material photo. `staff.today_cold_ms` is the first opening (every payload opened for the masked name),
 * `staff.today_warm_ms` the median of 20 refreshes after it (names cached; outbox rows and journal only).
 */
const CASES = 150;
const PHOTO = `/9j/${'A'.repeat(1_000_000)}`;

const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'today-bench-'));
  const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), key: randomBytes(32), terminalId: 'TA-BENCH-0001' });
  try {
    for (let index = 0; index < CASES; index++) {
      outbox.enqueue({
        kind: 'application',
        serviceId: 'svc',
        applicantPseudonym: `p-${index}`,
        payload: (localNumber) => {
          const body = submissionBody(localNumber, testIdNumber(index + 1), 'svc');
          return { ...body, draft: { ...body.draft, materials: { page: { kind: 'photo', base64: PHOTO } } } };
        },
      });
    }
    const services: TodayServices = { outbox, printing: { pending: () => [] }, catalog: { service: () => null }, audit: { append: () => undefined } };
    const cache: MaskedNameCache = new Map();
    let started = performance.now();
    const cold = listTodayCases(services, 'all', 'staff:bench', Date.now(), cache);
    const coldMs = performance.now() - started;
    if (cold.cases.length !== CASES) throw new Error(`listed ${cold.cases.length} of ${CASES}`);
    const warm: number[] = [];
    for (let run = 0; run < 20; run++) {
      started = performance.now();
      listTodayCases(services, 'all', 'staff:bench', Date.now(), cache);
      warm.push(performance.now() - started);
    }
    return {
      'staff.today_cold_ms': { value: round(coldMs), unit: `ms (first 今日办件 of ${CASES} cases with 1 MB photos)` },
      'staff.today_warm_ms': { value: round(median(warm)), unit: `ms (median refresh, ${CASES} cases, names cached)` },
    };
  } finally {
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;
