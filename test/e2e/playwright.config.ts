import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS as BASE_ARGS } from '../chromium.mjs';

// The merchant pages are served by Playwright (page.route), which Chromium counts as a public address; on a real
// site the shop and the backend are both public. Local Network Access would otherwise refuse the loopback backend.
const CHROMIUM_ARGS = [...BASE_ARGS, '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights'];

const port = Number(process.env.PAYLIT_E2E_DEMO_PORT ?? 8790);
/** The demo's origin: the merchant pages the tests serve are on it (an allowed one). */
export const DEMO_URL = `http://127.0.0.1:${String(port)}`;
export const BACKEND_URL = `http://127.0.0.1:${String(port + 1)}`;
export const E2E_API_KEY = 'e2e_sk_secret_key_for_tests_01';
export const E2E_PUBLISHABLE_KEY = 'e2e_pk_publishable_key_0001';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${String(port)}`,
    trace: 'off',
    actionTimeout: 10_000,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'chromium', testIgnore: '**/*-world.spec.ts', use: { ...devices['Desktop Chrome'], launchOptions: { executablePath: process.env.CHROMIUM_PATH, args: CHROMIUM_ARGS } } },
    // The portal on a phone (390×844, touch), every test of it: nothing cut off or overlapping.
    {
      name: 'phone',
      testMatch: '**/portal.spec.ts',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, launchOptions: { executablePath: process.env.CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
    // These move the whole site's clock or take the demo's webhook endpoint down: alone, one at a time, after everything else.
    {
      name: 'world',
      testMatch: '**/*-world.spec.ts',
      dependencies: ['chromium', 'phone'],
      workers: 1,
      use: { ...devices['Desktop Chrome'], launchOptions: { executablePath: process.env.CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
  ],
  webServer: {
    // A fresh database each run (the time-machine test moves the site's clock).
    command: 'rm -rf .paylit/e2e && node_modules/.bin/tsx demo/serve.ts',
    cwd: '../..',
    // Its own backend port and data dir, so a developer's running demo does not clash.
    env: {
      PAYLIT_DEMO_PORT: String(port),
      PORT: String(port + 1),
      PAYLIT_DATA_DIR: '.paylit/e2e',
      // npm test builds first.
      PAYLIT_DEMO_SKIP_BUILD: '1',
      // Retries in seconds, not minutes, for the "webhook endpoint down" test.
      PAYLIT_WEBHOOK_RETRY_SCHEDULE: '2s,2s,3s,5s,10s',
      PAYLIT_WEBHOOK_POLL: '250ms',
      // Fixed keys, so tests can call the backend as a merchant and as a browser would.
      PAYLIT_API_KEY: E2E_API_KEY,
      PAYLIT_PUBLISHABLE_KEY: E2E_PUBLISHABLE_KEY,
    },
    url: `http://127.0.0.1:${String(port)}/demo/`,
    reuseExistingServer: false,
    timeout: 120_000, // a cold machine, or one busy with other work, takes its time
  },
});
