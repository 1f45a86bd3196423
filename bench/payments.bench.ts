/**
 * Webhook deliveries per second to a local receiver, and checkout submits per second with the test gateway, with
 * p50 and p99 of each, on SQLite and, when BENCH_DATABASE_URL (or PAYLIT_TEST_DATABASE_URL) is set, PostgreSQL.
 * The backend runs in this process (its deliverer is what is measured); the receiver is a bare node:http server.
 * Asserts nothing; prints a table for bench/RESULTS.md.
 *   npm run bench:payments
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseEnv } from '../src/server/env.js';
import { ENV_ENDPOINT_ID } from '../src/server/events/endpoints.js';
import { Outbox } from '../src/server/events/outbox.js';
import { startServer } from '../src/server/server.js';
import { systemClock } from '../src/server/clock.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 400);
const CONCURRENCY = 16;
const KEY = 'bench_sk_secret_key_000000001';
const PK = 'bench_pk_publishable_key_0001';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function bench(kind: 'SQLite' | 'PostgreSQL', databaseUrl?: string): Promise<string[]> {
  // The receiver: answers 200 at once and notes when each event arrived.
  const arrived = new Map<string, number>();
  const rx = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      arrived.set((JSON.parse(body) as { id: string }).id, performance.now());
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
  const rxUrl = `http://127.0.0.1:${String((rx.address() as AddressInfo).port)}/hooks`;
  const dir = mkdtempSync(join(tmpdir(), 'paylit-bench-'));
  const schema = `bench_${String(Date.now())}`;
  const env = parseEnv({
    PORT: '0',
    PAYLIT_DATA_DIR: dir,
    PAYLIT_API_KEY: KEY,
    PAYLIT_PUBLISHABLE_KEY: PK,
    PAYLIT_SCHEDULER_INTERVAL: '0s',
    PAYLIT_BROWSER_RATE_LIMIT: '1000000',
    PAYLIT_WEBHOOK_URL: rxUrl,
    PAYLIT_WEBHOOK_POLL: '100ms',
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  });
  const server = await startServer({ env, log: () => {}, ...(databaseUrl && { schema }) });
  const rows: string[] = [];
  try {
    // ---- webhook deliveries: events written through the outbox (100 per transaction), then delivered.
    const outbox = new Outbox({ siteId: server.site.id, dialect: server.storage.dialect, clock: systemClock, envEndpoint: { id: ENV_ENDPOINT_ID, url: rxUrl } });
    const written = new Map<string, number>();
    const start = performance.now();
    for (let i = 0; i < EVENTS; i += 100) {
      const ids = await server.storage.db.transaction().execute(async (trx) => {
        const out: string[] = [];
        for (let j = i; j < Math.min(EVENTS, i + 100); j++) out.push((await outbox.emit(trx, 'customer_changed', { customer: { id: `cus_${String(j)}` } })).id);
        return out;
      });
      const at = performance.now();
      for (const id of ids) written.set(id, at);
      server.deliverer.kick();
    }
    while (arrived.size < EVENTS) await new Promise((r) => setTimeout(r, 20));
    const seconds = (Math.max(...arrived.values()) - start) / 1000;
    const latency = [...written].map(([id, at]) => arrived.get(id)! - at);
    rows.push(`| ${kind} | webhook deliveries (${String(EVENTS)} events, 1 endpoint) | ${(EVENTS / seconds).toFixed(0)}/s | ${pct(latency, 50).toFixed(0)} | ${pct(latency, 99).toFixed(0)} |`);

    // ---- checkout submits: pages and card tokens made first, then submitted CONCURRENCY at a time.
    const auth = { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' };
    const pages: Array<{ id: string; token: string; card: string }> = [];
    for (let i = 0; i < SUBMITS; i++) {
      const res = await fetch(`${server.url}/api/v2/hosted_pages/checkout_new`, {
        method: 'POST',
        headers: auth,
        body: `subscription[plan_id]=credits-starter&addons[id][0]=credits-500&addons[quantity][0]=2&customer[email]=bench${String(i)}%40example.com`,
      });
      const { hosted_page } = (await res.json()) as { hosted_page: { id: string; url: string } };
      const card = (await (
        await fetch(`${server.url}/api/browser/v2/card_tokens`, {
          method: 'POST',
          headers: { 'x-paylit-publishable-key': PK, 'content-type': 'application/json' },
          body: JSON.stringify({ number: '4111111111111111', expiry_month: 12, expiry_year: 2030, cvc: '123' }),
        })
      ).json()) as { card_token: { id: string } };
      pages.push({ id: hosted_page.id, token: new URL(hosted_page.url).hash.slice(7), card: card.card_token.id });
    }
    const times: number[] = [];
    let failed = 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < pages.length) {
          const p = pages[next++]!;
          const s = performance.now();
          const res = await fetch(`${server.url}/api/browser/v2/hosted_pages/${p.id}/submit`, {
            method: 'POST',
            headers: { 'x-paylit-hosted-page-token': p.token, 'content-type': 'application/json', 'chargebee-idempotency-key': `bench-${p.id}` },
            body: JSON.stringify({ card_token: p.card }),
          });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
          times.push(performance.now() - s);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    rows.push(`| ${kind} | checkout submits with the test gateway (${String(CONCURRENCY)} at once, ${String(SUBMITS)} in all${failed ? `, ${String(failed)} failed` : ''}) | ${(SUBMITS / secs).toFixed(0)}/s | ${pct(times, 50).toFixed(0)} | ${pct(times, 99).toFixed(0)} |`);
  } finally {
    await server.close();
    rx.closeAllConnections();
    await new Promise((r) => rx.close(r));
    rmSync(dir, { recursive: true, force: true });
    if (databaseUrl) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  }
  return rows;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.PAYLIT_TEST_DATABASE_URL;
const rows = [...(await bench('SQLite')), ...(pgUrl ? await bench('PostgreSQL', pgUrl) : [])];
console.log(`\nNode ${process.version}; latency: webhook = event committed -> received; submit = request -> response`);
console.log('| database | what | throughput | p50 ms | p99 ms |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
