import { startDemoStack } from '../../scripts/demo-stack.js';
import { launchChromium } from '../e2e/support/browser.js';
import { Citizen, ORIENTATIONS, type Orientation } from '../e2e/support/citizen.js';
import { WALKTHROUGHS, queryByNumber, type Outcome } from '../e2e/support/walkthroughs.js';
import type { Figures } from './figures.js';

/**
 * ux.taps.<service>: taps from the home screen to the printed receipt for each walkthrough service
 * (issue 9, "Benchmarks"), by the same tap-only citizen and the same journeys as the e2e walkthroughs
 * (test/e2e/support/walkthroughs.ts), in their orientation and modes. Counted: every tap on a control,
 * key and candidate; not counted: laying the card on the reader, the mode buttons pressed before
 * starting, strokes drawn (reported beside as ux.strokes.<service> where there are any) and swipes.
 * Also ux.taps.progress-by-local-number: 办件查询 by typing the 本机编号 of the first case.
 * A journey the kiosk cannot complete yet gives no figure (said on stderr), never a made-up one.
 */
export default async function bench(): Promise<Figures> {
  const stack = await startDemoStack();
  const browser = await launchChromium({ camera: 'none' });
  const figures: Figures = {};
  try {
    const url = stack.host.bridge?.launchUrl ?? '';
    const citizens = {} as Record<Orientation, Citizen>;
    for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) citizens[orientation] = await Citizen.open(browser, orientation, url, `bench-${orientation}`);
    const home = async (citizen: Citizen) => {
      await stack.host.dispatch('session:end', { reason: 'staff' }, { audiences: new Set(['citizen']) });
      await citizen.waitForScreen('home');
    };
    let first: Outcome | null = null;
    for (const walkthrough of WALKTHROUGHS) {
      const citizen = citizens[walkthrough.orientation];
      try {
        await home(citizen);
        await citizen.setModes(walkthrough.modes);
        const before = citizen.counts();
        const outcome = await walkthrough.run(citizen);
        first ??= outcome;
        figures[`ux.taps.${walkthrough.service}`] = { value: citizen.taps - before.taps, unit: 'taps' };
        if (citizen.strokes > before.strokes) figures[`ux.strokes.${walkthrough.service}`] = { value: citizen.strokes - before.strokes, unit: 'strokes' };
      } catch (error) {
        process.stderr.write(`ux.taps.${walkthrough.service}: not measured, the journey cannot be completed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    if (first) {
      const citizen = citizens.landscape;
      try {
        await home(citizen);
        const before = citizen.taps;
        await queryByNumber(citizen, first.localNumber);
        figures['ux.taps.progress-by-local-number'] = { value: citizen.taps - before, unit: 'taps' };
      } catch (error) {
        process.stderr.write(`ux.taps.progress-by-local-number: not measured: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  return figures;
}
