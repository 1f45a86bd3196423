/** `npm run server`: the backend alone, configured by the environment (DESIGN.md, "Running it"). */
import { EnvError, parseEnv } from './env.js';
import { startServer } from './server.js';

try {
  const env = parseEnv(process.env);
  const server = await startServer({ env });
  // Before anything is printed: whoever waits for the URL may send a signal the moment it reads it.
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const db = env.DATABASE_URL ? 'PostgreSQL' : `SQLite in ${env.PAYLIT_DATA_DIR}`;
  console.log(`Paylit backend on ${server.url} (${db})${server.seeded ? ', demo catalog seeded' : ''}`);
  console.log(`  site            ${server.site.id}`);
  console.log(`  publishable key ${server.site.publishable_key}`);
  console.log(`  secret key      ${server.site.api_key}   (for your server only: never put it in a page)`);
  console.log(`  allowed origins ${env.PAYLIT_ALLOWED_ORIGINS.join(' ') || "none but the backend's own (PAYLIT_ALLOWED_ORIGINS)"}`);
} catch (e) {
  if (e instanceof EnvError) {
    console.error(e.message);
    process.exit(1);
  }
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`PORT ${process.env.PORT ?? '8787'} is already in use; set PORT to a free port.`);
    process.exit(1);
  }
  throw e;
}
