import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/longest-first.sequencer.js';

/**
 * Test tiers by file name (STYLE.md): *.test.ts unit, *.integration.test.ts real pty/spooler/SQLite/HTTP,
 * *.e2e.test.ts real Chromium, *.chaos.test.ts kill-and-fault runs. `vitest run --project <tier>`.
 */
/** Integration files that read cups-pdf's output (test/support/private-cups.ts). */
const CUPS_PDF_FILES = ['test/integration/print/cups-spooler.integration.test.ts', 'test/integration/print/proof-cups.integration.test.ts'];

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.e2e.test.ts', '**/*.chaos.test.ts'],
          // Vitest's default in a run is one worker fewer than the cores: one worker on this 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.integration.test.ts'],
          exclude: [...CUPS_PDF_FILES],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two files at a time (vitest's default here is one): most of an integration test waits on a pty, a
          // spooler, PostgreSQL or HTTP. Each file has its own ports, ptys, clusters and temp folders.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          // The files whose private cupsd prints through cups-pdf: cups-pdf writes every job into one folder
          // of the system's (/etc/cups/cups-pdf.conf `Out`), named by job number, and each private cupsd
          // counts jobs from 1, so two at once could read each other's PDF. One at a time, after the rest.
          name: 'integration-print',
          include: [...CUPS_PDF_FILES],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at a time: an e2e file keeps about half of one core busy (screens-axe: 244 s of CPU in
          // 439 s; most of its time is Chromium and the kiosk waiting on timers, speech and the network), so
          // two of them share the two cores without starving each other. Each file has its own demo stack,
          // Chromium, temp files and ports.
          fileParallelism: true,
          maxWorkers: 2,
          globalSetup: ['test/support/no-personal-data-left.global.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.chaos.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          // Two files at a time, as e2e: each has its own host, central, PostgreSQL cluster, folders and ports,
          // and most of a chaos test is waiting on backoff, restarts and kills. Measured at load ≈ 8 (2026-12-01):
          // all five passed in 195 s, against ≈ 245 s one at a time on an idle machine.
          fileParallelism: true,
          maxWorkers: 2,
          globalSetup: ['test/support/no-personal-data-left.global.ts'],
        },
      },
    ],
  },
});
