/**
 * `npm start`: the Paylit backend (embedded SQLite, demo catalog seeded) and the demo page, together.
 * Prints the URL to open and the demo site's keys. The backend reads the environment of DESIGN.md
 * ("Running it"); PAYLIT_DEMO_PORT sets the demo page's port.
 */
import { createServer } from 'vite';
import { z } from 'zod';
import { EnvError, parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';

const demoEnv = z
  .object({ PAYLIT_DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(8788), HOST: z.string().default('127.0.0.1') })
  .safeParse(process.env);
if (!demoEnv.success) {
  console.error(`Bad environment: ${demoEnv.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
const { PAYLIT_DEMO_PORT: demoPort, HOST: host } = demoEnv.data;
const demoOrigin = `http://${host}:${String(demoPort)}`;

let backend;
try {
  // The demo page's own origin may call the backend's browser routes.
  const origins = [process.env.PAYLIT_ALLOWED_ORIGINS, demoOrigin].filter(Boolean).join(',');
  backend = await startServer({ env: parseEnv({ ...process.env, PAYLIT_ALLOWED_ORIGINS: origins }), log: () => {} });
} catch (e) {
  console.error(e instanceof EnvError ? e.message : e);
  process.exit(1);
}

const vite = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host, port: demoPort, strictPort: true },
  logLevel: 'warn',
});
await vite.listen();

console.log(`
  Paylit demo      ${demoOrigin}/demo/      <- open this
  backend          ${backend.url}  (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}${backend.seeded ? ', demo catalog seeded' : ''})
  site             ${backend.site.id}
  publishable key  ${backend.site.publishable_key}
  secret key       ${backend.site.api_key}   (server side only)
`);

const stop = () => {
  void Promise.all([vite.close(), backend.close()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
