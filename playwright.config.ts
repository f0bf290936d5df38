import { defineConfig, devices } from '@playwright/test';
import { serveArgs } from './lib/server/serve-command';
import { browserForTests } from './scripts/ensure-browser';

// Three built apps, so each way of running is covered:
// - "demo": no Zulip configured, the app starts its embedded demo server as `npm start` does on a
//   fresh clone (open), but at Zulip 6.x's feature level 150 (real per-client presence; the
//   fresh clone's default is 372);
// - "configured": the app pointed by a zuliprc at a standalone demo server (Zulip 10.2, feature
//   level 372: all devices reported together), as against a real Zulip (DIRECTORY_ACCESS=open);
// - "closed": the demo organization behind Zulip sign-in (DIRECTORY_ACCESS=zulip).
// All demo organizations have their presence simulation paused so tests control presence.
// e2e/secrets.spec.ts starts (and scans) apps of its own, and e2e/cluster.spec.ts a cluster of them.
export const DEMO_APP = { url: 'http://127.0.0.1:3100', zulip: 'http://127.0.0.1:9992' };
export const CONFIGURED_APP = { url: 'http://127.0.0.1:3101', zulip: 'http://127.0.0.1:9993' };
export const CLOSED_APP = { url: 'http://127.0.0.1:3102', zulip: 'http://127.0.0.1:9995', sessionSecret: 'e2e-session-secret-e2e-session-secret-0001' };
// The other Zulip generations, each with the demo server's clock off from the app's and the
// browser's (as a real server's may be), for e2e/generations.spec.ts.
export const GENERATION_APPS = [
  { name: 'zulip-4', featureLevel: 65, clockOffsetSeconds: 3600, url: 'http://127.0.0.1:3103', zulip: 'http://127.0.0.1:9996' },
  { name: 'zulip-7', featureLevel: 185, clockOffsetSeconds: -1800, url: 'http://127.0.0.1:3104', zulip: 'http://127.0.0.1:9997' },
  { name: 'zulip-12', featureLevel: 497, clockOffsetSeconds: -3600, url: 'http://127.0.0.1:3105', zulip: 'http://127.0.0.1:9998' },
];

const launchOptions = {
  // The Chromium `npm test` found or installed (scripts/ensure-browser.ts, recorded in
  // .e2e/browser.json); without that record, Debian's where it exists, else Playwright's own.
  ...browserForTests(__dirname),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};
const nextStart = (port: number) => ['node', ...serveArgs(['-H', '127.0.0.1', '-p', String(port)])].join(' ');
const env = { NEXT_TELEMETRY_DISABLED: '1', PRESENCE_REFRESH_SECONDS: '5' };
const OWN_PROJECTS = /(configured|access|secrets|generations|cluster)\.spec\.ts/;

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { ...devices['Desktop Chrome'], launchOptions, trace: 'retain-on-failure' },
  projects: [
    { name: 'demo', testIgnore: OWN_PROJECTS, use: { baseURL: DEMO_APP.url } },
    { name: 'configured', testMatch: /configured\.spec\.ts/, use: { baseURL: CONFIGURED_APP.url } },
    { name: 'closed', testMatch: /access\.spec\.ts/, use: { baseURL: CLOSED_APP.url } },
    { name: 'secrets', testMatch: /secrets\.spec\.ts/, timeout: 180_000 },
    // Three instances through Redis (docs/architecture.md §10): the spec starts its own Redis,
    // demo Zulip and `next start` processes (e2e/cluster-harness.ts), and runs in order.
    { name: 'cluster', testMatch: /cluster\.spec\.ts/ },
    ...GENERATION_APPS.map((app) => ({ name: app.name, testMatch: /generations\.spec\.ts/, use: { baseURL: app.url } })),
  ],
  webServer: [
    {
      command: nextStart(3100),
      url: `${DEMO_APP.url}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: { ...env, DEMO_ZULIP_PORT: '9992', DEMO_ZULIP_SEED: '7', DEMO_ZULIP_FEATURE_LEVEL: '150', DEMO_ZULIP_SIMULATION: 'paused' },
    },
    {
      command: 'node node_modules/tsx/dist/cli.mjs lib/demo-zulip/cli.ts --port 9993 --seed 11 --users 120 --feature-level 372 --paused --zuliprc-out .e2e/zuliprc',
      url: `${CONFIGURED_APP.zulip}/api/v1/server_settings`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command: nextStart(3101),
      url: `${CONFIGURED_APP.url}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      // A "real" Zulip is configured, so the access mode must be chosen explicitly.
      env: { ...env, ZULIPRC: '.e2e/zuliprc', DIRECTORY_ACCESS: 'open' },
    },
    {
      command: nextStart(3102),
      // Public (no sign-in needed), and it starts the runtime and the embedded demo server.
      url: `${CLOSED_APP.url}/sign-in`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        ...env,
        DEMO_ZULIP_PORT: '9995',
        DEMO_ZULIP_SEED: '21',
        DEMO_ZULIP_USERS: '60',
        DEMO_ZULIP_SIMULATION: 'paused',
        DIRECTORY_ACCESS: 'zulip',
        DIRECTORY_SESSION_SECRET: CLOSED_APP.sessionSecret,
      },
    },
    ...GENERATION_APPS.map((app) => ({
      command: nextStart(Number(new URL(app.url).port)),
      url: `${app.url}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        ...env,
        DEMO_ZULIP_PORT: new URL(app.zulip).port,
        DEMO_ZULIP_SEED: '31',
        DEMO_ZULIP_USERS: '80',
        DEMO_ZULIP_FEATURE_LEVEL: String(app.featureLevel),
        DEMO_ZULIP_CLOCK_OFFSET_SECONDS: String(app.clockOffsetSeconds),
        DEMO_ZULIP_SIMULATION: 'paused',
      },
    })),
  ],
});
