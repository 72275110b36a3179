// Lint: the checks a reviewer cannot keep doing by eye. Runs in `npm test` (scripts/bootstrap.mjs).
// Type-aware (typescript-eslint's project service) because the rule that matters most here,
// no-floating-promises, needs types: an un-awaited promise in a handler is a lost error.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];
const upward = (...layers) => layers.flatMap((l) => [`../${l}`, `../${l}/*`, `../../${l}`, `../../${l}/*`, `../../../${l}/*`]);

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '**/node_modules/**',
      'extension/**',
      'web/**',
      'dist/**',
      'data/**',
      '.tools/**',
      'test-output/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.js',
      'test/browser/fixtures/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-debugger': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, no clients, nothing from the layers that do I/O
    // (types are fine: they vanish at build). temporalio/samples-typescript lints its workflows the same way.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins,
            ...nodeBuiltins.map((m) => `node:${m}`),
            '@temporalio/activity',
            '@temporalio/client',
            '@temporalio/worker',
            'mongodb',
            'stripe',
            '@slack/bolt',
            '@slack/web-api',
            'discord.js',
            '@anthropic-ai/sdk',
            'express',
          ].map((name) => ({ name, message: 'Workflow code must stay deterministic: do this in an activity.', allowTypeImports: true })),
          patterns: [
            {
              group: upward('worker', 'services', 'bots', 'api', 'scripts'),
              message: 'Workflows import only core/ and workflows/ values (types are fine).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Layering: nothing imports upward (front ends → services → workflows/worker → core).
    files: ['services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: upward('worker', 'bots', 'api'), message: 'services/ is below the front ends and must not reach into the worker.' }] },
      ],
    },
  },
  {
    // Front ends reach the domain through services/ (posts, credits, accounts), never the ledger or
    // the account store themselves.
    files: ['api/**/*.ts', 'bots/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/ledger', '**/core/accounts', '**/core/apiKeys'],
              message: 'Front ends use services/credits and services/accounts.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward('worker', 'services', 'bots', 'api', 'workflows', 'scripts'),
              message: 'core/ is the ground floor: it imports nothing of ours above it.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['worker/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: upward('services', 'bots', 'api'), message: 'The worker must not import the front ends or services/.', allowTypeImports: true }],
        },
      ],
    },
  },
);
