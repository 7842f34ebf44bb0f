// ESLint flat config. Besides the usual TypeScript rules it enforces the import direction from
// ARCHITECTURE.md: protocol and schema are leaves, pipeline never touches I/O libraries, sinks never
// reach into the server or pipeline, and the tracker only borrows the protocol's encode side.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const io = ['fastify', 'fastify/*', '@fastify/*', '@platformatic/kafka', 'kafkajs', 'pino'];
// A room is a folder under src/; `../room/...` and deeper relative paths both match.
const rooms = (...names) => names.map((name) => `**/${name}/**`);
const ban = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    ignores: ['src/tracker-js/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/tracker-js/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/protocol/**/*.ts', 'src/schema/**/*.ts'],
    rules: ban(
      [...rooms('server', 'pipeline', 'sinks', 'config', 'collector', 'cli'), ...io],
      'protocol/ and schema/ are leaves: they import nothing from the rest of Footfall or I/O libraries.',
    ),
  },
  {
    // Only upward paths: config keeps its own per-type folders (config/sinks/, config/sources/).
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(server|pipeline|sinks|collector|cli|protocol|schema)(/|$)',
              message: 'config/ is imported by everyone and imports nobody.',
            },
            ...io.map((group) => ({ group: [group], message: 'config/ uses no I/O library.' })),
          ],
        },
      ],
    },
  },
  {
    files: ['src/pipeline/**/*.ts'],
    rules: ban(
      [...rooms('server', 'sinks', 'collector', 'cli'), ...io],
      'pipeline/ stages are pure: no server, sinks, collector or I/O libraries.',
    ),
  },
  {
    files: ['src/sinks/**/*.ts'],
    rules: ban(
      [...rooms('server', 'pipeline', 'collector', 'cli'), 'fastify'],
      'sinks/ depend only on schema/ and config/.',
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: ban(
      rooms('collector', 'cli'),
      'server/ is the HTTP edge: the collector assembles it, never the reverse.',
    ),
  },
  {
    files: ['src/inspector/**/*.ts'],
    rules: ban(
      [...rooms('server', 'sinks', 'collector', 'cli'), ...io],
      'inspector/ is the live view of the pipeline: the admin listener serves it, it imports no server.',
    ),
  },
  {
    files: ['src/collector/**/*.ts'],
    rules: ban(rooms('cli'), 'collector/ never imports the CLI.'),
  },
  {
    files: ['src/tracker-js/**/*.ts'],
    rules: ban(
      [...rooms('server', 'pipeline', 'sinks', 'config', 'schema', 'collector', 'cli'), 'node:*', ...io],
      'the tracker runs in browsers: it may only import the protocol encode side.',
    ),
  },
);
