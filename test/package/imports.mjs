// Plain Node, in a project that installed only `paylit` (no database driver): every server-side export imports,
// and the webhook verifier works. Prints what it checked; throws on the first failure.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
for (const driver of ['better-sqlite3', 'pg']) assert.throws(() => require.resolve(driver), `${driver} must not be installed here`);

const expected = {
  paylit: ['estimateNewSubscription', 'planSchema'],
  'paylit/adapter': ['HttpAdapter', 'AdapterError'],
  'paylit/merchant': ['verifyWebhook', 'CreditLedger', 'createWebhookHandler', 'signatureHeader'],
  'paylit/server': ['startServer', 'createApp', 'parseEnv', 'envSchema', 'envVariables', 'EnvError', 'MissingDriverError'],
  'paylit/global': [],
};
for (const [name, exports] of Object.entries(expected)) {
  const mod = await import(name);
  for (const e of exports) assert.ok(e in mod, `${name} exports ${e}`);
  console.log(`  import '${name}': ${Object.keys(mod).length} exports`);
}

const { signatureHeader, SIGNATURE_HEADER, verifyWebhook, WebhookVerificationError } = await import('paylit/merchant');
const secret = 'whsec_package_check_0123456789';
const now = Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'ev_pkg_1', occurred_at: now, event_type: 'payment_succeeded', content: {} });
const event = verifyWebhook({ body, headers: { [SIGNATURE_HEADER]: signatureHeader(secret, now, body) }, secret });
assert.equal(event.id, 'ev_pkg_1');
assert.throws(() => verifyWebhook({ body: body.replace('ev_pkg_1', 'ev_pkg_2'), headers: { [SIGNATURE_HEADER]: signatureHeader(secret, now, body) }, secret }), WebhookVerificationError);
console.log('  verifyWebhook: a signed delivery verified, a forged one refused (no driver installed)');

const { parseEnv } = await import('paylit/server');
assert.equal(parseEnv({}).PORT, 8787);
assert.throws(() => parseEnv({ PORT: 'eighty' }), /PORT/);
console.log('  parseEnv: defaults, and a bad PORT named');
