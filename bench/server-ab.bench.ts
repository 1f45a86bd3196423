/**
 * An A/B of the API routes between two checkouts, for a machine that others share: both servers run at once and
 * are loaded in turn (A, B, then B, A, ...), so a change of the machine's load falls on both alike. Prints, per route,
 * the server's CPU per request (min and median over the rounds: the figure the load moves least), req/s, p99 and the
 * ratio to the same server's bare route. Asserts nothing.
 *   BENCH_BEFORE=/path/to/main/checkout npx tsx bench/server-ab.bench.ts
 * BENCH_AFTER (default: this checkout), BENCH_ROUNDS (default 6), BENCH_SECONDS (default 3), BENCH_ROUTES (parts of
 * the route names), BENCH_DATABASE_URL: PostgreSQL instead of SQLite. Each checkout needs its node_modules.
 */
import { type Child, type Figure, load, startChild } from './load.js';

const before = process.env.BENCH_BEFORE;
if (!before) throw new Error('BENCH_BEFORE: the checkout to compare against (a worktree of main, say)');
const after = process.env.BENCH_AFTER ?? process.cwd();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;

const all: Array<{ name: string; run: (c: Child) => Promise<Figure> }> = [
  { name: 'bare hello-world (Hono)', run: (c) => load(c, c.bare) },
  { name: 'GET /api/v2/plans?limit=10', run: (c) => load(c, `${c.url}/api/v2/plans?limit=10`, c.auth) },
  {
    name: 'POST /api/v2/hosted_pages/checkout_new',
    run: (c) => load(c, `${c.url}/api/v2/hosted_pages/checkout_new`, c.auth, 'subscription[plan_id]=credits-starter&addons[id][0]=credits-500&addons[quantity][0]=2&redirect_url=https%3A%2F%2Fshop.example%2Fthanks'),
  },
  {
    name: 'POST /api/v2/estimates/create_subscription',
    run: (c) => load(c, `${c.url}/api/v2/estimates/create_subscription`, c.auth, 'subscription[plan_id]=hustle-monthly&addons[id][0]=extra-seat&addons[quantity][0]=3&coupon_ids[0]=WELCOME10&billing_address[country]=US&billing_address[state_code]=NY'),
  },
];
const only = process.env.BENCH_ROUTES?.split(',');
const routes = all.filter((r, i) => i === 0 || !only || only.some((o) => r.name.includes(o)));

const sides = [
  { name: 'before', child: await startChild({}, databaseUrl, before) },
  { name: 'after', child: await startChild({}, databaseUrl, after) },
];
const figures = sides.map(() => routes.map(() => [] as Figure[]));
try {
  for (const s of sides) for (const r of routes) await r.run(s.child); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [1, 0] : [0, 1];
    for (const [i, r] of routes.entries()) for (const k of order) figures[k]![i]!.push(await r.run(sides[k]!.child));
  }
} finally {
  for (const s of sides) await s.child.stop();
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
console.log(`\n${databaseUrl ? 'PostgreSQL' : 'SQLite'}: before = ${before}, after = ${after}; ${String(ROUNDS)} interleaved rounds, Node ${process.version}`);
console.log('| route | CPU µs/req before: min / median | after: min / median | req/s before → after (median) | p99 ms before → after | ratio to bare before → after | non-2xx |');
console.log('|---|---|---|---|---|---|---|');
for (const [i, r] of routes.entries()) {
  const [b, a] = [figures[0]![i]!, figures[1]![i]!];
  const cpu = (fs: Figure[]) => `${sorted(fs.map((f) => f.cpuUs))[0]!.toFixed(0)} / ${median(fs.map((f) => f.cpuUs)).toFixed(0)}`;
  const ratio = (k: number) => (median(figures[k]![i]!.map((f) => f.rps)) / median(figures[k]![0]!.map((f) => f.rps))).toFixed(3);
  const errors = [...b, ...a].reduce((n, f) => n + f.errors, 0);
  console.log(`| ${r.name} | ${cpu(b)} | ${cpu(a)} | ${median(b.map((f) => f.rps)).toFixed(0)} → ${median(a.map((f) => f.rps)).toFixed(0)} | ${String(median(b.map((f) => f.p99)))} → ${String(median(a.map((f) => f.p99)))} | ${ratio(0)} → ${ratio(1)} | ${String(errors)} |`);
}
