#!/usr/bin/env node
/**
 * `paylit-server` (`npx paylit-server`): the backend from the installed package, exactly as `npm run server` runs it
 * in the repository: configured by the environment (README, "Environment"), on the embedded SQLite database unless
 * DATABASE_URL names a PostgreSQL one. Prints its URL, site and keys; SIGTERM and Ctrl+C stop it cleanly.
 */
import { readFileSync } from 'node:fs';
import { MissingDriverError } from './db/index.js';
import { envSchema } from './env.js';

const arg = process.argv[2];
if (arg === '--version' || arg === '-v') {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  console.log(pkg.version);
} else if (arg !== undefined) {
  if (arg !== '--help' && arg !== '-h') console.error(`paylit-server: unknown argument ${arg}\n`);
  const names = Object.keys(envSchema.shape).filter((n) => !n.startsWith('PAYLIT_TEST_'));
  console.log(
    [
      'Usage: paylit-server',
      '',
      'Starts the Paylit backend: the Chargebee-compatible API under /api/v2, the hosted checkout and portal pages, and',
      'the script tag at /paylit.js. Data stays in PAYLIT_DATA_DIR (default .paylit/) or in the PostgreSQL database at',
      'DATABASE_URL. SQLite needs the better-sqlite3 package beside paylit, PostgreSQL the pg package.',
      '',
      'Configured only by environment variables (see the README, "Environment"):',
      ...names.map((n) => `  ${n}`),
    ].join('\n'),
  );
  process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
} else {
  try {
    await import('./main.js');
  } catch (e) {
    if (!(e instanceof MissingDriverError)) throw e;
    console.error(`paylit-server: ${e.message}`);
    process.exit(1);
  }
}
