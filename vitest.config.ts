import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DuckDB-WASM instantiation takes about a second; browser tests start Chromium.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
