import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Two built apps, so both ways of running are covered:
// - "demo": no Zulip configured, the app starts its embedded demo server (Zulip 6.x, feature
//   level 150: real per-client presence) exactly as `npm start` does on a fresh clone;
// - "configured": the app pointed by a zuliprc at a standalone demo server (Zulip 10.2, feature
//   level 372: all devices reported together), as against a real Zulip.
// Both demo organizations have their presence simulation paused so tests control presence.
export const DEMO_APP = { url: 'http://127.0.0.1:3100', zulip: 'http://127.0.0.1:9992' };
export const CONFIGURED_APP = { url: 'http://127.0.0.1:3101', zulip: 'http://127.0.0.1:9993' };

const chromium = '/usr/bin/chromium';
const launchOptions = {
  // Debian's Chromium where it exists (CI, this project's machines); Playwright's own elsewhere.
  ...(existsSync(chromium) ? { executablePath: chromium } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};
const nextStart = (port: number) => `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${port}`;
const env = { NEXT_TELEMETRY_DISABLED: '1', PRESENCE_REFRESH_SECONDS: '5' };

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { ...devices['Desktop Chrome'], launchOptions, trace: 'retain-on-failure' },
  projects: [
    { name: 'demo', testIgnore: /configured\.spec\.ts/, use: { baseURL: DEMO_APP.url } },
    { name: 'configured', testMatch: /configured\.spec\.ts/, use: { baseURL: CONFIGURED_APP.url } },
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
      env: { ...env, ZULIPRC: '.e2e/zuliprc' },
    },
  ],
});
