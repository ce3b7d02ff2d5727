import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB-WASM instantiation takes about a second; browser tests start Chromium.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, so one on CI's two. Two workers ran
    // the suite in about 10 minutes instead of 15-16; most test files wait on DuckDB's worker or
    // Chromium rather than computing, so two of them share the two cores well.
    maxWorkers: 2,
  },
});
