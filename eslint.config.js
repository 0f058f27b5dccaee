// The layers of docs/architecture.md, enforced: arrows only point down, and only two files ever import Electron.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/*`)];
const ELECTRON = { group: ['electron', 'electron/*'], message: 'Only src/main/shell.ts and src/preload/index.ts import electron.' };
const UPPER_LAYERS = (...layers) => ({
  group: layers.map((l) => `**/${l}/**`),
  message: `Layers point down: this layer must not import ${layers.join(', ')}.`,
});

// Simulated members, demo tokens in clear and simulated urns: for `sceau demo` and `sceau simulate` only.
const CLI_ONLY = {
  group: ['**/simulation/**', '**/token/testing', '**/token/testing.js'],
  message: 'Simulation and demo code (core/simulation/, core/token/testing.ts) is imported by the command line only (docs/architecture.md).',
};
const CORE_BASE = [ELECTRON, UPPER_LAYERS('renderer', 'preload', 'main', 'cli'), { group: ['react', 'react-dom', 'react-*', 'i18next'], message: 'The core has no UI.' }];
const CORE = [...CORE_BASE, CLI_ONLY];
const CORE_FOLDERS = ['audit', 'ceremony', 'common', 'crypto', 'drives', 'election', 'pipeline', 'report', 'service', 'simulation', 'token', 'transcript', 'verifier', 'workers', 'workstation'];
const CORE_LAYERS_BUT = (...allowed) => ({
  group: CORE_FOLDERS.filter((f) => !allowed.includes(f)).map((f) => `**/${f}/**`),
  message: `Inside the core, this module imports only from ${allowed.join(', ')} (docs/architecture.md).`,
});

const restrict = (files, patterns, extra = {}) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }], ...extra },
});

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'fetch', 'HTMLElement'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Type-aware rules: a promise is awaited or explicitly let go (`void`), and a switch over a union
  // handles every member. They read the three TypeScript projects the typecheck builds.
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.test.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // The core: pure TypeScript, no Electron, no DOM, no UI, no upper layer.
  restrict(['src/core/**'], CORE, {
    'no-restricted-globals': ['error', ...DOM_GLOBALS.map((name) => ({ name, message: 'The core runs without a DOM.' }))],
  }),
  // Inside the core (docs/architecture.md "Inside the core"): the worker threads' tasks compose the
  // cryptography and nothing of the ceremonies; the verifier shares with what it checks only the
  // cryptography, the common helpers and those tasks, and reads the formats of docs/ with its own code.
  // The simulation sits on the whole core, like the command line that uses it.
  restrict(['src/core/simulation/**'], CORE_BASE),
  restrict(['src/core/workers/**'], [...CORE, CORE_LAYERS_BUT('crypto', 'common', 'workers')]),
  restrict(['src/core/crypto/**'], [...CORE, CORE_LAYERS_BUT('crypto', 'common')]),
  restrict(['src/core/verifier/**'], [...CORE, CORE_LAYERS_BUT('crypto', 'common', 'workers', 'verifier')]),
  // The workstation's own concerns (bug log, offline guard, network probe, software measurement) serve the
  // ceremonies and the service and know nothing of them; the ceremonies know nothing of the service, not
  // even its types.
  restrict(
    ['src/core/workstation/**'],
    [
      ...CORE,
      {
        group: ['ceremony', 'service', 'pipeline', 'audit', 'verifier'].map((f) => `**/${f}/**`),
        message: 'The workstation folder imports no ceremony, service, pipeline, audit or verifier (docs/architecture.md).',
      },
    ],
  ),
  restrict(['src/core/ceremony/**'], [...CORE, { group: ['**/service/**'], message: 'The ceremonies do not import the service, not even its types (docs/architecture.md).' }]),
  // The command line sits on the core.
  restrict(['src/cli/**'], [ELECTRON, UPPER_LAYERS('renderer', 'preload', 'main')]),
  // The main process: thin, only shell.ts may import Electron.
  restrict(['src/main/**'], [ELECTRON, UPPER_LAYERS('renderer', 'preload', 'cli'), CLI_ONLY]),
  restrict(['src/main/shell.ts'], [UPPER_LAYERS('renderer', 'preload', 'cli'), CLI_ONLY]),
  // The preload: Electron's bridge and the API's names, nothing of Node.
  restrict(['src/preload/**'], [{ group: NODE_BUILTINS, message: 'The preload is sandboxed: no Node.' }, UPPER_LAYERS('renderer', 'main', 'cli')]),
  // The renderer: a web page. It sees the API's types and the core's pure helpers, never Node or Electron.
  {
    ...restrict(
      ['src/renderer/**'],
      [
        ELECTRON,
        { group: NODE_BUILTINS, message: 'The renderer is a web page: no Node.' },
        UPPER_LAYERS('main', 'preload', 'cli'),
        {
          regex: '(^|/)core/(?!common/|service/methods\\.js$)',
          allowTypeImports: true,
          message: 'The renderer imports only types from the core (and its pure common helpers); privileged work goes through the API.',
        },
      ],
    ),
    languageOptions: { globals: { ...globals.browser } },
  },
  // The screens follow React's rules of hooks, with every dependency of an effect declared (an effect that
  // reads a value on purpose without following it says so with useEffectEvent).
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Tests and benchmarks may import anything but Electron itself (mock it instead).
  restrict(['test/**', 'bench/**'], [ELECTRON]),
);
