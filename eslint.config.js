// Lint gate: typescript-eslint recommended + the house rule that the engine
// (src/core) never reaches into the UI, the store, the worker or React.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/ui/**', '**/store/**', '**/worker/**', '**/sessions/**'],
              message: 'src/core is the engine: it must not import the app.',
            },
            {
              group: ['react', 'react-dom', 'zustand', 'recharts'],
              message: 'src/core must not depend on UI libraries.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng from core/rng.ts.' },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/store/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              message: 'Tensors live in the worker; the UI never imports tfjs.',
            },
          ],
        },
      ],
    },
  },
);
