/**
 * A fixed number of requests to one API route through the real HTTP server, from raw sockets in the same process, for
 * instruction counts that a loaded machine does not move (timings here swing 2-5x with other sessions' work):
 *   npx esbuild bench/server-count.ts --bundle --platform=node --format=esm --packages=external --outfile=node_modules/.cache/count.mjs
 *   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p node --single-threaded node_modules/.cache/count.mjs checkout_new 3000 2000
 * argv: route (checkout_new | estimate | plans | bare: a hello-world Hono route beside it, the benches' anchor),
 * warm-up requests, counted requests (0: only start and warm up), so (Ir of a run with N) − (Ir of a run with 0),
 * divided by N, is the instructions per request. Under valgrind V8 compiles late, so the count still carries some of
 * its optimizing compiler (the longer the warm-up, the less). SQLite (a temporary data dir), or PostgreSQL with
 * BENCH_DATABASE_URL (that server's own work is not counted). 50 connections, as the benches. Without valgrind it
 * prints the process's CPU µs per counted request too (the client's share included).
 */
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';

const [route = 'checkout_new', warm = '2000', counted = '2000'] = process.argv.slice(2);
const bodies: Record<string, [string, string | undefined]> = {
  checkout_new: ['/api/v2/hosted_pages/checkout_new', 'subscription[plan_id]=credits-starter&addons[id][0]=credits-500&addons[quantity][0]=2&redirect_url=https%3A%2F%2Fshop.example%2Fthanks'],
  plans: ['/api/v2/plans?limit=10', undefined],
  bare: ['/hello', undefined],
  estimate: ['/api/v2/estimates/create_subscription', 'subscription[plan_id]=hustle-monthly&addons[id][0]=extra-seat&addons[quantity][0]=3&coupon_ids[0]=WELCOME10&billing_address[country]=US&billing_address[state_code]=NY'],
};
const [path, body] = bodies[route]!;
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const env = parseEnv({
  PORT: '0',
  PAYLIT_DATA_DIR: mkdtempSync(join(tmpdir(), 'paylit-count-')),
  PAYLIT_SEED_DEMO: 'true',
  PAYLIT_SCHEDULER_INTERVAL: '0s',
  ...(databaseUrl && { DATABASE_URL: databaseUrl }),
});
const schema = databaseUrl ? `count_${String(process.pid)}` : undefined;
const server = await startServer({ env, log: () => {}, ...(schema && { schema }) });
const bare = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: new Hono().get('/hello', (c) => c.text('hello')).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const port = route === 'bare' ? (bare.address() as { port: number }).port : server.port;
const auth = `Basic ${Buffer.from(`${server.site.api_key}:`).toString('base64')}`;
const head = `${body ? 'POST' : 'GET'} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${auth}\r\n`;
const request = Buffer.from(body ? `${head}content-type: application/x-www-form-urlencoded\r\ncontent-length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}` : `${head}\r\n`);

/** `n` requests over 50 keep-alive connections, each sending its next request when the answer before has arrived. */
async function run(n: number): Promise<void> {
  let left = n;
  const one = (s: Socket) =>
    new Promise<void>((resolve, reject) => {
      let buf = '';
      const next = () => {
        if (left <= 0) return resolve();
        left--;
        s.write(request);
      };
      s.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const m = /content-length: (\d+)/i.exec(buf.slice(0, end));
          const status = buf.slice(9, 12);
          if (!m) return reject(new Error(`no content-length: ${buf.slice(0, 200)}`));
          const total = end + 4 + Number(m[1]);
          if (buf.length < total) return;
          if (status !== '200') return reject(new Error(buf.slice(0, total)));
          buf = buf.slice(total);
          next();
        }
      });
      s.on('error', reject);
      next();
    });
  const sockets = await Promise.all(Array.from({ length: 50 }, () => new Promise<Socket>((r) => { const s = connect(port, '127.0.0.1', () => r(s)); })));
  await Promise.all(sockets.map(one));
  for (const s of sockets) s.destroy();
}

await run(Number(warm));
const c0 = process.cpuUsage();
const t0 = performance.now();
await run(Number(counted));
const c = process.cpuUsage(c0);
const n = Math.max(1, Number(counted));
console.log(`${route}: ${counted} requests, CPU ${((c.user + c.system) / n).toFixed(1)} µs/req (user ${(c.user / n).toFixed(1)}), ${((performance.now() - t0) * 1000 / n).toFixed(1)} µs/req wall`);
bare.close();
await server.close();
if (schema) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}
