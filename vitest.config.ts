import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: run test files on both, never more.
    pool: 'forks',
    maxWorkers: 2,
  },
});
