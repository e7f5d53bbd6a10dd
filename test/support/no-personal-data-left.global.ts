import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { filesUnder, scanTree } from './personal-data-scan.js';

/**
 * Vitest global setup of the e2e and chaos tiers (issue 10, kind 10): the run gets its own temporary
 * directory (TMPDIR, inherited by test workers, child hosts and Chromium), and at the end no file with
 * personal data may be left in it. Demo stacks, helpers and chaos children must remove what they make,
 * including on failure; whatever remains fails the run, then is removed so the machine is clean either way.
 * A directory of its own, not a before/after listing of /tmp: other runs on a shared machine write there too.
 */
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const runDir = mkdtempSync(join(tmpdir(), 'taian-test-run-'));
  process.env.TMPDIR = runDir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    // tsx's compile cache (child hosts run `node --import tsx`) holds the repository's own sources, the
    // invented demo deck among them: not data a run produced.
    const findings = readdirSync(runDir)
      .filter((name) => !/^tsx-\d+$/.test(name))
      .flatMap((name) => scanTree(join(runDir, name)));
    const leftovers = filesUnder(runDir).length;
    rmSync(runDir, { recursive: true, force: true });
    if (leftovers > 0 && findings.length === 0) process.stderr.write(`note: the run left ${leftovers} file(s) without personal data in its temp directory (removed)\n`);
    if (findings.length > 0) {
      const lines = findings.map((finding) => `  ${relative(runDir, finding.file)}: ${finding.what}`).join('\n');
      // Vitest reports an error thrown here but still exits 0, so the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`the run left personal data in its temp directory (removed now):\n${lines}`);
    }
  };
}
