import { defineConfig } from 'vitest/config';

/**
 * Test tiers by file name (STYLE.md): *.test.ts unit, *.integration.test.ts real pty/spooler/SQLite/HTTP,
 * *.e2e.test.ts real Chromium, *.chaos.test.ts kill-and-fault runs. `vitest run --project <tier>`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.e2e.test.ts', '**/*.chaos.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.integration.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
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
          fileParallelism: false,
          globalSetup: ['test/support/no-personal-data-left.global.ts'],
        },
      },
    ],
  },
});
