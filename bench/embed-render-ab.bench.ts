// The frame's own part of click → `loaded`, this tree against another build, interleaved: each open is traced (the
// DevTools protocol's Tracing domain) and cut where the page's data has arrived (the hosted_pages read's
// ResourceFinish), so what is left is the checkout's work on its main thread: evaluating what was not yet, Lit's first
// render, style and layout, the settle, the post. `PAYLIT_BENCH_BEFORE=/path/to/other/worktree npx tsx
// bench/embed-render-ab.bench.ts` (both built; RUNS=10). Prints per side the medians of: data → `loaded`, the frame's
// main-thread busy time in that window, its Layout and style (UpdateLayoutTree) time there, and the whole click →
// `loaded`; then the median paired difference of each. Busy, layout and style are the thread's CPU time (tdur). A machine's load moves the network part of a click most; this
// part, all main-thread work on one core, moves less. Asserts nothing.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { backendEnv, launchChromium, median, startShop, tracedClick } from './embed-shop.js';

const before = process.env.PAYLIT_BENCH_BEFORE;
if (!before) throw new Error('PAYLIT_BENCH_BEFORE: the other worktree (built) to compare with');
const RUNS = Number(process.env.RUNS ?? 10);
const shop = await startShop('epoch');
type Start = typeof import('../src/server/server.js').startServer;
type Env = typeof import('../src/server/env.js').parseEnv;
async function backend(root: string) {
  const { startServer } = (await import(pathToFileURL(join(root, 'src/server/server.ts')).href)) as { startServer: Start };
  const { parseEnv } = (await import(pathToFileURL(join(root, 'src/server/env.ts')).href)) as { parseEnv: Env };
  return startServer({ env: parseEnv(backendEnv(shop.origin)), log: () => {} });
}
const sides = { before: await backend(resolve(before)), after: await backend(resolve(import.meta.dirname, '..')) };
shop.serve((path) => (path === '/before' ? sides.before : sides.after).url);
const browser = await launchChromium();

interface Ev { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { data?: Record<string, unknown> } & Record<string, unknown> }
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'loading'];
const figures = ['click → page asked', 'page asked → data asked', 'data asked → in', 'click → data', 'data → loaded', 'busy after data (CPU)', 'layout after data (CPU)', 'style after data (CPU)', 'click → loaded', 'busy click → loaded (CPU)'] as const;
type Figures = Record<(typeof figures)[number], number>;

async function traced(page: Page): Promise<Figures> {
  const { events, click, loaded } = await tracedClick<Ev>(browser, page, CATEGORIES);
  await page.evaluate(() => ((window as unknown as { loadedAt?: number }).loadedAt = undefined));
  const clickEv = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click')!;
  const t1 = clickEv.ts + (loaded - click) * 1000;
  // The page's data: the read of /api/browser/v2/hosted_pages/{id}, by its request id.
  const send = events.find((e) => e.name === 'ResourceSendRequest' && /\/api\/browser\/v2\/hosted_pages\//.test(String(e.args?.data?.url ?? '')) && e.ts >= clickEv.ts)!;
  const finish = events.find((e) => e.name === 'ResourceFinish' && e.args?.data?.requestId === send.args?.data?.requestId)!;
  const t0 = finish.ts;
  const pageAsked = events.find((e) => e.name === 'ResourceSendRequest' && /\/hosted\/checkout\/hp_/.test(String(e.args?.data?.url ?? '')) && e.ts >= clickEv.ts)!;
  // The checkout frame's main thread: the one that evaluated checkout.js.
  const frame = events.find((e) => /^(v8\.compileModule|v8\.evaluateModule|EvaluateScript)$/.test(e.name) && /hosted\/checkout\.js/.test(JSON.stringify(e.args ?? {})))!;
  const on = events.filter((e) => e.pid === frame.pid && e.tid === frame.tid && e.ph === 'X' && e.dur !== undefined && e.ts >= t0 && e.ts + e.dur <= t1 + 1000);
  // CPU time of the thread (tdur) where the trace has it: on a loaded machine a slice's wall time includes the time
  // the thread waited for a core.
  const sum = (name: string, xs = on) => xs.filter((e) => e.name === name).reduce((n, e) => n + (e.tdur ?? e.dur!), 0) / 1000;
  const all = events.filter((e) => e.pid === frame.pid && e.tid === frame.tid && e.ph === 'X' && e.dur !== undefined && e.ts >= clickEv.ts && e.ts + e.dur <= t1 + 1000);
  return { 'click → page asked': (pageAsked.ts - clickEv.ts) / 1000, 'page asked → data asked': (send.ts - pageAsked.ts) / 1000, 'data asked → in': (t0 - send.ts) / 1000, 'click → data': (t0 - clickEv.ts) / 1000, 'data → loaded': (t1 - t0) / 1000, 'busy after data (CPU)': sum('RunTask') || sum('ThreadControllerImpl::RunTask'), 'layout after data (CPU)': sum('Layout'), 'style after data (CPU)': sum('UpdateLayoutTree'), 'click → loaded': loaded - click, 'busy click → loaded (CPU)': sum('RunTask', all) || sum('ThreadControllerImpl::RunTask', all) };
}

const runs = { before: [] as Figures[], after: [] as Figures[] };
const pages = { before: await open('before'), after: await open('after') };
async function open(side: 'before' | 'after') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shop.origin}/${side}`);
  await page.waitForLoadState('networkidle');
  return page;
}
for (const side of ['before', 'after'] as const) await traced(pages[side]); // fills the cache (warm opens from here)
for (let i = 0; i < RUNS; i++) for (const side of i % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) runs[side].push(await traced(pages[side]));

console.log(`warm opens, ${String(RUNS)} each, interleaved (before: ${before}); ms, median (min–max):`);
for (const f of figures) {
  const xs = (side: 'before' | 'after') => runs[side].map((r) => r[f]);
  const show = (v: number[]) => `${median(v).toFixed(1)} (${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)})`;
  const diffs = runs.after.map((r, i) => r[f] - runs.before[i]![f]);
  console.log(`  ${f.padEnd(26)} before ${show(xs('before')).padEnd(20)} after ${show(xs('after')).padEnd(20)} paired ${median(diffs).toFixed(1)}`);
}
await browser.close();
await Promise.all([sides.before.close(), sides.after.close()]);
shop.close();
