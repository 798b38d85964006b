import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SQLite files and HTTP servers per file; two cores on the target machines.
    pool: 'forks',
    maxWorkers: 2,
  },
});
