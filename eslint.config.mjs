import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'fs/promises',
  'path',
  'child_process',
  'os',
  'crypto',
  'http',
  'net',
  'stream',
  'util',
  'events',
  'url',
  'worker_threads',
];
const restrict = (patterns, message) => ({ group: patterns, message });
const paths = (names, message) => names.map((name) => ({ name, message }));

// Process boundaries are enforced here: shared/ is pure, the renderer never reaches Node
// or Electron, only the thin Electron shell imports electron, and fluent-ffmpeg (archived
// upstream) lives behind one adapter module.
export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'tests/.tmp/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: paths(
            ['electron', ...nodeBuiltins, 'better-sqlite3', 'fluent-ffmpeg', 'sharp'],
            'The renderer reaches Node and Electron only through the API contract.',
          ),
          patterns: [
            restrict(['node:*'], 'The renderer never uses Node.'),
            restrict(['**/electron/**'], 'The renderer imports shared/, never electron/.'),
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: paths(
            ['electron', ...nodeBuiltins, 'react', 'better-sqlite3', 'fluent-ffmpeg', 'sharp'],
            'shared/ is pure TypeScript used by both sides.',
          ),
          patterns: [
            restrict(['node:*'], 'shared/ never uses Node.'),
            restrict(['**/electron/**', '**/renderer/**'], 'shared/ depends on nothing else in the app.'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts', 'tests/**/*.ts'],
    ignores: ['electron/core/media/ffmpeg.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...paths(['electron'], 'Core services never import electron: only electron/main and electron/preload do.'),
            ...paths(['fluent-ffmpeg'], 'fluent-ffmpeg lives only in electron/core/media/ffmpeg.ts.'),
          ],
        },
      ],
    },
  },
  {
    files: ['tests/unit/electron-*.test.ts', 'tests/unit/**/electron-*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  prettier,
);
