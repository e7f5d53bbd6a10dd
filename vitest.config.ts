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
          // One Chromium at a time: two cores are shared with the host, central and the build.
          fileParallelism: false,
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
