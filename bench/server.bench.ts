/**
 * Catalog, checkout and estimate API throughput on loopback, with autocannon (50 connections), on SQLite and, when
 * BENCH_DATABASE_URL (or PAYLIT_TEST_DATABASE_URL) is set, PostgreSQL. The server runs in a child process; this one
 * only loads it. Each route is loaded BENCH_ROUNDS times (default 3), interleaved with the bare route, and printed as
 * the median (min–max) of req/s, of its ratio to the bare route in the same round, of p99 and of the server's CPU
 * time per request. Asserts nothing.
 *   npm run bench:server
 * BENCH_ROUTES picks routes by part of their name; BENCH_CPU_PROF=dir profiles the server child (bench/load.ts).
 */
import { type Child, CONNECTIONS, type Figure, load, SECONDS, spread, startChild } from './load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const all: Array<{ name: string; run: (c: Child) => Promise<Figure> }> = [
  { name: 'GET /api/v2/plans?limit=10', run: (c) => load(c, `${c.url}/api/v2/plans?limit=10`, c.auth) },
  { name: 'GET /api/v2/addons/credits-500', run: (c) => load(c, `${c.url}/api/v2/addons/credits-500`, c.auth) },
  {
    name: 'POST /api/v2/hosted_pages/checkout_new',
    run: (c) => load(c, `${c.url}/api/v2/hosted_pages/checkout_new`, c.auth, 'subscription[plan_id]=credits-starter&addons[id][0]=credits-500&addons[quantity][0]=2&redirect_url=https%3A%2F%2Fshop.example%2Fthanks'),
  },
  {
    name: 'POST /api/v2/estimates/create_subscription',
    run: (c) => load(c, `${c.url}/api/v2/estimates/create_subscription`, c.auth, 'subscription[plan_id]=hustle-monthly&addons[id][0]=extra-seat&addons[quantity][0]=3&coupon_ids[0]=WELCOME10&billing_address[country]=US&billing_address[state_code]=NY'),
  },
];
// BENCH_ROUTES=checkout_new,plans: only the routes whose name contains one of these.
const only = process.env.BENCH_ROUTES?.split(',');
const routes = only ? all.filter((r) => only.some((o) => r.name.includes(o))) : all;

async function bench(kind: 'SQLite' | 'PostgreSQL', databaseUrl?: string): Promise<void> {
  const c = await startChild({}, databaseUrl);
  try {
    await load(c, c.bare, {}, undefined, 2); // warm up
    for (const r of routes) await r.run(c);
    const bare: Figure[] = [];
    const rows = routes.map(() => [] as Array<Figure & { ratio: number }>);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, r] of routes.entries()) {
        const b = await load(c, c.bare);
        bare.push(b);
        const f = await r.run(c);
        rows[i]!.push({ ...f, ratio: f.rps / b.rps });
      }
    }
    console.log(`\n${kind}: ${String(CONNECTIONS)} connections, ${String(SECONDS)} s per load, ${String(ROUNDS)} rounds, Node ${process.version}; median (min–max)`);
    console.log('| route | req/s | ratio to bare | p99 ms | server CPU µs/req | SQL statements/req | non-2xx |');
    console.log('|---|---|---|---|---|---|---|');
    const line = (name: string, fs: Array<Figure & { ratio?: number }>) =>
      console.log(`| ${name} | ${spread(fs.map((f) => f.rps))} | ${fs[0]!.ratio === undefined ? '1.00' : spread(fs.map((f) => f.ratio!), 3)} | ${spread(fs.map((f) => f.p99))} | ${spread(fs.map((f) => f.cpuUs))} | ${spread(fs.map((f) => f.statements), 2)} | ${String(fs.reduce((n, f) => n + f.errors, 0))} |`);
    line('bare hello-world (Hono)', bare);
    for (const [i, r] of routes.entries()) line(r.name, rows[i]!);
  } finally {
    await c.stop();
  }
}

if (process.env.BENCH_SQLITE !== 'false') await bench('SQLite');
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.PAYLIT_TEST_DATABASE_URL;
if (pgUrl) await bench('PostgreSQL', pgUrl);
else console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or PAYLIT_TEST_DATABASE_URL)');
