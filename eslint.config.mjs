import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// lib/zulip is the one place where Zulip's wire shapes are read (docs/zulip.md §l): the rest of
// the app sees the records of lib/zulip/records.ts, never a schema or a parser.
const WIRE_SHAPES = { group: ['@/lib/zulip/schemas', '@/lib/zulip/parse-*'], message: 'Only lib/zulip reads Zulip wire shapes; use the records it returns.' };
// Layers point one way (docs/architecture.md §9): domain code never reaches the runtime or the UI.
const UPPER_LAYERS = { group: ['@/lib/server/*', '@/lib/access/*', '@/app/*', '@/components/*'], message: 'Domain code does not import the server runtime, access or UI.' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  { files: ['app/**', 'components/**', 'lib/server/**', 'lib/access/**', 'lib/http/**', 'proxy.ts'], rules: restrict(WIRE_SHAPES) },
  { files: ['lib/directory/**', 'lib/presence/**'], rules: restrict(WIRE_SHAPES, UPPER_LAYERS) },
  { files: ['lib/zulip/**'], rules: restrict(UPPER_LAYERS) },
  globalIgnores(['.next/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', '.e2e/**']),
]);
