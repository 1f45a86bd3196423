/**
 * Child process for bench/server.bench.ts and bench/growth.bench.ts: the Paylit backend and a bare Hono hello-world
 * route, in one process on the same framework, so each figure can be read as a ratio to the bare route.
 * `GET /cpu` on the bare server answers this process's CPU time (µs), so a bench can divide it by the requests served.
 *
 * With BENCH_CATALOG=N the demo catalog is replaced by N plans and N addons (`bench-plan-0` takes every addon), and
 * BENCH_SUBSCRIPTIONS=M subscriptions (with their customers) are stored, copies of one made through the API.
 * `GET /cpu` also answers how many statements were sent to PostgreSQL so far.
 * Prints one JSON line with the URLs, the keys and a subscription id, then serves until killed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { parseOrThrow } from '../src/core/errors.js';
import { addonSchema } from '../src/core/schemas/addon.js';
import { planSchema } from '../src/core/schemas/plan.js';
import { parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';
import { Stores } from '../src/server/stores.js';

// Statements sent to PostgreSQL, counted so a bench can print round trips per request (a figure no noise moves).
let statements = 0;
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  statements++;
  return query.apply(this, a);
} as typeof pg.Client.prototype.query;

const catalogSize = process.env.BENCH_CATALOG ? Number(process.env.BENCH_CATALOG) : undefined;
const subscriptions = Number(process.env.BENCH_SUBSCRIPTIONS ?? 0);
const ORIGIN = 'http://shop.bench.localhost';
const env = parseEnv({
  PORT: '0',
  PAYLIT_DATA_DIR: mkdtempSync(join(tmpdir(), 'paylit-bench-')),
  PAYLIT_SEED_DEMO: catalogSize === undefined ? 'true' : 'false',
  PAYLIT_BROWSER_RATE_LIMIT: '100000000',
  PAYLIT_ALLOWED_ORIGINS: ORIGIN,
  PAYLIT_SCHEDULER_INTERVAL: '0s',
  ...(process.env.BENCH_DATABASE_URL && { DATABASE_URL: process.env.BENCH_DATABASE_URL }),
});
const schema = process.env.BENCH_DATABASE_URL ? `bench_${String(process.pid)}` : undefined;
const server = await startServer({ env, log: () => {}, ...(schema && { schema }) });
const auth = { authorization: `Basic ${Buffer.from(`${server.site.api_key}:`).toString('base64')}` };

if (catalogSize !== undefined) {
  // Straight into the stores: the catalog service's checks would make seeding 1,000 items quadratic.
  const stores = new Stores(server.site.id, server.storage.dialect);
  const now = Math.floor(Date.now() / 1000);
  const stamp = (i: number) => ({ created_at: now, updated_at: now, resource_version: now * 1000 + i });
  await server.storage.db.transaction().execute(async (trx) => {
    for (let i = 0; i < catalogSize; i++) {
      await stores.addons.insert(trx, { ...parseOrThrow(addonSchema, { id: `bench-addon-${String(i)}`, name: `Addon ${String(i)}`, type: 'quantity', charge_type: 'recurring', price: 100 + i, period: 1, period_unit: 'month', description: 'A bench addon with a description of ordinary length.' }), ...stamp(i) });
      await stores.plans.insert(trx, { ...parseOrThrow(planSchema, { id: `bench-plan-${String(i)}`, name: `Plan ${String(i)}`, price: 1000 + i, description: 'A bench plan with a description of ordinary length.' }), ...stamp(i) });
    }
  });
}

let subscriptionId: string | undefined;
if (subscriptions > 0) {
  const planId = catalogSize === undefined ? 'grow-monthly' : 'bench-plan-0';
  const r = await fetch(`${server.url}/api/v2/subscriptions`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ plan_id: planId, 'customer[email]': 'bench@example.com' }),
  });
  if (!r.ok) throw new Error(`subscription create: ${String(r.status)} ${await r.text()}`);
  const made = (await r.json()) as { subscription: { id: string; customer_id: string } };
  subscriptionId = made.subscription.id;
  const stores = new Stores(server.site.id, server.storage.dialect);
  const sub = (await stores.subscriptions.get(server.storage.db, made.subscription.id))!;
  const customer = (await stores.customers.get(server.storage.db, made.subscription.customer_id))!;
  for (let start = 1; start < subscriptions; start += 1000) {
    await server.storage.db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(start + 1000, subscriptions); i++) {
        const customerId = `cus_bench_${String(i)}`;
        await stores.customers.insert(trx, { ...customer, id: customerId, email: `bench${String(i)}@example.com` });
        await stores.subscriptions.insert(trx, { ...sub, id: `sub_bench_${String(i)}`, customer_id: customerId });
      }
    });
  }
}

const hello = new Hono()
  .get('/hello', (c) => c.text('hello'))
  .get('/cpu', (c) => {
    const u = process.cpuUsage();
    return c.json({ us: u.user + u.system, statements });
  });
const bare = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: hello.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const port = (bare.address() as { port: number }).port;
const base = `http://127.0.0.1:${String(port)}`;
console.log(JSON.stringify({ url: server.url, bare: `${base}/hello`, cpu: `${base}/cpu`, key: server.site.api_key, publishableKey: server.site.publishable_key, origin: ORIGIN, subscriptionId, schema }));
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
