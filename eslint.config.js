// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/**
 * Where code may run is enforced here, not remembered (ARCHITECTURE.md "Rules of the house").
 * Each block forbids imports that would carry code into a process that cannot run it.
 */
const everyFolder = ['contract', 'host', 'electron', 'renderer', 'consoles', 'drivers', 'print-templates', 'catalog', 'central'];
/**
 * Patterns for imports from the given top-level folders. `central` means the reference service only:
 * the wire contract with central lives in contract/central/ and is shared by both sides, so it is
 * re-included after the folder pattern (gitignore order: the later pattern wins).
 */
const forbid = (...folders) =>
  folders.flatMap((folder) => (folder === 'central' ? ['**/central/**', '!**/contract/central/**'] : [`**/${folder}/**`]));
/** The Node-only half of the wire contract (signing uses node:crypto; sm3 registers itself with signing): never in a renderer bundle. */
const nodeOnlyContract = ['**/contract/central/signing*', '**/contract/central/sm3*', '**/contract/central/face-seal*'];
const boundary = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/artifacts/**', 'deploy/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['renderer/**', 'consoles/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  boundary(
    ['contract/**'],
    // A contract module may import the wire contract beside it (contract/central/), which forbid('central') would catch.
    [...forbid(...everyFolder.filter((f) => f !== 'contract')), '!./central/**', 'node:*', 'electron'],
    'contract/ is pure definitions: it imports nothing from the project and no Node or Electron module.',
  ),
  boundary(
    ['contract/central/signing.ts', 'contract/central/face-seal.ts'],
    [...forbid(...everyFolder.filter((f) => f !== 'contract')), 'node:*', '!node:crypto', 'electron'],
    'contract/central/signing.ts (and face-seal.ts, the face image sealing) may use node:crypto (HMAC, SHA-256, AES-GCM from OpenSSL) and nothing else of Node or the project.',
  ),
  boundary(
    ['consoles/**'],
    [...forbid(...everyFolder.filter((f) => f !== 'contract' && f !== 'consoles')), ...nodeOnlyContract, 'node:*', 'electron'],
    "consoles/ (central's web consoles) imports only contract/ (not its Node-only request signing) and itself: it reaches central over HTTP.",
  ),
  boundary(
    ['renderer/**'],
    [...forbid(...everyFolder.filter((f) => f !== 'contract' && f !== 'renderer')), ...nodeOnlyContract, 'node:*', 'electron'],
    'renderer/ imports only contract/ (not its Node-only request signing) and itself: the outside world is reached through renderer/src/bridge.',
  ),
  boundary(
    ['drivers/**'],
    [...forbid('host', 'electron', 'renderer', 'central', 'catalog'), 'electron'],
    'drivers/ knows devices and bytes only; it must not reach into host/, electron/, renderer/ or central/.',
  ),
  boundary(
    ['host/**'],
    [...forbid('electron', 'renderer', 'central'), 'electron'],
    'host/ runs under plain Node too: it never imports electron or the renderer; it speaks to central only through the wire contract in contract/central/.',
  ),
  boundary(
    ['electron/**'],
    [...forbid('host', 'drivers', 'renderer', 'central', 'print-templates', 'catalog')],
    'electron/ holds no service: it starts host/ as a utilityProcess and relays the bridge.',
  ),
  boundary(
    ['print-templates/**'],
    [...forbid('host', 'electron', 'renderer', 'central', 'drivers'), 'electron'],
    'print-templates/ are documents as data and their renderers; devices live in drivers/.',
  ),
  boundary(
    ['central/**', 'catalog/**'],
    [...forbid('host', 'electron', 'renderer', 'drivers'), 'electron'],
    'central/ and catalog/ are the server side: they share only contract/ (and catalog data) with the kiosk.',
  ),
);
