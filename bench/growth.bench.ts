/**
 * How the cost of a request grows with the catalog (1 / 10 / 100 / 1,000 plans and as many addons) and with the stored
 * subscriptions (1 / 10,000), for checkout_new, the browser catalog and subscription retrieve. Each configuration is
 * a fresh backend (bench/serve-for-bench.ts) loaded with autocannon; the figure that travels is the server's CPU time
 * per request (µs), which a shared machine disturbs less than req/s, with its growth against the smallest catalog.
 * SQLite, and PostgreSQL when BENCH_DATABASE_URL (or PAYLIT_TEST_DATABASE_URL) is set. Asserts nothing.
 *   npm run bench:growth
 */
import { type Child, type Figure, load, startChild } from './load.js';

const SIZES = (process.env.BENCH_SIZES ?? '1,10,100,1000').split(',').map(Number);
const SUBS = (process.env.BENCH_SUBS ?? '1,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const routes: Array<{ name: string; run: (c: Child) => Promise<Figure> }> = [
  {
    name: 'POST /api/v2/hosted_pages/checkout_new',
    run: (c) => load(c, `${c.url}/api/v2/hosted_pages/checkout_new`, c.auth, 'subscription[plan_id]=bench-plan-0&addons[id][0]=bench-addon-0&addons[quantity][0]=2', SECONDS),
  },
  // Answered from the catalog snapshot in memory, its page worked out there (src/server/store.ts pageInMemory).
  { name: 'GET /api/v2/plans?limit=10', run: (c) => load(c, `${c.url}/api/v2/plans?limit=10`, c.auth, undefined, SECONDS) },
  { name: 'GET /api/browser/v2/catalog', run: (c) => load(c, `${c.url}/api/browser/v2/catalog`, { 'x-paylit-publishable-key': c.publishableKey, origin: c.origin }, undefined, SECONDS) },
  { name: 'GET /api/v2/subscriptions/:id', run: (c) => load(c, `${c.url}/api/v2/subscriptions/${c.subscriptionId!}`, c.auth, undefined, SECONDS) },
];

async function bench(kind: string, databaseUrl?: string): Promise<void> {
  const results: Array<{ size: number; subs: number; route: string; f: Figure }> = [];
  for (const subs of SUBS) {
    for (const size of SIZES) {
      const c = await startChild({ BENCH_CATALOG: String(size), BENCH_SUBSCRIPTIONS: String(subs) }, databaseUrl);
      try {
        for (const r of routes) await r.run(c); // warm up
        for (const r of routes) results.push({ size, subs, route: r.name, f: await r.run(c) });
      } finally {
        await c.stop();
      }
    }
  }
  console.log(`\n${kind}: ${String(SECONDS)} s per route, 50 connections, Node ${process.version}`);
  console.log('| route | subscriptions | plans & addons | req/s | p99 ms | server CPU µs/req | × the smallest catalog | non-2xx |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of routes) {
    for (const subs of SUBS) {
      const rows = results.filter((x) => x.route === r.name && x.subs === subs);
      const base = rows[0]!.f.cpuUs;
      for (const x of rows) {
        console.log(`| ${r.name} | ${String(subs)} | ${String(x.size)} | ${x.f.rps.toFixed(0)} | ${String(x.f.p99)} | ${x.f.cpuUs.toFixed(0)} | ×${(x.f.cpuUs / base).toFixed(2)} | ${String(x.f.errors)} |`);
      }
    }
  }
}

if (process.env.BENCH_SQLITE !== 'false') await bench('SQLite');
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.PAYLIT_TEST_DATABASE_URL;
if (pgUrl) await bench('PostgreSQL', pgUrl);
else console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or PAYLIT_TEST_DATABASE_URL)');
