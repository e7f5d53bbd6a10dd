// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/**
 * Where code may run is enforced here, not remembered (ARCHITECTURE.md "Rules of the house").
 * Each block forbids imports that would carry code into a process that cannot run it.
 */
const everyFolder = ['contract', 'host', 'electron', 'renderer', 'drivers', 'print-templates', 'catalog', 'central'];
const forbid = (...folders) => folders.map((folder) => `**/${folder}/**`);
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
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  boundary(
    ['contract/**'],
    [...forbid(...everyFolder.filter((f) => f !== 'contract')), 'node:*', 'electron'],
    'contract/ is pure definitions: it imports nothing from the project and no Node or Electron module.',
  ),
  boundary(
    ['renderer/**'],
    [...forbid(...everyFolder.filter((f) => f !== 'contract' && f !== 'renderer')), 'node:*', 'electron'],
    'renderer/ imports only contract/ and itself: the outside world is reached through renderer/src/bridge.',
  ),
  boundary(
    ['drivers/**'],
    [...forbid('host', 'electron', 'renderer', 'central', 'catalog'), 'electron'],
    'drivers/ knows devices and bytes only; it must not reach into host/, electron/, renderer/ or central/.',
  ),
  boundary(
    ['host/**'],
    [...forbid('electron', 'renderer'), 'electron'],
    'host/ runs under plain Node too: it never imports electron or the renderer.',
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
