import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// lib/zulip is the one place where Zulip's wire shapes are read (docs/zulip.md §l): the rest of
// the app sees the records of lib/zulip/records.ts, never a schema or a parser.
const WIRE_SHAPES = { group: ['@/lib/zulip/schemas', '@/lib/zulip/parse-*'], message: 'Only lib/zulip reads Zulip wire shapes; use the records it returns.' };
// Layers point one way (docs/architecture.md §9): domain code never reaches the runtime or the UI.
const UPPER_LAYERS = { group: ['@/lib/server/*', '@/lib/access/*', '@/app/*', '@/components/*'], message: 'Domain code does not import the server runtime, access or UI.' };
// The browser's code never reaches the server's parts (they hold credentials; docs/architecture.md §12).
const SERVER = { group: ['@/lib/server/*', '@/proxy'], message: 'Components are handed data; they do not import the server.' };
// Only the demo wiring knows the embedded demo server (docs/architecture.md §9).
const DEMO = { group: ['@/lib/demo-zulip/*'], message: 'Only lib/server/connection.ts starts the demo Zulip server.' };
// Presence lies under the directory; the route table and the API's schemas under the server (§9).
const DIRECTORY = { group: ['@/lib/directory/*'], message: 'Presence code does not import the directory.' };
const RUNTIME = { group: ['@/lib/server/*'], message: 'lib/http does not import the server; the server checks its answers against lib/http.' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  { files: ['app/**', 'lib/server/**', 'lib/access/**', 'lib/export/**', 'proxy.ts'], ignores: ['lib/server/connection.ts'], rules: restrict(WIRE_SHAPES, DEMO) },
  { files: ['lib/http/**'], rules: restrict(WIRE_SHAPES, DEMO, RUNTIME) },
  { files: ['components/**'], rules: restrict(WIRE_SHAPES, DEMO, SERVER) },
  { files: ['lib/directory/**'], rules: restrict(WIRE_SHAPES, UPPER_LAYERS, DEMO) },
  { files: ['lib/presence/**'], rules: restrict(WIRE_SHAPES, UPPER_LAYERS, DEMO, DIRECTORY) },
  { files: ['lib/zulip/**'], rules: restrict(UPPER_LAYERS, DEMO) },
  // No module imports itself back, however far round (docs/architecture.md §9).
  { files: ['**/*.{ts,tsx,mts}'], rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] } },
  globalIgnores(['.next/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', '.e2e/**']),
]);
