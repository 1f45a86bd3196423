// The README's paylit/server example, type-checked by `npm test` (tsc, and against the packed package): keep the two in step.
import { EnvError, MissingDriverError, parseEnv, startServer } from 'paylit/server';

try {
  // The variables `npx paylit-server` reads, with defaults of the host program's own under them.
  const env = parseEnv({ PAYLIT_DATA_DIR: './var/paylit', PAYLIT_SEED_DEMO: 'false', ...process.env });
  const paylit = await startServer({ env, log: (line) => console.log(`[paylit] ${line}`) });
  console.log(`Paylit on ${paylit.url}: site ${paylit.site.id}, publishable key ${paylit.site.publishable_key}`);
  const stop = () => void paylit.close().then(() => process.exit(0)); // finishes requests, webhooks and jobs in flight
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  // A bad variable (named in the message), or no driver for the database (`npm install better-sqlite3`, or `pg`).
  if (!(e instanceof EnvError || e instanceof MissingDriverError)) throw e;
  console.error(e.message);
  process.exit(1);
}
