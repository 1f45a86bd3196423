#!/usr/bin/env node
/**
 * `paylit-server` (`npx paylit-server`): the backend from the installed package, exactly as `npm run server` runs it
 * in the repository: configured by the environment (README, "Environment"), on the embedded SQLite database unless
 * DATABASE_URL names a PostgreSQL one. Prints its URL, site and keys; SIGTERM and Ctrl+C stop it cleanly.
 */
import { readFileSync } from 'node:fs';
import { MissingDriverError } from './db/index.js';
import { envVariables } from './env.js';

const arg = process.argv[2];
if (arg === '--version' || arg === '-v') {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  console.log(pkg.version);
} else if (arg !== undefined) {
  if (arg !== '--help' && arg !== '-h') console.error(`paylit-server: unknown argument ${arg}\n`);
  // Every variable of the schema with its default and meaning, from the schema itself (env.ts), so they cannot drift.
  const vars = envVariables().filter((v) => !v.name.startsWith('PAYLIT_TEST_'));
  const width = Math.max(...vars.map((v) => v.name.length)) + 2;
  console.log(
    [
      'Usage: paylit-server [--help | --version]',
      '',
      'Starts the Paylit backend: the Chargebee-compatible API under /api/v2, the hosted checkout and portal pages, and',
      'the script tag at /paylit.js. Data stays in PAYLIT_DATA_DIR (default .paylit/) or in the PostgreSQL database at',
      'DATABASE_URL. SQLite needs the better-sqlite3 package beside paylit, PostgreSQL the pg package.',
      '',
      'Options:',
      `  ${'-h, --help'.padEnd(width)}this help`,
      `  ${'-v, --version'.padEnd(width)}the package's version`,
      '',
      'Configured by environment variables (a bad value stops it, naming the variable; README, "Environment"):',
      ...vars.map((v) => `  ${v.name.padEnd(width)}${v.meaning} [default: ${v.default}]`),
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
