/**
 * Median time of an estimate for a new subscription with 10 and with 100 lines (plan + recurring addons),
 * with a percentage coupon, a fixed coupon and tax, on the built dist/paylit-core.js (the code that ships).
 * Prints the numbers; asserts nothing.
 *   npm run bench
 */
import { performance } from 'node:perf_hooks';

type Core = typeof import('../src/core/index.js');
const core = (await import(new URL('../dist/paylit-core.js', import.meta.url).href)) as Core;
const { addonSchema, applicableAddons, couponSchema, estimateNewSubscription, parseOrThrow, planSchema } = core;

const now = Date.UTC(2025, 0, 31) / 1000;
const plan = parseOrThrow(planSchema, { id: 'bench', name: 'Bench', price: 4900, pricing_model: 'flat_fee' });
const coupons = [
  parseOrThrow(couponSchema, { id: 'P', name: 'P', discount_type: 'percentage', discount_percentage: 12.5 }),
  parseOrThrow(couponSchema, { id: 'F', name: 'F', discount_type: 'fixed_amount', discount_amount: 700, currency_code: 'USD' }),
];
const taxProfile = { rates: [{ country: 'US', region: 'NY', rate: '8.875', name: 'NY' }] };

function setup(lines: number) {
  const addons = Array.from({ length: lines - 1 }, (_, i) =>
    parseOrThrow(addonSchema, {
      id: `a${String(i)}`, name: `Addon ${String(i)}`, type: i % 3 === 0 ? 'tiered' : 'quantity', price: 100 + i,
      ...(i % 3 === 0 && { tiers: [{ starting_unit: 1, ending_unit: 10, price: 300 }, { starting_unit: 11, price: 200 }] }),
    }),
  );
  return { addons, chosen: addons.map((a, i) => ({ id: a.id, quantity: 1 + (i % 17) })) };
}

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
    estimateNewSubscription({ plan, addons: chosen, coupons }, { addons, now, taxProfile, billingAddress: { country: 'US', state_code: 'NY' }, applicability });
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
