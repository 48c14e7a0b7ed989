// One-way imports (docs/architecture.md): web → domain; http → services → domain;
// cli → services. Nothing imports web or http back; domain imports nothing of ours.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbid = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group, message: 'Imports point one way: see docs/architecture.md.' })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'tmp/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/domain/**'], rules: forbid(['**/server/**', '**/cli/**', '**/web/**']) },
  { files: ['src/server/**'], rules: forbid(['**/cli/**', '**/web/**']) },
  { files: ['src/server/services/**', 'src/server/db/**', 'src/server/documents/**'], rules: forbid(['**/cli/**', '**/web/**', '**/http/**']) },
  { files: ['src/cli/**'], rules: forbid(['**/web/**', '**/http/**', '**/db/repositories/**']) },
  { files: ['src/web/**'], rules: forbid(['**/server/**', '**/cli/**']) },
  {
    // The app's CSP forbids eval; Playwright evals a string predicate on every retry, so such a wait
    // fails whenever its condition is not met on the first try (tests/e2e/support/e2e.ts has waitForValue).
    files: ['tests/e2e/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='waitForFunction']",
          message: 'The CSP forbids eval, which a waitForFunction retry needs: use waitForValue, waitForFocusInDialog or a locator.',
        },
      ],
    },
  },
);
