import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Chargebee from 'chargebee';
import pg from 'pg';
import { ManualClock } from '../../src/server/clock.js';
import { parseEnv } from '../../src/server/env.js';
import { type RunningServer, startServer } from '../../src/server/server.js';

export const API_KEY = 'test_sk_harness_secret_key_0001';
export const PUBLISHABLE_KEY = 'test_pk_harness_publishable_01';
export const ORIGIN = 'http://shop.localhost:5173';

export interface Backend {
  readonly kind: 'sqlite' | 'postgres';
  start(env?: Record<string, string>): Promise<TestServer>;
}

export interface TestServer extends RunningServer {
  readonly cb: InstanceType<typeof Chargebee>;
  readonly clock: ManualClock;
  readonly logs: string[];
  /** A raw call with the secret key (or none, or another). */
  api(path: string, init?: RequestInit & { key?: string | null; form?: Record<string, string> }): Promise<Response>;
  /** Another backend instance on the same database and clock (on SQLite, a second connection to the same file). */
  twin(): Promise<RunningServer>;
  /** Every row of every table (but those in `except`), to prove a rejected request changed nothing. */
  snapshot(except?: readonly string[]): Promise<string>;
}

const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
export const backends: Backend[] = [{ kind: 'sqlite', start: (env) => start('sqlite', env) }];
if (pgUrl) backends.push({ kind: 'postgres', start: (env) => start('postgres', env) });
else console.warn('PAYLIT_TEST_DATABASE_URL is not set: the server tests run on SQLite only (CI sets it).');

let counter = 0;
async function start(kind: 'sqlite' | 'postgres', extra: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-test-'));
  const schema = `t_${String(process.pid)}_${String(Date.now())}_${String(counter++)}`;
  const env = parseEnv({
    PORT: '0',
    PAYLIT_DATA_DIR: dir,
    PAYLIT_API_KEY: API_KEY,
    PAYLIT_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    PAYLIT_SEED_DEMO: 'false',
    PAYLIT_ALLOWED_ORIGINS: ORIGIN,
    // Tests run the scheduler themselves (the time machine, or scheduler.tick()).
    PAYLIT_SCHEDULER_INTERVAL: '0s',
    ...(kind === 'postgres' && { DATABASE_URL: pgUrl }),
    ...extra,
  });
  const clock = new ManualClock(Date.UTC(2025, 0, 31) / 1000);
  const logs: string[] = [];
  const server = await startServer({ env, clock, log: (l) => logs.push(l), ...(kind === 'postgres' && { schema }) });
  const cb = new Chargebee({ site: '127.0.0', apiKey: server.site.api_key, hostSuffix: '.1', protocol: 'http', port: server.port, timeout: 60_000 });
  const db = server.storage.db;
  return {
    ...server,
    cb,
    clock,
    logs,
    twin() {
      return startServer({ env, clock, log: () => {}, schema });
    },
    api(path, init = {}) {
      const { key = server.site.api_key, form, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== null) headers.set('authorization', `Basic ${Buffer.from(`${key}:`).toString('base64')}`);
      if (form) headers.set('content-type', 'application/x-www-form-urlencoded');
      return fetch(server.url + path, { ...rest, headers, ...(form && { method: 'POST', body: new URLSearchParams(form).toString() }) });
    },
    async snapshot(except = []) {
      // Each table in a stable order, so two snapshots compare equal exactly when nothing changed.
      const order: Record<string, string[]> = {
        sites: ['id'], sequences: ['name'], time_machines: ['site_id', 'name'],
        item_usages: ['site_id', 'item_type', 'item_id', 'resource_type', 'resource_id'],
        webhook_deliveries: ['id'], webhook_attempts: ['delivery_id', 'attempt'], gateway_charges: ['site_id', 'idempotency_key'],
        idempotency_keys: ['site_id', 'scope', 'key'], catalog_versions: ['site_id'],
      };
      const tables = [
        'sites', 'plans', 'addons', 'coupons', 'customers', 'item_usages', 'sequences', 'subscriptions', 'invoices', 'hosted_pages', 'portal_sessions',
        'time_machines', 'payment_sources', 'transactions', 'webhook_endpoints', 'events', 'webhook_deliveries', 'webhook_attempts', 'gateway_tokens',
        'gateway_cards', 'gateway_charges', 'idempotency_keys', 'catalog_versions',
      ] as const;
      const out: Record<string, unknown> = {};
      for (const t of tables) {
        if (except.includes(t)) continue;
        let q = db.selectFrom(t).selectAll();
        for (const col of order[t] ?? ['site_id', 'id']) q = q.orderBy(col as never);
        out[t] = await q.execute();
      }
      return JSON.stringify(out);
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    },
  };
}

/** The README's test cards. */
export const CARDS = {
  ok: '4111111111111111',
  declined: '4000000000000002',
  insufficient: '4000000000009995',
  threeDs: '4000000000003220',
  declinesLater: '4000000000000341',
} as const;

/** Tokenizes a card as the card frame does (publishable key, the backend's own origin); returns the token id. */
export async function cardToken(s: RunningServer, number: string = CARDS.ok, extra: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${s.url}/api/browser/v2/card_tokens`, {
    method: 'POST',
    headers: { 'x-paylit-publishable-key': s.site.publishable_key, 'content-type': 'application/json', origin: s.url, ...extra },
    body: JSON.stringify({ number, expiry_month: 12, expiry_year: 2040, cvc: '123' }),
  });
  const body = (await res.json()) as { card_token: { id: string }; message?: string };
  if (res.status !== 200) throw new Error(`tokenize ${number}: ${String(res.status)} ${body.message ?? ''}`);
  return body.card_token.id;
}

/** Waits until `fn` gives something truthy (polled every 25 ms), or fails naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A customer of `s` with a card and a subscription to `planId` (made with the official SDK), and their portal key. */
export async function portalCustomer(s: TestServer, planId: string, o: { addons?: Array<Record<string, any>>; card?: string } = {}) {
  const { customer } = await s.cb.customer.create({ email: `${planId}-${String(Math.random()).slice(2, 8)}@example.com`, first_name: 'Ada', last_name: 'Lovelace' });
  await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, o.card ?? CARDS.ok) });
  const { subscription } = (await s.cb.subscription.createForCustomer(customer.id, { plan_id: planId, ...(o.addons && { addons: o.addons }) })) as never as { subscription: Record<string, any> };
  return { customer, subscription, key: await portalKey(s, customer.id) };
}

/** A portal session for the customer (the merchant's SDK call), activated as the portal page does: its portal key. */
export async function portalKey(s: TestServer, customerId: string): Promise<string> {
  const { portal_session } = await s.cb.portalSession.create({ customer: { id: customerId } });
  const res = await fetch(`${s.url}/api/browser/v2/portal_sessions/activate`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ id: portal_session.id, token: portal_session.token }) });
  return ((await res.json()) as { portal_key: string }).portal_key;
}

/** Links an item to a (fake) subscription, as the subscription routes will, so the "linked" rules apply. */
export async function link(s: TestServer, type: 'plan' | 'addon' | 'coupon', id: string): Promise<void> {
  await s.storage.db.insertInto('item_usages').values({ site_id: s.site.id, item_type: type, item_id: id, resource_type: 'subscription', resource_id: `sub_${id}` }).execute();
}

/** The Chargebee error a call rejected with. */
export async function failure(p: Promise<unknown>): Promise<{ http_status_code: number; api_error_code: string; param?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the call to fail');
}

/**
 * Parameters written as Chargebee's form keys (`'id[in]'`, `'sort_by[asc]'`), which the backend reads as the SDK's
 * nested ones: the SDK's types know only the nested form.
 */
export const formKeys = (params: Record<string, unknown>): never => params as never;

/** Parameters Paylit takes that the SDK's types do not list (such as plan copy's `id_at_to_site`). */
export const unknownToSdk = (params: Record<string, unknown>): never => params as never;
