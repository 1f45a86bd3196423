/**
 * `npm start`: builds the browser files when they are missing or older than the sources, starts the Paylit backend
 * (embedded SQLite, demo catalog seeded) and Inkwell, the demo merchant site with its own merchant server, and
 * prints the one URL to open. The backend reads the environment of DESIGN.md ("Running it"); the demo's own
 * variables are below and in the README ("The demo").
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createServer as createVite } from 'vite';
import { z } from 'zod';
import { EnvError, parseEnv } from '../src/server/env.js';
import { type RunningServer, startServer } from '../src/server/server.js';
import { createMerchant } from './merchant.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const demoEnvSchema = z.object({
  /** The demo site's port. */
  PAYLIT_DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The ledger's PostgreSQL; without it, SQLite in $PAYLIT_DATA_DIR/merchant. */
  PAYLIT_DEMO_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** Talk to this backend instead of starting one (it needs PAYLIT_SITE, PAYLIT_API_KEY, PAYLIT_PUBLISHABLE_KEY). */
  PAYLIT_DEMO_BACKEND_URL: z.url().optional(),
  PAYLIT_DEMO_LOW_BALANCE: z.coerce.number().int().min(0).default(50),
  PAYLIT_DEMO_COST: z.coerce.number().int().min(1).default(30),
  PAYLIT_DATA_DIR: z.string().min(1).default('.paylit'),
  PAYLIT_WEBHOOK_USERNAME: z.string().min(1).optional(),
  PAYLIT_WEBHOOK_PASSWORD: z.string().min(1).optional(),
  PAYLIT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Skip the build check (CI and tests build first). */
  PAYLIT_DEMO_SKIP_BUILD: z.enum(['1', '0', 'true', 'false']).optional(),
});

const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''));
const parsed = demoEnvSchema.safeParse(cleaned);
if (!parsed.success) {
  console.error(`Bad environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(1);
}
const env = parsed.data;

/** The newest modification time under a directory. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (env.PAYLIT_DEMO_SKIP_BUILD !== '1' && env.PAYLIT_DEMO_SKIP_BUILD !== 'true') {
  const marker = join(root, 'dist/hosted/checkout.js');
  if (!existsSync(marker) || !existsSync(join(root, 'dist/paylit.js')) || statSync(marker).mtimeMs < newest(join(root, 'src'))) {
    console.log('Building the browser files (the script tag, the hosted pages)...');
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const host = env.HOST;
const hostPart = host.includes(':') ? `[${host}]` : host;
const secret = (n: number) => randomBytes(n).toString('hex');
// Webhook credentials: the operator's, or fresh ones for this run (the backend signs each attempt when it sends it).
const webhook = {
  username: env.PAYLIT_WEBHOOK_USERNAME ?? 'paylit',
  password: env.PAYLIT_WEBHOOK_PASSWORD ?? secret(16),
  secret: env.PAYLIT_WEBHOOK_SECRET ?? `whsec_${secret(24)}`,
};

// Listening first gives the port (PAYLIT_DEMO_PORT=0 picks one) that the backend's allowed origins need; until the
// pages are ready a request gets a 503 at once rather than no answer (a poller without a timeout would wait forever).
let ready: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
const http = createHttpServer((req, res) => {
  if (ready) ready(req, res);
  else res.writeHead(503, { 'retry-after': '1' }).end('Starting');
});
const inUse = (e: unknown, name: string, port: number | string) => {
  if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') return false;
  console.error(`Port ${String(port)} is already in use; set ${name} to a free port (for example ${name}=${String(Number(port) + 100)} npm start).`);
  return true;
};
await new Promise<void>((resolve, reject) => {
  http.once('error', reject);
  http.listen(env.PAYLIT_DEMO_PORT, host, resolve);
}).catch((e: unknown) => {
  if (inUse(e, 'PAYLIT_DEMO_PORT', env.PAYLIT_DEMO_PORT)) process.exit(1);
  throw e;
});
const demoPort = (http.address() as { port: number }).port;
const demoOrigin = `http://${hostPart}:${String(demoPort)}`;
const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host);
const demoOrigins = loopback ? [`http://127.0.0.1:${String(demoPort)}`, `http://localhost:${String(demoPort)}`] : [demoOrigin];

let backend: RunningServer | undefined;
let conn: { url: string; site: string; apiKey: string; publishableKey: string };
let allowedOrigins = '';
try {
  if (env.PAYLIT_DEMO_BACKEND_URL) {
    const b = z
      .object({ PAYLIT_SITE: z.string().min(1).default('paylit-demo'), PAYLIT_API_KEY: z.string().min(16), PAYLIT_PUBLISHABLE_KEY: z.string().min(16) })
      .parse(cleaned);
    conn = { url: env.PAYLIT_DEMO_BACKEND_URL.replace(/\/$/, ''), site: b.PAYLIT_SITE, apiKey: b.PAYLIT_API_KEY, publishableKey: b.PAYLIT_PUBLISHABLE_KEY };
  } else {
    allowedOrigins = [process.env.PAYLIT_ALLOWED_ORIGINS, ...demoOrigins].filter(Boolean).join(',');
    backend = await startServer({
      env: parseEnv({
        ...process.env,
        PAYLIT_ALLOWED_ORIGINS: allowedOrigins,
        // Whom Inkwell's customers pay, at the top of the checkout and the portal.
        PAYLIT_SITE_NAME: process.env.PAYLIT_SITE_NAME ?? 'Inkwell',
        PAYLIT_WEBHOOK_URL: process.env.PAYLIT_WEBHOOK_URL ?? `${demoOrigin}/webhooks/paylit`,
        PAYLIT_WEBHOOK_USERNAME: webhook.username,
        PAYLIT_WEBHOOK_PASSWORD: webhook.password,
        PAYLIT_WEBHOOK_SECRET: webhook.secret,
      }),
      log: () => {},
    });
    conn = { url: backend.url, site: backend.site.id, apiKey: backend.site.api_key, publishableKey: backend.site.publishable_key };
  }
} catch (e) {
  if (inUse(e, 'PORT', process.env.PORT ?? 8787)) process.exit(1);
  console.error(e instanceof EnvError ? e.message : e instanceof z.ZodError ? `Bad environment: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` : e);
  process.exit(1);
}

const merchant = await createMerchant({
  backendUrl: conn.url,
  site: conn.site,
  apiKey: conn.apiKey,
  publishableKey: conn.publishableKey,
  origin: demoOrigin,
  databaseUrl: env.PAYLIT_DEMO_DATABASE_URL,
  dataDir: join(env.PAYLIT_DATA_DIR, 'merchant'),
  webhook,
  lowBalance: env.PAYLIT_DEMO_LOW_BALANCE,
  cost: env.PAYLIT_DEMO_COST,
});

// The pages' scripts come from Vite (TypeScript, the elements from source) with Lit's production build, as a shop
// would ship it (no dev-mode warning); the pages themselves as they are (no dev client); the merchant's API from Hono.
const vite = await createVite({
  configFile: join(root, 'vite.config.ts'),
  server: { middlewareMode: true, hmr: false, ws: false },
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': '"production"' },
  appType: 'custom',
  logLevel: 'warn',
});
const api = getRequestListener(merchant.app.fetch);
ready = (req, res) => {
  const url = req.url ?? '/';
  if (url === '/' || url.startsWith('/?')) {
    res.writeHead(302, { location: `/demo/${url.slice(1)}` }).end();
    return;
  }
  if (url.startsWith('/api/') || url.startsWith('/webhooks/')) {
    void api(req, res);
    return;
  }
  const page = /^\/demo\/(index\.html|preview\.html)?(\?.*)?$/.exec(url);
  if (page) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(readFileSync(join(root, 'demo', page[1] ?? 'index.html')));
    return;
  }
  vite.middlewares(req, res, () => res.writeHead(404).end('Not found'));
};

// Ctrl+C works from the moment the banner says so.
const stop = () => {
  http.close();
  void Promise.all([vite.close(), merchant.close(), backend?.close()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

console.log(`
  Inkwell, the Paylit demo, is running. Open:  ${demoOrigin}/

  Paylit backend:   ${conn.url} (${backend ? (process.env.DATABASE_URL ? 'PostgreSQL' : `SQLite in ${env.PAYLIT_DATA_DIR}/`) : 'external'})
  Site:             ${conn.site}
  Publishable key:  ${conn.publishableKey}  (browsers; safe to show)
  Secret key:       ${backend ? `${conn.apiKey}  (servers only, never a page: demo/merchant.ts and the chargebee SDK use it)` : 'the one of the backend you started (PAYLIT_DEMO_BACKEND_URL)'}
  Allowed origins:  ${backend ? `${allowedOrigins.split(',').map((o) => o.trim()).filter(Boolean).join(' ')}  (the pages that may show the checkout; add yours with PAYLIT_ALLOWED_ORIGINS)` : 'as PAYLIT_ALLOWED_ORIGINS says where that backend runs'}
  Test card 4111 1111 1111 1111 (or 4242 4242 4242 4242), any future expiry, any 3-digit CVC.
  ${backend ? 'Ctrl+C stops both, the demo shop and the backend.' : `Ctrl+C stops the demo shop; the backend at ${conn.url} is yours and keeps running.`}
`);
