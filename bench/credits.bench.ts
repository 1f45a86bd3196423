/**
 * The demo's "Use credits" endpoint (`POST /api/use`, demo/merchant.ts) under 200 concurrent debits against a balance
 * that covers exactly half of them, over HTTP, on SQLite and, when BENCH_DATABASE_URL (or PAYLIT_TEST_DATABASE_URL)
 * is set, PostgreSQL. Prints how many succeeded, the final balance, the lowest balance any entry recorded, the
 * throughput and p50/p99; exits non-zero if the ledger overdrew or the counts are wrong.
 *   npm run bench:credits
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { createMerchant } from '../demo/merchant.js';

const DEBITS = 200;
const COST = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.PAYLIT_TEST_DATABASE_URL;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function run(kind: 'SQLite' | 'PostgreSQL'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-credits-bench-'));
  const merchant = await createMerchant({
    // /api/use never calls the billing API: the backend is not needed for this measurement.
    backendUrl: 'http://127.0.0.1:9',
    site: 'bench',
    apiKey: 'bench_sk_secret_key_000000001',
    publishableKey: 'bench_pk_publishable_key_0001',
    origin: 'http://127.0.0.1',
    dataDir: dir,
    ...(kind === 'PostgreSQL' && { databaseUrl: pgUrl, schema: `credits_bench_${String(Date.now())}` }),
    webhook: { username: 'paylit', password: 'bench', secret: 'whsec_bench_secret_0000001' },
    lowBalance: 50,
    cost: COST,
  });
  const server = createServer(getRequestListener(merchant.app.fetch));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/api/use`;
  const rates: number[] = [];
  const latencies: number[] = [];
  let line = '';
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const user = `cus_ink_${(round + 1).toString(16).padStart(16, '0')}`;
      await merchant.ledger.grant(user, (DEBITS / 2) * COST, { reference: 'bench-grant' });
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from({ length: DEBITS }, async (_, i) => {
          const start = performance.now();
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: `inkwell_user=${user}`, 'idempotency-key': `bench-${String(round)}-${String(i)}` },
            body: JSON.stringify({ prompt: 'Bench' }),
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - start);
          return res.status;
        }),
      );
      const ms = performance.now() - t0;
      rates.push((DEBITS / ms) * 1000);
      const ok = results.filter((s) => s === 200).length;
      const refused = results.filter((s) => s === 402).length;
      const balance = await merchant.ledger.balance(user);
      const lowest = Math.min(...(await merchant.ledger.history(user, { limit: 1000 })).map((e) => e.balanceAfter));
      if (ok !== DEBITS / 2 || refused !== DEBITS / 2 || balance !== 0 || lowest < 0) {
        throw new Error(`${kind} round ${String(round)}: ${String(ok)} succeeded, ${String(refused)} refused, balance ${String(balance)}, lowest ${String(lowest)}`);
      }
      line = `${String(ok)} / ${String(DEBITS)} succeeded, ${String(refused)} refused with 402, balance ends at ${String(balance)}, lowest entry ${String(lowest)}`;
    }
  } finally {
    server.close();
    await merchant.close();
    rmSync(dir, { recursive: true, force: true });
    if (kind === 'PostgreSQL') {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      const { rows } = await c.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 'credits_bench_%'");
      for (const r of rows) await c.query(`drop schema ${r.nspname} cascade`);
      await c.end();
    }
  }
  const median = pct(rates, 50);
  return `| ${kind} | ${line} | ${median.toFixed(0)} debits/s (${pct(rates, 0).toFixed(0)}–${pct(rates, 100).toFixed(0)}) | ${pct(latencies, 50).toFixed(1)} ms | ${pct(latencies, 99).toFixed(1)} ms |`;
}

const rows = [await run('SQLite')];
if (pgUrl) rows.push(await run('PostgreSQL'));
else console.warn('BENCH_DATABASE_URL / PAYLIT_TEST_DATABASE_URL not set: SQLite only.');
console.log(`\n${String(DEBITS)} concurrent POST /api/use of ${String(COST)} credits against ${String((DEBITS / 2) * COST)} credits, ${String(ROUNDS)} rounds (median throughput of the rounds, min–max; latency over all requests)\n`);
console.log('| database | outcome (every round) | throughput | p50 | p99 |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
