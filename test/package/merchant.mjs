// Plain Node, in a project with the drivers installed: importing `paylit/merchant` and verifying a webhook loads no
// native module (every process.dlopen is recorded); the credit ledger then loads its driver by dialect, from where
// the package is installed. PAYLIT_TEST_DATABASE_URL, when set, runs the ledger on PostgreSQL too.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const loaded = [];
const dlopen = process.dlopen;
process.dlopen = (module, file, ...rest) => {
  loaded.push(file);
  return dlopen(module, file, ...rest);
};
const require = createRequire(import.meta.url);
const inCache = (name) => Object.keys(require.cache).some((p) => p.includes(`/node_modules/${name}/`));

const { CreditLedger, signatureHeader, SIGNATURE_HEADER, verifyWebhook } = await import('paylit/merchant');
const secret = 'whsec_package_check_0123456789';
const now = Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'ev_pkg_1', occurred_at: now, event_type: 'payment_succeeded', content: {} });
assert.equal(verifyWebhook({ body, headers: { [SIGNATURE_HEADER]: signatureHeader(secret, now, body) }, secret }).id, 'ev_pkg_1');
assert.deepEqual(loaded, [], 'no native module loaded by importing paylit/merchant and verifying');
assert.ok(!inCache('better-sqlite3') && !inCache('pg'), 'no driver loaded yet');
console.log('  paylit/merchant imported and a webhook verified: no native module, no driver loaded');

async function useLedger(options, label) {
  const ledger = await CreditLedger.open({ creditsPerPack: () => 100, ...options });
  await ledger.grant('cus_pkg', 250, { reference: 'welcome' });
  const m = await ledger.debit('cus_pkg', 30, { reference: 'use-1' });
  assert.equal(m.balance, 220);
  await ledger.close();
  console.log(`  CreditLedger on ${label}: granted 250, debited 30, balance 220`);
}
await useLedger({ dataDir: mkdtempSync(join(process.cwd(), 'ledger-')) }, 'SQLite'); // inside the check's temporary folder
assert.ok(loaded.some((f) => f.endsWith('better_sqlite3.node')), 'better-sqlite3 loaded once SQLite opened');

const url = process.env.PAYLIT_TEST_DATABASE_URL;
if (url) {
  const schema = `pkgcheck_${String(process.pid)}_${String(Date.now())}`;
  try {
    await useLedger({ databaseUrl: url, schema }, 'PostgreSQL');
  } finally {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
} else {
  console.log('  CreditLedger on PostgreSQL: skipped (PAYLIT_TEST_DATABASE_URL is not set)');
}
