// Where the main threads' time goes between a click on a drop-in button and the checkout's `loaded`: a Chromium
// performance trace (the DevTools protocol's Tracing domain, the categories DevTools records) of warm opens (the
// checkout opened once before) and cold ones (a new context), summarized per renderer main thread as its top-level
// tasks' slices by name (script evaluation with its file, style, layout, parse, microtasks), and the busiest
// JavaScript functions sampled by V8 in that window (self time). `npx tsx bench/embed-trace.bench.ts` after `npm run build`
// (ROUNDS=5; TRACE_FILE=x.json also writes the last warm trace there and the last cold one to x.cold.json, for DevTools' Performance panel). Prints; asserts
// nothing; the tracing itself slows what it measures by a few per cent.
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';
import { backendEnv, launchChromium, median, startShop, tracedClick } from './embed-shop.js';

const shop = await startShop('epoch');
const backend = await startServer({ env: parseEnv(backendEnv(shop.origin)), log: () => {} });
shop.serve(() => backend.url);
const browser = await launchChromium();
const short = (u: string) => u.replace(backend.url, '').replace(shop.origin, 'shop').replace(/[?#].*/, '');

interface Ev { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> }
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'];

const trace = (page: Page) => tracedClick<Ev>(browser, page, CATEGORIES);

/** What one slice is called in the summary: script with its file, the rest by the trace's own name. */
function label(e: Ev): string {
  const d = (e.args?.data ?? {}) as { url?: string; functionName?: string; type?: string };
  if (e.name === 'EvaluateScript' || e.name === 'v8.compileModule' || e.name === 'v8.evaluateModule' || e.name === 'v8.compile') return `${e.name} ${short(d.url ?? (e.args?.fileName as string | undefined) ?? '')}`;
  if (e.name === 'FunctionCall') return `FunctionCall ${short(d.url ?? '')}${d.functionName ? ` ${d.functionName}` : ''}`;
  if (e.name === 'EventDispatch' || e.name === 'TimerFire') return `${e.name} ${d.type ?? ''}`;
  return e.name;
}

/** The slices directly under each top-level task (RunTask) of one thread, summed by label, between t0 and t1. */
function summarize(events: Ev[], pid: number, tid: number, t0: number, t1: number): Map<string, number> {
  const xs = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined && e.ts >= t0 && e.ts <= t1).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const out = new Map<string, number>();
  const tasks = xs.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  let busy = 0;
  for (const t of tasks) {
    busy += t.dur!;
    // Children: the slices inside the task not inside another child (one level down).
    let end = -1;
    let covered = 0;
    for (const c of xs) {
      if (c === t || c.ts < t.ts || c.ts + c.dur! > t.ts + t.dur! || c.name === 'RunTask' || c.name === 'ThreadControllerImpl::RunTask') continue;
      if (c.ts < end) continue;
      end = c.ts + c.dur!;
      covered += c.dur!;
      out.set(label(c), (out.get(label(c)) ?? 0) + c.dur! / 1000);
    }
    out.set('(task, other)', (out.get('(task, other)') ?? 0) + (t.dur! - covered) / 1000);
  }
  out.set('= busy', busy / 1000);
  return out;
}

/** V8's samples on one thread between t0 and t1 (trace µs): self time by function and file, in ms. */
function samples(events: Ev[], pid: number, tid: number, t0: number, t1: number): Map<string, number> {
  const nodes = new Map<number, string>();
  const out = new Map<string, number>();
  const start = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  let t = ((start?.args?.data ?? {}) as { startTime?: number }).startTime ?? 0;
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || e.tid !== tid) continue;
    const d = (e.args?.data ?? {}) as { cpuProfile?: { nodes?: Array<{ id: number; callFrame: { functionName: string; url?: string; lineNumber?: number } }>; samples?: number[] }; timeDeltas?: number[] };
    for (const n of d.cpuProfile?.nodes ?? []) nodes.set(n.id, `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url ?? '')}:${String(n.callFrame.lineNumber ?? '')}`);
    const ss = d.cpuProfile?.samples ?? [];
    const dt = d.timeDeltas ?? [];
    for (let i = 0; i < ss.length; i++) {
      t += dt[i] ?? 0;
      const w = (dt[i + 1] ?? dt[i] ?? 0) / 1000;
      if (t < t0 || t > t1) continue;
      const name = nodes.get(ss[i]!) ?? '?';
      out.set(name, (out.get(name) ?? 0) + w);
    }
  }
  return out;
}

/** The renderer main threads (CrRendererMain) and which process is the checkout's (the one that evaluated checkout.js). */
function mains(events: Ev[]) {
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args?.name as string) === 'CrRendererMain');
  const frame = events.find((e) => (e.name === 'v8.compileModule' || e.name === 'EvaluateScript' || e.name === 'v8.evaluateModule') && /hosted\/checkout\.js/.test(JSON.stringify(e.args ?? {})));
  return names.map((n) => ({ pid: n.pid, tid: n.tid, checkout: frame?.pid === n.pid && frame.tid === n.tid }));
}

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const totals = { warm: new Map<string, number[]>(), cold: new Map<string, number[]>() };
const functions = { warm: new Map<string, number>(), cold: new Map<string, number>() };
const took = { warm: [] as number[], cold: [] as number[] };
const last = { warm: [] as Ev[], cold: [] as Ev[] };
for (let i = 0; i < ROUNDS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shop.origin}/`);
  await page.waitForLoadState('networkidle');
  for (const kind of ['cold', 'warm'] as const) {
    const r = await trace(page);
    // Trace timestamps are monotonic µs; line them up with the page's wall clock through the click's own event.
    const clickEv = r.events.find((e) => e.name === 'EventDispatch' && (e.args?.data as { type?: string } | undefined)?.type === 'click');
    const t0 = clickEv?.ts ?? Math.min(...r.events.filter((e) => e.ts > 0).map((e) => e.ts));
    const t1 = t0 + (r.loaded - r.click) * 1000;
    took[kind].push(r.loaded - r.click);
    for (const m of mains(r.events)) {
      const who = m.checkout ? 'frame' : 'other';
      for (const [k, v] of summarize(r.events, m.pid, m.tid, t0, t1)) {
        const key = `${who}  ${k}`;
        (totals[kind].get(key) ?? totals[kind].set(key, []).get(key)!).push(v);
      }
      if (m.checkout) for (const [k, v] of samples(r.events, m.pid, m.tid, t0, t1)) functions[kind].set(k, (functions[kind].get(k) ?? 0) + v / ROUNDS);
    }
    last[kind] = r.events;
  }
  await context.close();
}
for (const kind of ['cold', 'warm'] as const) {
  console.log(`\n${kind}: click → loaded, median of ${String(ROUNDS)} traced: ${median(took[kind]).toFixed(1)} ms. Main threads' slices (ms, median over runs; the frame's renderer, then the shop's):`);
  const rows = [...totals[kind]].map(([k, v]) => [k, median([...v, ...Array<number>(Math.max(0, ROUNDS - v.length)).fill(0)])] as const).filter(([, v]) => v >= 0.5);
  for (const [k, v] of rows.sort((a, b) => a[0].localeCompare(b[0]).valueOf() * 0 + (a[0].slice(0, 5) === b[0].slice(0, 5) ? b[1] - a[1] : a[0].localeCompare(b[0])))) console.log(`  ${v.toFixed(1).padStart(6)}  ${k}`);
  console.log(`  the frame's JavaScript by self time (ms, mean of sampled runs):`);
  for (const [k, v] of [...functions[kind]].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${v.toFixed(1).padStart(6)}  ${k}`);
}
const file = process.env.TRACE_FILE;
if (file) for (const kind of ['warm', 'cold'] as const) writeFileSync(kind === 'warm' ? file : file.replace(/(\.json)?$/, '.cold.json'), JSON.stringify({ traceEvents: last[kind] }));
await browser.close();
await backend.close();
shop.close();
