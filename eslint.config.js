import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // What the tools write (compiled code, bundles, the running stack's copy, test and bench output), as .gitignore lists it.
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'bench/results/**', 'bundles/**', '.stack-code/**', '.bench-bundles-*/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // Type information for the rules that need it: one TypeScript program per tsconfig, found by the project service.
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise is awaited, returned or handed on; a deliberate fire-and-forget says `void` and why.
      '@typescript-eslint/no-floating-promises': 'error',
      // No promise where a plain value is expected (an async callback to forEach, a promise in a condition).
      '@typescript-eslint/no-misused-promises': 'error',
      // A switch over a union names every member, or has a default that handles the rest on purpose
      // (zod issue codes, body-parser error types: a default answer for whatever else comes).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-console': 'error',
    },
  },
  {
    // The status page's browser script: a classic script, run by the browser, not by Node.
    files: ['functions/**/*.client.cjs'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'fetch', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'Intl'].map((name) => [
          name,
          'readonly',
        ]),
      ),
    },
    rules: { 'no-empty': ['error', { allowEmptyCatch: false }] },
  },
  {
    // The album-art module's edges (issue 13). Outside functions/album-art/ only its public surface
    // may be imported: index.js, its small part needed at start, start-up.js (which index.js
    // re-exports; the API's cold start loads only it, issue 16), and process-album-art.js, the entry
    // loaded lazily by functions/index.ts.
    // The module's own unit tests and benchmark reach its internals on purpose.
    files: ['**/*.ts'],
    ignores: ['functions/album-art/**', 'functions/index.ts', 'test/album-art/**', 'scripts/bench/album-art*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)album-art/(?!(index|start-up)\\.js$)[^/]+(/.*)?$',
              message: 'Import album art through functions/album-art/index.js, its public surface (or start-up.js, its part needed at start).',
            },
          ],
        },
      ],
    },
  },
  {
    // Inside the module: nothing of the HTTP edge (the pipeline's functions take CloudEvents).
    files: ['functions/album-art/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)http/',
              message: 'functions/album-art/ imports nothing of the HTTP edge (functions/http/).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tool configuration read by Node as CommonJS (dependency-cruiser's).
    files: ['.dependency-cruiser.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  {
    // Command-line tools and tests talk to a person on the terminal.
    files: ['scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
