import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

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
  // ---- excel-addin/ (Office.js habits: eslint-plugin-office-addins) ----
  // ---- sheets-addon/ (Apps Script globals) ----
  prettier,
);
