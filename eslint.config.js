// ESLint flat config. Zero-warning policy: `npm run lint` is `eslint --max-warnings 0 .`
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// The domains of src/lib/core, lowest first: each may import only those before it.
const CORE_DOMAINS = [
  'common',
  'csv',
  'metrics',
  'training',
  'imbalance',
  'charts',
  'models',
  'compare',
  'drift',
  'fairness',
  'explain',
  'prepare',
  'evaluate',
  'mlflow',
  'notebook',
  'pipeline',
  'backup',
];

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
  // Layers: core <- storage <- state <- components; workers expose src/lib via Comlink.
  // Relative paths are matched by folder name, at any depth.
  // core: one folder per domain, each imported through its index.ts, in this
  // order: a domain imports only the domains before it (so no cycles).
  ...CORE_DOMAINS.map((domain, i) => ({
    files: [`src/lib/core/${domain}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['svelte', 'svelte/*', 'dexie', 'comlink', '@tensorflow/*'],
              message: 'src/lib/core is pure logic: no Svelte, Dexie, Comlink or TensorFlow.js, so it runs in workers and Node tests.',
            },
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?(?:storage|state|workers|worker-supervisor|hash-client|components|ml)(?:/|\.ts$|$)`,
              message:
                'src/lib/core imports only core: storage, state, workers, components and ml (TensorFlow.js) sit above it.',
            },
            {
              regex: String.raw`^\.\./[a-z-]+/`,
              message: 'Another core domain is imported through its index (`../drift`), not a file inside it.',
            },
            ...(i + 1 < CORE_DOMAINS.length
              ? [
                  {
                    regex: String.raw`^\.\./(?:${CORE_DOMAINS.slice(i + 1).join('|')})(?:/|$)`,
                    message: `core/${domain} imports only the domains below it: ${CORE_DOMAINS.slice(0, i).join(', ') || 'none'}.`,
                  },
                ]
              : []),
          ],
        },
      ],
    },
  })),
  {
    files: ['src/**/*.{ts,svelte}', 'workers/**'],
    ignores: ['src/lib/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`(?:^|/)core/[a-z-]+/`,
              message: 'A core domain is imported through its index (`lib/core/drift`), its public face.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/storage/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?(?:state|components|workers)(?:/|\.ts$|$)`,
              message: 'src/lib/storage sits on core (and Dexie): state, components and workers sit above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/state/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?components(?:/|$)`,
              message: 'App state sits below the components that show it: it never imports them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/components/**', 'src/App.svelte', 'src/main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?storage(?:/|$)`,
              allowTypeImports: true,
              message: 'Components reach storage through state (AppState or a state module), or pure rules through core; only `import type` from storage.',
            },
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?workers(?:/|\.ts$|$)`,
              allowTypeImports: true,
              message: 'Components reach workers through state; src/lib/workers.ts alone starts them. Only `import type` from workers.',
            },
            {
              regex: String.raw`(?:^|/)core/[a-z-]+/`,
              message: 'A core domain is imported through its index (`lib/core/drift`), its public face.',
            },
            {
              group: ['dexie', 'comlink'],
              allowTypeImports: true,
              message: 'Components use Dexie and Comlink only through storage and state; only `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?(?:components|state)(?:/|$)`,
              message: 'Workers expose src/lib functions (core, ml, storage); they never import components or app state.',
            },
          ],
        },
      ],
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
