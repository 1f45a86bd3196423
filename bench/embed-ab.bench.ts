// Click on a drop-in button → the checkout's `loaded`, this tree against another build of Paylit, interleaved run by
// run in one process and one browser, so the machine's load (shared, and drifting) falls on both alike:
// `PAYLIT_BENCH_BEFORE=/path/to/other/worktree npx tsx bench/embed-ab.bench.ts` (both built). Cold (a new context per
// run) and warm (the same page, opened again); prints each side's median, min and max, and the median of the paired
// differences (after − before). Asserts nothing.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendEnv, clickToLoaded as once, launchChromium, median, startShop } from './embed-shop.js';

const before = process.env.PAYLIT_BENCH_BEFORE;
if (!before) throw new Error('PAYLIT_BENCH_BEFORE: the other worktree (built) to compare with');
const RUNS = Number(process.env.RUNS ?? 15);
const shop = await startShop();
const shopOrigin = shop.origin;

type Start = typeof import('../src/server/server.js').startServer;
type Env = typeof import('../src/server/env.js').parseEnv;
/** A backend from the tree at `root` (its own server code, serving its own build). */
async function backend(root: string) {
  const { startServer } = (await import(pathToFileURL(join(root, 'src/server/server.ts')).href)) as { startServer: Start };
  const { parseEnv } = (await import(pathToFileURL(join(root, 'src/server/env.ts')).href)) as { parseEnv: Env };
  return startServer({ env: parseEnv(backendEnv(shopOrigin)), log: () => {} });
}
const sides = { before: await backend(resolve(before)), after: await backend(resolve(import.meta.dirname, '..')) };
shop.serve((path) => (path === '/before' ? sides.before : sides.after).url);
const browser = await launchChromium();
const open = async (side: 'before' | 'after') => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/${side}`);
  await page.waitForLoadState('networkidle');
  return { context, page };
};

const cold = { before: [] as number[], after: [] as number[] };
const coldLead = { before: [] as number[], after: [] as number[] };
const warm = { before: [] as number[], after: [] as number[] };
// LEAD_MS (default 200): a third series, cold with the pointer resting on Buy that long before the click; 0: none.
const LEAD_MS = Number(process.env.LEAD_MS ?? 200);
for (let i = 0; i < RUNS; i++) {
  // Alternating which goes first, so neither always follows the other.
  for (const side of i % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) {
    const { context, page } = await open(side);
    cold[side].push(await once(page));
    await context.close();
  }
  if (LEAD_MS) {
    for (const side of i % 2 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
      const { context, page } = await open(side);
      coldLead[side].push(await once(page, LEAD_MS));
      await context.close();
    }
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
if (LEAD_MS) line(`cold, hover ${String(LEAD_MS)} ms before the click`, coldLead);
line('warm', warm);
await browser.close();
await Promise.all([sides.before.close(), sides.after.close()]);
shop.close();
