// What happens between a click on a drop-in button and the checkout's `loaded`: every request after the click, with
// its start and end (ms after the click) and what started it (Chromium's DevTools protocol), and the number of round
// trips on the critical path (the longest chain of requests each started by one that had to finish first) — a figure
// CPU contention does not move. `npm run bench:waterfall` (ROUNDS=3 by default; THROTTLE=20,10 for 20 ms latency and
// 10 Mbit/s); warm (the checkout
// opened once before, so the browser's cache holds its files) and cold (a new context). Prints; asserts nothing.
import type { Page } from '@playwright/test';
import { parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';
import { backendEnv, launchChromium, startShop } from './embed-shop.js';

// Wall-clock times on the page, to line up with the DevTools protocol's.
const shop = await startShop('epoch');
const shopOrigin = shop.origin;
const backend = await startServer({ env: parseEnv(backendEnv(shopOrigin)), log: () => {} });
shop.serve(() => backend.url);

interface Req { id: string; url: string; start: number; end?: number; fromCache?: boolean; initiator: string }

const browser = await launchChromium();
const short = (u: string) => u.replace(backend.url, '').replace(shopOrigin, 'shop').replace(/#.*/, '').replace(/\?.*/, '?…');

async function record(page: Page): Promise<{ reqs: Req[]; click: number; loaded: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // THROTTLE=latency_ms,megabits: a real network (as DevTools throttles it), where bytes and round trips cost time.
  const [latency, mbit] = (process.env.THROTTLE ?? '').split(',').map(Number);
  if (latency !== undefined && mbit) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: (mbit * 1e6) / 8, uploadThroughput: (mbit * 1e6) / 8 });
  const reqs = new Map<string, Req>();
  // Wall times: requestWillBeSent's wallTime is seconds since the epoch; later events give monotonic timestamps.
  let offset = 0;
  cdp.on('Network.requestWillBeSent', (e) => {
    offset = e.wallTime * 1000 - e.timestamp * 1000;
    const init = e.initiator.url ?? e.initiator.stack?.callFrames[0]?.url ?? e.initiator.stack?.parent?.callFrames[0]?.url ?? e.initiator.type;
    reqs.set(e.requestId, { id: e.requestId, url: e.request.url, start: e.wallTime * 1000, initiator: short(init) });
  });
  cdp.on('Network.requestServedFromCache', (e) => { const r = reqs.get(e.requestId); if (r) r.fromCache = true; });
  cdp.on('Network.responseReceived', (e) => { const r = reqs.get(e.requestId); if (r && (e.response.fromDiskCache || e.response.fromPrefetchCache)) r.fromCache = true; });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) r.end = e.timestamp * 1000 + offset; });
  const buy = page.getByRole('button', { name: 'Buy' });
  // LEAD_MS: the pointer rests on Buy that long before the click (requests from the hover on are listed, before 0).
  const lead = Number(process.env.LEAD_MS ?? 0);
  const hoverAt = await page.evaluate(() => performance.timeOrigin + performance.now());
  if (lead) await buy.hover(), await page.waitForTimeout(lead);
  await buy.click();
  await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
  const { click, loaded } = await page.evaluate(() => ({ click: (window as unknown as { clickedAt: number }).clickedAt, loaded: (window as unknown as { loadedAt: number }).loadedAt }));
  await cdp.detach();
  await page.keyboard.press('Escape');
  await page.locator('dialog').waitFor({ state: 'detached' });
  return { reqs: [...reqs.values()].filter((r) => r.start >= Math.min(click, hoverAt) - 1 && r.start <= loaded), click, loaded };
}

/** The longest chain of requests in which each started after the one before it had finished (cache hits are no trip). */
function chain(reqs: Req[]): Req[] {
  const sorted = reqs.filter((r) => !r.fromCache).sort((a, b) => a.start - b.start);
  const best = new Map<Req, Req[]>();
  for (const r of sorted) {
    let longest: Req[] = [];
    for (const q of sorted) if (q !== r && q.end !== undefined && q.end <= r.start && (best.get(q)?.length ?? 0) > longest.length) longest = best.get(q)!;
    best.set(r, [...longest, r]);
  }
  return [...best.values()].reduce((a, b) => (b.length > a.length ? b : a), []);
}

function print(name: string, { reqs, click, loaded }: { reqs: Req[]; click: number; loaded: number }): void {
  const path = chain(reqs);
  // The chain also holds the card frame's page and file, which start before `loaded` but are not waited for; the
  // trips up to the checkout's data are what the first render waits on.
  const toData = path.findIndex((r) => /\/api\/browser\/v2\/hosted_pages\//.test(r.url)) + 1;
  console.log(`\n${name}: click → loaded ${(loaded - click).toFixed(1)} ms, ${String(reqs.length)} requests, ${String(path.length)} round trips in the longest chain, ${String(toData)} up to the page's data`);
  for (const r of [...reqs].sort((a, b) => a.start - b.start)) {
    const at = (t: number | undefined) => (t === undefined ? '   ?  ' : (t - click).toFixed(1).padStart(6));
    console.log(`  ${path.includes(r) ? '*' : ' '} ${at(r.start)} → ${at(r.end)}  ${r.fromCache ? 'cache ' : '      '}${short(r.url).padEnd(44)} ← ${r.initiator}`);
  }
}

const ROUNDS = Number(process.env.ROUNDS ?? 3);
for (let i = 0; i < ROUNDS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/`);
  await page.waitForLoadState('networkidle');
  print(`cold ${String(i + 1)}`, await record(page));
  print(`warm ${String(i + 1)}`, await record(page));
  await context.close();
}
await browser.close();
await backend.close();
shop.close();
