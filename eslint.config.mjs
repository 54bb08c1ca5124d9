import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import officeAddins from 'eslint-plugin-office-addins';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process'],
              message: 'core/ is pure: no Node modules.',
            },
            {
              group: ['exceljs', 'xlsx', '**/cli/**', '**/excel-addin/**', '**/sheets-addon/**'],
              message: 'core/ must not import host code.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'Excel',
        'Office',
        'SpreadsheetApp',
        'window',
        'document',
        'process',
      ],
    },
  },
  {
    // Operations are pure plans (reads / run): nothing in them waits, so no host can be called.
    files: ['core/operations/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: ':function[async=true]', message: 'Operations are synchronous plans: no async.' },
        { selector: 'AwaitExpression', message: 'Operations are synchronous plans: no await.' },
        { selector: "Identifier[name='Promise']", message: 'Operations are synchronous plans: no Promise.' },
      ],
    },
  },
  {
    files: ['sheets-addon/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "AssignmentExpression[left.name='Promise'], AssignmentExpression[left.property.name='Promise']",
          message:
            'Apps Script runs the core as synchronous plans (runOperationSync): never replace Promise.',
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.js', '**/webpack.config.js', 'jest.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
  },
  {
    // ui/: DOM building shared by the pane and the sidebar; no host API, no rule (those are core's)
    files: ['ui/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'Excel', 'Office', 'OfficeRuntime', 'SpreadsheetApp', 'google'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/excel-addin/**', '**/sheets-addon/**', 'node:*'], message: 'ui/ is host-neutral.' },
          ],
        },
      ],
    },
  },
  // ---- excel-addin/ (Office.js habits: eslint-plugin-office-addins) ----
  {
    // the office-addins rules of the plugin's recommended config (its other entries repeat ours):
    // no-context-sync-in-loop, load-object-before-read, call-sync-before-read, ...
    files: ['excel-addin/**/*.ts'],
    plugins: { 'office-addins': officeAddins },
    rules: Object.fromEntries(
      Object.entries(
        officeAddins.configs.recommended.find((c) => c.plugins?.['office-addins'])?.rules ?? {},
      ).filter(([rule]) => rule.startsWith('office-addins/')),
    ),
  },
  {
    // the webpack config is CommonJS, run by node
    files: ['excel-addin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // ---- sheets-addon/ (Apps Script globals) ----
  {
    // the webpack config is CommonJS, run by node
    files: ['sheets-addon/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // server code runs in Apps Script: no DOM, no Node, no timers
    files: ['sheets-addon/src/**/*.ts'],
    ignores: ['sheets-addon/src/sidebar/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'process',
        'setTimeout',
        'setInterval',
        'require',
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'path'], message: 'Apps Script has no Node modules.' }] },
      ],
    },
  },
  {
    // the sidebar runs in the browser: it reaches the server only through google.script.run
    files: ['sheets-addon/src/sidebar/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../server',
                '../port',
                '../../../core/*',
                '!../../../core/*/api',
                '!../../../core/diagnostics',
              ],
              message: 'The sidebar imports types only (import type); logic stays on the server.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  prettier,
);
