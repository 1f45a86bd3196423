// Click on a drop-in button → the checkout's `loaded`, this tree against another build of Paylit, interleaved run by
// run in one process and one browser, so the machine's load (shared, and drifting) falls on both alike:
// `PAYLIT_BENCH_BEFORE=/path/to/other/worktree npx tsx bench/embed-ab.bench.ts` (both built). Cold (a new context per
// run) and warm (the same page, opened again); prints each side's median, min and max, and the median of the paired
// differences (after − before). Asserts nothing.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/chromium.mjs';

const before = process.env.PAYLIT_BENCH_BEFORE;
if (!before) throw new Error('PAYLIT_BENCH_BEFORE: the other worktree (built) to compare with');
const RUNS = Number(process.env.RUNS ?? 15);
const shop = createServer();
await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
const shopOrigin = `http://127.0.0.1:${String((shop.address() as AddressInfo).port)}`;

type Start = typeof import('../src/server/server.js').startServer;
type Env = typeof import('../src/server/env.js').parseEnv;
async function backend(root: string) {
  const { startServer } = (await import(pathToFileURL(join(root, 'src/server/server.ts')).href)) as { startServer: Start };
  const { parseEnv } = (await import(pathToFileURL(join(root, 'src/server/env.ts')).href)) as { parseEnv: Env };
  return startServer({
    env: parseEnv({ PORT: '0', PAYLIT_DATA_DIR: mkdtempSync(join(tmpdir(), 'paylit-bench-')), PAYLIT_ALLOWED_ORIGINS: shopOrigin, PAYLIT_PUBLISHABLE_KEY: 'bench_pk_publishable_key_01', PAYLIT_API_KEY: 'bench_sk_secret_key_for_bench_1' }),
    log: () => {},
  });
}
const sides = { before: await backend(resolve(before)), after: await backend(resolve(import.meta.dirname, '..')) };
shop.on('request', (req, res) => {
  const b = req.url === '/before' ? sides.before : sides.after;
  res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
    <script src="${b.url}/paylit.js" data-paylit-site="bench" data-paylit-publishable-key="bench_pk_publishable_key_01"></script></head>
    <body><button data-paylit-type="checkout" data-paylit-plan-id="credits-starter" data-paylit-addons_id_0="credits-100">Buy</button>
    <script>
      Paylit.getInstance().setCheckoutCallbacks(() => ({ loaded: () => { window.loadedAt = performance.now(); } }));
      document.querySelector('button').addEventListener('click', () => { window.clickedAt = performance.now(); window.loadedAt = undefined; }, { capture: true });
    </script></body></html>`);
});

async function once(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
  const ms = await page.evaluate(() => (window as unknown as { loadedAt: number; clickedAt: number }).loadedAt - (window as unknown as { clickedAt: number }).clickedAt);
  await page.keyboard.press('Escape');
  await page.locator('dialog').waitFor({ state: 'detached' });
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const executablePath = (await findChromium()) ?? undefined;
const browser: Browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'] });
const open = async (side: 'before' | 'after') => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/${side}`);
  await page.waitForLoadState('networkidle');
  return { context, page };
};

const cold = { before: [] as number[], after: [] as number[] };
const warm = { before: [] as number[], after: [] as number[] };
for (let i = 0; i < RUNS; i++) {
  // Alternating which goes first, so neither always follows the other.
  for (const side of i % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) {
    const { context, page } = await open(side);
    cold[side].push(await once(page));
    await context.close();
  }
}
const pages = { before: await open('before'), after: await open('after') };
for (const side of ['before', 'after'] as const) await once(pages[side].page); // fills the cache
for (let i = 0; i < RUNS; i++) for (const side of i % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) warm[side].push(await once(pages[side].page));

const line = (name: string, r: { before: number[]; after: number[] }) => {
  const f = (xs: number[]) => `${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  const diffs = r.after.map((a, i) => a - r.before[i]!);
  console.log(`  ${name}: before ${f(r.before)}; after ${f(r.after)}; paired difference, median ${median(diffs).toFixed(1)} ms`);
};
console.log(`click → loaded, ${String(RUNS)} runs each, interleaved (before: ${before}):`);
line('cold', cold);
line('warm', warm);
await browser.close();
await Promise.all([sides.before.close(), sides.after.close()]);
shop.close();
