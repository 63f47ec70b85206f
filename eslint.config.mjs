import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/out-tsc/**', '**/node_modules/**', '.nx/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    // Decorator metadata needs some type-only-looking imports at runtime.
    languageOptions: {
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'],
              message: 'Import a lib by its package name (@quorum/...).',
            },
          ],
        },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Both pure: the engine scores predictive and hybrid versions itself, so every caller
            // (live rescoring, backfills, preview, as-of validation) takes the same path.
            { sourceTag: 'scope:scoring', onlyDependOnLibsWithTags: ['scope:predictive'] },
            { sourceTag: 'scope:config', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:predictive', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:persistence', onlyDependOnLibsWithTags: ['scope:config'] },
            {
              sourceTag: 'scope:migrations',
              onlyDependOnLibsWithTags: ['scope:persistence', 'scope:config'],
            },
            { sourceTag: 'scope:queue', onlyDependOnLibsWithTags: ['scope:config'] },
            { sourceTag: 'scope:events', onlyDependOnLibsWithTags: ['scope:config'] },
            { sourceTag: 'scope:observability', onlyDependOnLibsWithTags: ['scope:config'] },
            // The partner-facing client knows only the GraphQL API, nothing of Quorum's insides.
            { sourceTag: 'scope:client', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:partner-example', onlyDependOnLibsWithTags: ['scope:client'] },
            {
              sourceTag: 'scope:services',
              onlyDependOnLibsWithTags: [
                'scope:scoring',
                'scope:persistence',
                'scope:queue',
                'scope:events',
                'scope:predictive',
                'scope:config',
              ],
            },
            {
              sourceTag: 'scope:bootstrap',
              onlyDependOnLibsWithTags: ['scope:persistence', 'scope:migrations', 'scope:config'],
            },
            {
              sourceTag: 'scope:api',
              onlyDependOnLibsWithTags: [
                'scope:scoring',
                'scope:persistence',
                'scope:queue',
                'scope:services',
                'scope:events',
                'scope:config',
                'scope:bootstrap',
                'scope:migrations',
                'scope:observability',
              ],
            },
            // The dashboard is a browser page: it reaches Quorum over GraphQL only.
            { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:importer', onlyDependOnLibsWithTags: ['scope:scoring'] },
            {
              sourceTag: 'scope:worker',
              onlyDependOnLibsWithTags: [
                'scope:scoring',
                'scope:persistence',
                'scope:queue',
                'scope:services',
                'scope:events',
                'scope:config',
                'scope:bootstrap',
                'scope:migrations',
                'scope:observability',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/scoring/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.bench.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|@quorum/predictive$|re2js$)',
              message:
                'libs/scoring is pure: no packages, no I/O, no frameworks (only the pure @quorum/predictive and the re2js regular-expression engine).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'fetch',
        'performance',
        'setTimeout',
        'setInterval',
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time is an input: take `now` as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time is an input: take `now` as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The engine is deterministic.',
        },
      ],
    },
  },
  {
    files: ['libs/predictive/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.spec-helper.ts',
      '**/*.bench.ts',
      'libs/predictive/src/cli/eval.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^[^.]',
              message: 'libs/predictive is pure: no packages, no I/O, no frameworks.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'fetch',
        'performance',
        'setTimeout',
        'setInterval',
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time is an input: take `now` as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time is an input: take `now` as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The engine is deterministic.',
        },
      ],
    },
  },
  {
    files: ['apps/dashboard/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['**/*.spec.ts', '**/*.bench.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['migrations/src/*-*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  prettier,
);
