// ESLint flat config: typescript-eslint's strict + stylistic type-checked sets,
// with the layering of DESIGN.md as build errors. Formatting is Prettier's job
// (eslint-config-prettier switches off every rule that would disagree with it).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bareBuiltins = builtinModules.filter((m) => !m.startsWith('node:')).map(escape);

/** Layering bans, each a no-restricted-imports pattern (matched against the import specifier). */
const ban = {
  electron: {
    regex: '^electron(-store)?(/.*)?$',
    message:
      'Only main/shell, main/index.ts and preload/index.ts may import Electron (electron-store imports it too). Reach it through a port.',
  },
  nodeBuiltins: {
    regex: `^(node:.*|(${bareBuiltins.join('|')})(/.*)?)$`,
    message: 'The renderer (and the pure contract it imports) runs in Chromium: no Node built-ins.',
  },
  main: {
    regex: '^(\\.\\./)+main(/|$)',
    message: 'The renderer reaches the core only through the contract (preload/contract.ts, preload/rpc.ts).',
  },
  renderer: {
    regex: '^(\\.\\./)+renderer(/|$)',
    message: 'The core does not know the renderer.',
  },
  shell: {
    regex: '^(\\.\\./)+(main/)?shell(/|$)',
    message: 'Plain-Node code does not import the Electron shell; the shell implements the core’s ports.',
  },
};

/** One no-restricted-imports setting per set of files. Later entries replace earlier ones for the files they match. */
const layer = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** The same bans for dynamic import() and require(), which no-restricted-imports does not see. */
const noDynamicElectron = {
  files: ['**/*.{ts,tsx,js,mjs,cjs}'],
  ignores: ['main/shell/**', 'main/index.ts', 'preload/index.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector: 'ImportExpression[source.value=/^electron(-store)?(\\u002F|$)/]',
        message: ban.electron.message,
      },
      {
        selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(-store)?(\\u002F|$)/]",
        message: ban.electron.message,
      },
    ],
  },
};

export default defineConfig(
  globalIgnores(['dist/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', '.parley-data/']),

  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // Each file is checked with the tsconfig of its layer (main, main/shell, preload, renderer, test).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Bracket access stays allowed where the key is an index signature
      // (process.env['X'], stanza attrs['from']): it marks a value that may be absent.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures must destructure their first parameter, even when they use none of it.
    files: ['test/e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    // Plain JavaScript (this file): no type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  // Layering. (a) Electron only in the shell, its entry and the preload.
  layer(['**/*.{ts,tsx,js,mjs,cjs}'], [ban.electron], ['main/shell/**', 'main/index.ts', 'preload/index.ts']),
  noDynamicElectron,
  // (b) The renderer, and the pure contract files it shares: no Node, no main/.
  layer(['renderer/**'], [ban.electron, ban.nodeBuiltins, ban.main]),
  layer(['preload/**'], [ban.electron, ban.nodeBuiltins, ban.main], ['preload/index.ts']),
  // (c) The core knows neither the renderer nor the shell; the Node hosts do not load the shell either.
  layer(['main/core/**'], [ban.electron, ban.renderer, ban.shell]),
  layer(['main/web/**', 'main/devserver/**'], [ban.electron, ban.shell]),

  prettier,
);
