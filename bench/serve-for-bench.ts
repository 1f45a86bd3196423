/**
 * Child process for bench/server.bench.ts: the Paylit backend and a bare Hono hello-world route, in one process
 * on the same framework, so each catalog figure can be read as a ratio to the bare route.
 * Prints one JSON line with the URLs and the secret key, then serves until killed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';

const env = parseEnv({
  PORT: '0',
  PAYLIT_DATA_DIR: mkdtempSync(join(tmpdir(), 'paylit-bench-')),
  PAYLIT_SEED_DEMO: 'true',
  PAYLIT_BROWSER_RATE_LIMIT: '100000000',
  ...(process.env.BENCH_DATABASE_URL && { DATABASE_URL: process.env.BENCH_DATABASE_URL }),
});
const schema = process.env.BENCH_DATABASE_URL ? `bench_${String(process.pid)}` : undefined;
const server = await startServer({ env, log: () => {}, ...(schema && { schema }) });
const hello = new Hono().get('/hello', (c) => c.text('hello'));
const bare = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: hello.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const port = (bare.address() as { port: number }).port;
console.log(JSON.stringify({ url: server.url, bare: `http://127.0.0.1:${String(port)}/hello`, key: server.site.api_key, schema }));
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
