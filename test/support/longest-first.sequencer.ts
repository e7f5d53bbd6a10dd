import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take longest start first (in this order), then vitest's own order (BaseSequencer: failed
 * first, then by the durations cached from the last run, else by file size). A fresh clone has no cache,
 * and file size says nothing here: `screens.e2e.test.ts` is 20 lines over a walk of ~8 minutes, so it was
 * picked last and ran alone while the other worker sat idle (CI, e2e two files at a time).
 * Source: vitest `sequence.sequencer` (a TestSequencer constructor; vitest/node's BaseSequencer).
 */
export const LONGEST_FIRST: readonly string[] = [
  'test/e2e/screens.e2e.test.ts',
  'test/e2e/citizen-walkthroughs.e2e.test.ts',
  'test/e2e/modes-voice.e2e.test.ts',
  'test/e2e/input-panels.e2e.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: files off the list keep vitest's order among themselves.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
