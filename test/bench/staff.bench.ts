import { performance } from 'node:perf_hooks';
import { DEMO_STAFF } from '../../host/services/demo-staff.js';
import { StaffAuth } from '../../host/services/staff-auth.js';
import { median, round, type Figures } from './figures.js';

/**
 * Kiosk staff sign-in cost (issue 11, kind 2): a wrong PIN for a known 工号 against an unknown 工号, median
 * of 20 each, and the first unknown 工号 right after start; their ratio in the same run should be ~1.0
 * (different costs would tell which 工号 exist). Fresh StaffAuth per sample so no lock or throttle applies.
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
    await new Promise((resolve) => setTimeout(resolve, 100));
    known.push(await time(auth, '0001'));
    unknown.push(await time(auth, '4242'));
    auth.dispose();
  }
  return {
    'staff.sign_in.known_wrong_ms': { value: round(median(known)), unit: 'ms' },
    'staff.sign_in.unknown_ms': { value: round(median(unknown)), unit: 'ms' },
    'staff.sign_in.first_unknown_after_start_ms': { value: round(median(firstUnknown)), unit: 'ms' },
    'staff.sign_in.unknown_to_known_ratio': { value: round(median(unknown) / median(known)), unit: 'x' },
  };
}
