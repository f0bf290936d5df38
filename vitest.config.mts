import { defineConfig } from 'vitest/config';

// Most files wait on I/O and timers (a demo Zulip, Redis, streams), not on the CPU: they run side
// by side, more of them than there are cores. The few that measure how fast something runs on
// the CPU (20,000-person exports, generating 50,000 people, building the org chart) run after,
// one at a time, so their figures are not the other files' load.
const CPU_TIMED = [
  'tests/export/load.test.ts',
  'tests/export/scale.test.ts',
  'tests/demo-zulip/generate.test.ts',
  'tests/demo-zulip/scale.test.ts',
  'tests/directory/org-chart.test.ts',
  'tests/directory/teams-store.test.ts',
];
const include = ['tests/**/*.test.{ts,tsx}', 'lib/**/*.test.{ts,tsx}', 'components/**/*.test.{ts,tsx}'];
const shared = { environment: 'node', setupFiles: ['tests/setup.ts'], testTimeout: 20_000 };

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    maxWorkers: 4,
    projects: [
      { extends: true, test: { ...shared, name: 'side-by-side', include, exclude: CPU_TIMED, sequence: { groupOrder: 0 } } },
      { extends: true, test: { ...shared, name: 'cpu-timed', include: CPU_TIMED, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
