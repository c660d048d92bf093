// Lint gate: typescript-eslint recommended + the house rules on who may
// import what. The engine (src/core) never reaches into the app or React;
// its spec layer (src/core/spec) is plain data that imports no tfjs and no
// other engine module; the page (src/ui, src/store, src/main.tsx) and the
// session format (src/sessions) take values from src/core only through
// core/spec — type imports may come from anywhere, since they vanish from
// the bundle. Import cycles are checked by dependency-cruiser
// (.dependency-cruiser.mjs), which `npm run lint` runs after ESLint.
// tests/unit/lint/import-rules.test.ts shows each rule failing and passing.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const engineStaysOut = [
  {
    group: ['**/ui/**', '**/store/**', '**/worker/**', '**/sessions/**'],
    message: 'src/core is the engine: it must not import the app.',
  },
  {
    group: ['react', 'react-dom', 'zustand', 'recharts'],
    message: 'src/core must not depend on UI libraries.',
  },
];

const noTfjs = {
  group: ['@tensorflow/*'],
  message: 'Tensors live in the worker; this code runs on the page and never imports tfjs.',
};

/** Values from src/core only through core/spec (a path such as ../core/spec/config). */
const coreOnlyViaSpec = {
  regex: '(^|/)core(/(?!spec(/|$))|$)',
  allowTypeImports: true,
  message:
    'src/ui, src/store and src/sessions take values from src/core only through src/core/spec (tfjs-free). Move the value there, or use `import type` for a type.',
};

/** The worker's own modules load tfjs; the page talks to it through client and protocol. */
const workerOnlyViaClient = {
  regex: '(^|/)worker/(?!(client|protocol|gate)$)',
  allowTypeImports: true,
  message:
    'Only worker/client, worker/protocol and worker/gate are for the page; the other worker modules run tfjs.',
};

const benchEngine = {
  regex: '(^|/)bench/(measure|bench\\.worker)$',
  allowTypeImports: true,
  message:
    'bench/measure runs tfjs in the bench worker; the page uses bench/runner and bench/probe.',
};

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'test-results',
      'playwright-report',
      // AssemblyScript (v128, usize…), compiled by scripts/build-kernels.ts, not TypeScript
      'src/core/kernels/wasm/assembly',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: engineStaysOut }],
      'no-restricted-globals': ['error', 'document', 'window'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng from core/rng.ts.' },
      ],
    },
  },
  {
    files: ['src/core/spec/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...engineStaysOut,
            noTfjs,
            {
              regex: '^\\.\\./',
              message:
                'src/core/spec imports only src/core/spec: the page loads it, so nothing here may reach tfjs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/store/**/*.ts', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [noTfjs, coreOnlyViaSpec, workerOnlyViaClient, benchEngine] },
      ],
    },
  },
  {
    files: ['src/sessions/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [noTfjs, coreOnlyViaSpec] },
      ],
    },
  },
);
