import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Request logs are for operators; tests that read them set their own level.
    env: { LOG_LEVEL: 'silent' },
    hookTimeout: 120_000,
    // SQLite files and HTTP servers per file; two cores on the target machines.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'graph',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          // Seeds one small deterministic province for every graph test file.
          globalSetup: ['test/support/globalSetup.ts'],
        },
      },
    ],
  },
});
