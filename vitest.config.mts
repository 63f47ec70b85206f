import { createRequire } from 'node:module';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Libraries are tested from source: the custom export condition points each
// @quorum/* package at its src/index.ts, so tests never depend on a stale dist.
const sourceConditions = ['@quorum/source', ...defaultServerConditions];
// graphql 16 has no `exports`: Vite would pick its ESM build ("module") for our sources while
// type-graphql, loaded by Node, gets the CommonJS one, and a schema built by one fails the other's
// instanceof checks. Point `graphql` at the file Node loads, as the built apps do.
const graphqlAlias = [
  { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
];
const shared = {
  resolve: { conditions: sourceConditions, alias: graphqlAlias },
  ssr: { resolve: { conditions: sourceConditions } },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
