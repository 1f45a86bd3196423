/**
 * One route under load with the server child profiled, and nothing else in the profile (no bare-route load):
 *   BENCH_CPU_PROF=/tmp/prof BENCH_ROUTE=checkout_new npx tsx bench/profile.bench.ts
 * Routes: checkout_new, plans, estimate. PostgreSQL through BENCH_DATABASE_URL or PAYLIT_TEST_DATABASE_URL, else SQLite.
 * The profile (a .cpuprofile file) opens in Chrome's DevTools; the figure printed is the server's CPU per request.
 */
import { load, startChild } from './load.js';

const bodies: Record<string, [string, string | undefined]> = {
  checkout_new: ['/api/v2/hosted_pages/checkout_new', 'subscription[plan_id]=credits-starter&addons[id][0]=credits-500&addons[quantity][0]=2&redirect_url=https%3A%2F%2Fshop.example%2Fthanks'],
  plans: ['/api/v2/plans?limit=10', undefined],
  estimate: ['/api/v2/estimates/create_subscription', 'subscription[plan_id]=hustle-monthly&addons[id][0]=extra-seat&addons[quantity][0]=3&coupon_ids[0]=WELCOME10&billing_address[country]=US&billing_address[state_code]=NY'],
};
const name = process.env.BENCH_ROUTE ?? 'checkout_new';
const [path, body] = bodies[name]!;
const c = await startChild({}, process.env.BENCH_DATABASE_URL ?? process.env.PAYLIT_TEST_DATABASE_URL);
try {
  await load(c, `${c.url}${path}`, c.auth, body, 2);
  const f = await load(c, `${c.url}${path}`, c.auth, body);
  console.log(`${name}: ${f.rps.toFixed(0)} req/s, p99 ${String(f.p99)} ms, server CPU ${f.cpuUs.toFixed(0)} µs/req, ${f.statements.toFixed(2)} SQL statements/req, non-2xx ${String(f.errors)}`);
} finally {
  await c.stop();
}
