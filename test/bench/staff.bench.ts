import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CENTRAL_PATHS } from '../../contract/central/api.js';
import { signRequest } from '../../contract/central/signing.js';
import { DEMO_STAFF } from '../../host/services/demo-staff.js';
import { startTestCentral } from '../support/central-fixture.js';
import { StaffAuth } from '../../host/services/staff-auth.js';
import { median, round, type Figures } from './figures.js';

/**
 * Staff sign-in cost (issue 11, kind 2): a wrong PIN for a known 工号 against an unknown 工号, median of 20
 * each, on the kiosk (StaffAuth) and at central (POST /v1/staff/sign-in); their ratio in the same run should
 * be ~1.0 (different costs would tell which 工号 exist; central's were 43 ms and 6 ms). The kiosk's first
 * unknown 工号 right after start too. Fresh StaffAuth per sample so no lock or throttle applies; central
 * with limits high enough not to refuse.
 */
export default async function bench(): Promise<Figures> {
  const fresh = () => new StaffAuth({ accounts: DEMO_STAFF, audit: { append: () => undefined }, idleMs: 60_000 });
  const time = async (auth: StaffAuth, number: string): Promise<number> => {
    const started = performance.now();
    await auth.signIn(number, '000000');
    return performance.now() - started;
  };
  const firstUnknown: number[] = [];
  for (let run = 0; run < 5; run++) {
    const auth = fresh();
    // A citizen-facing pause: the kiosk has been up a moment before anyone reaches the PIN pad.
    await new Promise((resolve) => setTimeout(resolve, 200));
    firstUnknown.push(await time(auth, '4242'));
    auth.dispose();
  }
  const known: number[] = [];
  const unknown: number[] = [];
  for (let run = 0; run < 20; run++) {
    const auth = fresh();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Alternate which goes first, so that neither is measured while the other warms anything up.
    if (run % 2 === 0) {
      known.push(await time(auth, '0001'));
      unknown.push(await time(auth, '4242'));
    } else {
      unknown.push(await time(auth, '4242'));
      known.push(await time(auth, '0001'));
    }
    auth.dispose();
  }
  const central = await centralSignInTimes();
  return {
    ...central,
    'staff.sign_in.known_wrong_ms': { value: round(median(known)), unit: 'ms' },
    'staff.sign_in.unknown_ms': { value: round(median(unknown)), unit: 'ms' },
    'staff.sign_in.first_unknown_after_start_ms': { value: round(median(firstUnknown)), unit: 'ms' },
    'staff.sign_in.unknown_to_known_ratio': { value: round(median(unknown) / median(known)), unit: 'x' },
  };
}

async function centralSignInTimes(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'taian-staff-bench-'));
  const limit = { points: 10_000, durationSeconds: 60 };
  const test = await startTestCentral(dir, { extra: { staff: [{ staffNumber: 'A0012', name: '王芳', role: 'staff', pin: '482913' }], staffLimits: { perTerminal: limit, perSource: limit, terminalFailures: limit } } });
  const time = async (staffNumber: string): Promise<number> => {
    const body = JSON.stringify({ staffNumber, pin: '000000' });
    const started = performance.now();
    await fetch(`${test.central.url}${CENTRAL_PATHS.staffSignIn}`, { method: 'POST', headers: { ...signRequest(test.key, 'POST', CENTRAL_PATHS.staffSignIn, body), 'content-type': 'application/json' }, body });
    return performance.now() - started;
  };
  try {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let run = 0; run < 20; run++) {
      // Under the five-failure lock: a fresh unknown 工号 each time, the known one's count cleared by a right PIN.
      known.push(await time('A0012'));
      unknown.push(await time(`Z${String(run).padStart(4, '0')}`));
      if (run % 4 === 3) {
        const body = JSON.stringify({ staffNumber: 'A0012', pin: '482913' });
        await fetch(`${test.central.url}${CENTRAL_PATHS.staffSignIn}`, { method: 'POST', headers: { ...signRequest(test.key, 'POST', CENTRAL_PATHS.staffSignIn, body), 'content-type': 'application/json' }, body });
      }
    }
    return {
      'central.staff_sign_in.known_wrong_ms': { value: round(median(known)), unit: 'ms' },
      'central.staff_sign_in.unknown_ms': { value: round(median(unknown)), unit: 'ms' },
      'central.staff_sign_in.unknown_to_known_ratio': { value: round(median(unknown) / median(known)), unit: 'x' },
    };
  } finally {
    await test.central.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
