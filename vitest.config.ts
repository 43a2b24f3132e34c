import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // temporary folders go under one folder per run, removed at its end (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    // property tests on a fixed seed unless FC_SEED says otherwise (test/setup.ts)
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
