import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `npm run bench`: each *.bench.ts file measures a scenario and prints its figures.
// Benchmarks assert only that the work was done, never how fast: timing asserts flake.
const sourceConditions = ['@quorum/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    include: ['libs/*/src/**/*.bench.ts', 'test/bench/**/*.bench.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    disableConsoleIntercept: true,
    reporters: ['verbose'],
  },
});
