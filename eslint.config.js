import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through shared/config.ts.' },
      ],
    },
  },
  {
    // Mocha loads reporters with require(), so the CI reporter is CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The config module reads the environment; the local runtime and tests set it for the functions.
    files: ['shared/config.ts', 'tools/**/*.ts', 'test/**/*.ts', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  ...['auth', 'crm', 'bib-sync', 'notify'].map((fn) => ({
    // A function never imports another function's folder; they talk over Pub/Sub (DESIGN §3).
    files: [`functions/${fn}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // shared/ has folders of the same names (shared/auth): those are everyone's.
              group: ['auth', 'crm', 'bib-sync', 'notify'].filter((o) => o !== fn).flatMap((o) => [`**/${o}/**`, `!**/shared/${o}/**`]),
              message: 'Functions talk over Pub/Sub; move shared code to shared/.',
            },
          ],
        },
      ],
    },
  })),
  {
    // Nothing in shared/ may depend on a function folder (DESIGN §3).
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/functions/**'], message: 'shared/ must not import from functions/.' }] }] },
  },
);
