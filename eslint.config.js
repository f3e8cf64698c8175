// ESLint flat config. Zero-warning policy: `npm run lint` is `eslint --max-warnings 0 .`
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      '.bench/',
      'datasets/*.csv',
    ],
  },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    // The app and its workers run in the browser.
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Unused on purpose: name it with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['workers/**', '**/*.worker.ts', '**/*.worker.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    // <script lang="ts"> in components, and runes in .svelte.ts modules.
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
    rules: {
      // TypeScript (svelte-check) resolves names, including types and DOM globals;
      // core no-undef misreads type-only references in components.
      'no-undef': 'off',
    },
  },
  {
    // Config files, scripts and tests run in Node (tests also touch the page).
    files: [
      '*.config.{js,mjs,cjs,ts}',
      'tests/**',
      'datasets/**/*.{js,mjs}',
      'scripts/**',
      '.ci/**/*.{js,mjs}',
    ],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
