// Finds a Chromium for the browser tests: CHROMIUM_PATH, then /usr/bin/chromium, then Playwright's own browser.
import { existsSync } from 'node:fs';

export const HOW_TO_GET_CHROMIUM = `No Chromium found for the browser tests.
Get one of these, then run the tests again:
  - Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium      (installs /usr/bin/chromium)
  - any machine:    npx playwright install chromium                              (Playwright's own browser)
  - or point CHROMIUM_PATH at a Chromium or Chrome binary you already have.`;

/** Flags that keep Chromium quiet and offline-friendly; root needs --no-sandbox. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to "${fromEnv}", which does not exist.\n\n${HOW_TO_GET_CHROMIUM}`);
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const { chromium } = await import('playwright-core');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright-core not installed or no browser downloaded: fall through.
  }
  return undefined;
}
