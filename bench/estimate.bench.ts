/**
 * Median time of an estimate for a new subscription with 10 and with 100 lines (plan + recurring addons),
 * with a percentage coupon, a fixed coupon and tax, on the built dist/paylit-core.js (the code that ships).
 * Prints the numbers; asserts nothing.
 *   npm run bench
 */
import { performance } from 'node:perf_hooks';

import { benchCart, BILLING_ADDRESS, NOW as now, TAX_PROFILE as taxProfile } from './estimate-cart.mjs';

type Core = typeof import('../src/core/index.js');
const core = (await import(new URL('../dist/paylit-core.js', import.meta.url).href)) as Core;
const { applicableAddons, estimateNewSubscription } = core;
const { plan, coupons, lines: setup } = benchCart(core);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// "fresh": a new catalog each time, as a widget with unfrozen data; "server": the catalog and plan frozen, as the
// server's catalog snapshot holds them, with each plan's applicability kept (worked out once per catalog version).
for (const [lines, kind] of [[10, 'fresh'], [100, 'fresh'], [10, 'server'], [100, 'server']] as const) {
  const { addons: made, chosen } = setup(lines);
  const addons = kind === 'server' ? Object.freeze(made.map((a) => Object.freeze(a))) : made;
  if (kind === 'server') Object.freeze(plan);
  // The server keeps each frozen plan's applicability over its snapshot's addons (src/server/catalog-store.ts).
  const kept = kind === 'server' ? applicableAddons(plan, addons) : undefined;
  const applicability = kept && (() => kept);
  const run = () =>
    estimateNewSubscription({ plan, addons: chosen, coupons }, { addons, now, taxProfile, billingAddress: BILLING_ADDRESS, applicability });
  const check = run().invoice_estimate!;
  if (check.line_items.length !== lines) throw new Error(`expected ${String(lines)} lines, got ${String(check.line_items.length)}`);
  for (let i = 0; i < 2000; i++) run(); // warm up the JIT
  // Batches of N runs, timed together so the timer's resolution does not dominate.
  const batch = lines === 10 ? 200 : 20;
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < 101; s++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) run();
    samples.push(((performance.now() - t0) * 1000) / batch);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / batch);
  }
  // The process's CPU time as well: on a shared machine the wall clock also counts the time others had the core.
  console.log(`estimate, ${String(lines)} lines, ${kind} catalog: median ${median(samples).toFixed(1)} µs, CPU ${median(cpu).toFixed(1)} µs (101 batches of ${String(batch)}, ${process.version})`);
}
