import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        // Unit tests may use WXT's fakeBrowser; the engine itself needs no browser at all.
        plugins: [WxtVitest()],
        // One zone for every machine, and not UTC: report times carry its offset (lib/time.ts).
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/vectors/**/*.test.ts'],
          env: { TZ: 'Europe/Paris' },
          // A bound on a hang, not on speed: the 20,000-observation cases take seconds on a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        // Real browsers on 2 cores: one file at a time, generous bounded timeouts.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
