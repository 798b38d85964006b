// ESLint (typescript-eslint, syntax rules only): `npm run lint`. Type-aware rules are left out on purpose: they
// need the TypeScript compiler API, which the `tsc` the project type-checks with (TypeScript 7) no longer ships,
// and `npm run typecheck` already runs in strict mode.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', 'bench/.data/', '**/generated/', 'examples/front-end/node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // The explorer's page script runs in the browser, on the globals of the UMD bundles it loads (gateway/explorer.ts).
    files: ['gateway/explorer-page/**/*.js'],
    languageOptions: { globals: { ...globals.browser, React: 'readonly', ReactDOM: 'readonly', GraphiQL: 'readonly' } },
  },
  {
    // Tests read answers off the wire as JSON and walk them; typing every answer would add noise, not safety.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
