/**
 * Catalog, checkout and estimate API throughput on loopback, with autocannon (50 connections), on SQLite and, when BENCH_DATABASE_URL
 * (or PAYLIT_TEST_DATABASE_URL) is set, PostgreSQL. The server runs in a child process; this one only loads it.
 * Prints req/s, p50 and p99 per route and the ratio to the bare hello-world route. Asserts nothing.
 *   npm run bench:server
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;

interface Row { route: string; rps: number; p50: number; p99: number; errors: number }

async function load(url: string, headers: Record<string, string> = {}, body?: string): Promise<Omit<Row, 'route'>> {
  const post = body !== undefined ? { method: 'POST' as const, body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } } : { headers };
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...post });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
}

async function bench(kind: 'SQLite' | 'PostgreSQL', databaseUrl?: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve-for-bench.ts'], {
    env: { ...process.env, ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : { BENCH_DATABASE_URL: '' }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const info = JSON.parse(line) as { url: string; bare: string; key: string; schema?: string };
  const auth = { authorization: `Basic ${Buffer.from(`${info.key}:`).toString('base64')}` };
  try {
    await load(info.bare); // warm up both
    await load(`${info.url}/api/v2/plans?limit=10`, auth);
    const rows: Row[] = [
      { route: 'bare hello-world (Hono)', ...(await load(info.bare)) },
      { route: 'GET /api/v2/plans?limit=10', ...(await load(`${info.url}/api/v2/plans?limit=10`, auth)) },
      { route: 'GET /api/v2/addons/credits-500', ...(await load(`${info.url}/api/v2/addons/credits-500`, auth)) },
      {
        route: 'POST /api/v2/hosted_pages/checkout_new',
        ...(await load(`${info.url}/api/v2/hosted_pages/checkout_new`, auth, 'subscription[plan_id]=credits-starter&addons[id][0]=credits-500&addons[quantity][0]=2&redirect_url=https%3A%2F%2Fshop.example%2Fthanks')),
      },
      {
        route: 'POST /api/v2/estimates/create_subscription',
        ...(await load(`${info.url}/api/v2/estimates/create_subscription`, auth, 'subscription[plan_id]=hustle-monthly&addons[id][0]=extra-seat&addons[quantity][0]=3&coupon_ids[0]=WELCOME10&billing_address[country]=US&billing_address[state_code]=NY')),
      },
    ];
    const bare = rows[0]!.rps;
    console.log(`\n${kind}: ${String(CONNECTIONS)} connections, ${String(SECONDS)} s per route, Node ${process.version}`);
    console.log('| route | req/s | ratio to bare | p50 ms | p99 ms | non-2xx/errors |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.route} | ${r.rps.toFixed(0)} | ${(r.rps / bare).toFixed(2)} | ${String(r.p50)} | ${String(r.p99)} | ${String(r.errors)} |`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (databaseUrl && info.schema) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${info.schema} cascade`);
      await c.end();
    }
  }
}

await bench('SQLite');
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.PAYLIT_TEST_DATABASE_URL;
if (pgUrl) await bench('PostgreSQL', pgUrl);
else console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or PAYLIT_TEST_DATABASE_URL)');
