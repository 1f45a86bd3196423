import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Chargebee from 'chargebee';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CARDS, until } from './harness.js';

/**
 * kill -9 of a real backend process (a SQLite file in a temporary data dir, or a PostgreSQL schema of its own) in the
 * middle of a checkout submit, right after a write committed but before its answer went out, and in the middle of a
 * webhook delivery; then a restart on the same data: nothing half-written, no answer lost, no event lost, no charge
 * repeated.
 */
const root = join(import.meta.dirname, '../..');
const API_KEY = 'faults_sk_secret_key_000001';
const PK = 'faults_pk_publishable_key_01';
type Json = Record<string, any>;

interface Backend {
  url: string;
  out: string[];
  proc: ChildProcess;
  cb: InstanceType<typeof Chargebee>;
}

const running = new Set<ChildProcess>();
const dirs: string[] = [];
afterEach(() => {
  for (const p of running) p.kill('SIGKILL');
  running.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function boot(dataDir: string, env: Record<string, string> = {}): Promise<Backend> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', PAYLIT_DATA_DIR: dataDir, PAYLIT_API_KEY: API_KEY, PAYLIT_PUBLISHABLE_KEY: PK, PAYLIT_SCHEDULER_INTERVAL: '0s', DATABASE_URL: '', PAYLIT_DATABASE_SCHEMA: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  const out: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start:\n${out.join('')}`)), 20_000);
    const onData = (b: Buffer) => {
      out.push(b.toString());
      const m = /Paylit backend on (http:\/\/[^\s]+)/.exec(out.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (b: Buffer) => out.push(b.toString()));
    proc.once('exit', (code) => reject(new Error(`backend exited (${String(code)}):\n${out.join('')}`)));
  });
  const port = Number(new URL(url).port);
  const cb = new Chargebee({ site: '127.0.0', apiKey: API_KEY, hostSuffix: '.1', protocol: 'http', port, timeout: 10_000 });
  return { url, out, proc, cb };
}

async function kill9(b: Backend): Promise<void> {
  const exited = new Promise((r) => b.proc.once('exit', r));
  b.proc.kill('SIGKILL');
  await exited;
  running.delete(b.proc);
}


const tokenize = async (b: Backend, number: string) => {
  const res = await fetch(`${b.url}/api/browser/v2/card_tokens`, {
    method: 'POST',
    headers: { 'x-paylit-publishable-key': PK, 'content-type': 'application/json' },
    body: JSON.stringify({ number, expiry_month: 12, expiry_year: 2030, cvc: '123' }),
  });
  return ((await res.json()) as Json).card_token.id as string;
};

/** Where the killed backend keeps its data: a SQLite file, or a PostgreSQL schema of its own. */
const stores = [{ kind: 'sqlite', env: () => ({}) }];
const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
if (pgUrl) {
  let n = 0;
  stores.push({
    kind: 'postgres',
    env: () => {
      const schema = `faults_${String(process.pid)}_${String(Date.now())}_${String(n++)}`;
      schemas.push(schema);
      return { DATABASE_URL: pgUrl, PAYLIT_DATABASE_SCHEMA: schema };
    },
  });
}
const schemas: string[] = [];
afterAll(async () => {
  if (!pgUrl || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

/** A keyed POST as a browser or the merchant's server sends it, and its answer's body, parsed. */
async function post(b: Backend, path: string, body: Json, headers: Record<string, string>) {
  const res = await fetch(b.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, replayed: res.headers.get('chargebee-idempotency-replayed'), body: (await res.json()) as Json };
}
const merchant = { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` };

describe.each(stores)('faults on $kind: kill -9 and restart', (store) => {
  const fresh = (env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'paylit-faults-'));
    dirs.push(dir);
    const db = store.env();
    return { boot: (extra: Record<string, string> = {}) => boot(dir, { ...db, ...env, ...extra }) };
  };

  const newCheckout = async (b: Backend, email: string) => {
    const { hosted_page } = await b.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 2 }], customer: { email } });
    const page = hosted_page as unknown as { id: string; url: string };
    return { id: page.id, token: new URL(page.url).hash.replace('#token=', '') };
  };

  it('after a checkout submit has committed, before its answer: the retry with the same key gets that answer, and the card is charged once', async () => {
    const site = fresh({ PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT: '1s' });
    const a = await site.boot({ PAYLIT_TEST_HOLD_ANSWER: '30s' });
    const page = await newCheckout(a, 'answered@example.com');
    const card = await tokenize(a, CARDS.ok);
    const headers = { 'x-paylit-hosted-page-token': page.token, 'chargebee-idempotency-key': 'pay-after-commit-1' };
    const inFlight = post(a, `/api/browser/v2/hosted_pages/${page.id}/submit`, { card_token: card }, headers).catch((e: unknown) => e);
    await until('the submit to commit and hold its answer', () => a.out.join('').includes('fault: holding the answer'));
    await kill9(a);
    expect(await inFlight).toBeInstanceOf(Error); // the customer's browser saw the connection die

    const b = await site.boot();
    // The work is there, whole: the customer was charged once.
    const [sub] = (await b.cb.subscription.list({ limit: 100 })).list;
    expect(sub).toBeDefined();
    expect((await b.cb.transaction.list({ limit: 100 })).list.map((t) => (t.transaction as Json).status)).toEqual(['success']);
    // The retry is told what happened (not "hosted_page_completed"), marked as a replay, and changes nothing.
    const retry = await post(b, `/api/browser/v2/hosted_pages/${page.id}/submit`, { card_token: card }, headers);
    expect(retry).toMatchObject({ status: 200, replayed: 'true' });
    expect(retry.body.hosted_page).toMatchObject({ id: page.id, state: 'succeeded' });
    expect(retry.body.hosted_page.content.subscription.id).toBe(sub!.subscription.id);
    expect((await b.cb.transaction.list({ limit: 100 })).list).toHaveLength(1);
    expect((await b.cb.event.list({ event_type: { is: 'payment_succeeded' } })).list).toHaveLength(1);
    await kill9(b);
  }, 60_000);

  it('after a merchant API write has committed, before its answer: the retry with the same key gets that answer, and nothing happens twice', async () => {
    const site = fresh({ PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT: '1s' });
    const a = await site.boot({ PAYLIT_TEST_HOLD_ANSWER: '30s' });
    const { customer } = await a.cb.customer.create({ email: 'topup@example.com' });
    await a.cb.paymentSource.createUsingTempToken({ customer_id: customer.id, tmp_token: await tokenize(a, CARDS.ok), type: 'card' });
    const headers = { ...merchant, 'chargebee-idempotency-key': 'top-up-1' };
    const charge = { customer_id: customer.id, addon_id: 'credits-500', addon_quantity: 2 };
    const inFlight = post(a, '/api/v2/invoices/charge_addon', charge, headers).catch((e: unknown) => e);
    await until('the charge to commit and hold its answer', () => a.out.join('').includes('fault: holding the answer'));
    await kill9(a);
    expect(await inFlight).toBeInstanceOf(Error);

    const b = await site.boot();
    const invoices = (await b.cb.invoice.list({ limit: 100 })).list.map((x) => x.invoice as Json);
    expect(invoices.map((i) => i.status)).toEqual(['paid']);
    const retry = await post(b, '/api/v2/invoices/charge_addon', charge, headers);
    expect(retry).toMatchObject({ status: 200, replayed: 'true' });
    expect(retry.body.invoice).toMatchObject({ id: invoices[0]!.id, status: 'paid' });
    expect((await b.cb.invoice.list({ limit: 100 })).list).toHaveLength(1);
    expect((await b.cb.transaction.list({ limit: 100 })).list).toHaveLength(1);
    await kill9(b);
  }, 60_000);

  it('in the middle of a checkout submit: nothing half-written; the retry with the same key completes it once', async () => {
    const site = fresh({ PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT: '1s' });
    const a = await site.boot({ PAYLIT_TEST_HOLD_SUBMIT: '30s' });
    const { hosted_page } = await a.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 2 }], customer: { email: 'killed@example.com' } });
    const page = hosted_page as unknown as { id: string; url: string };
    const token = new URL(page.url).hash.replace('#token=', '');
    const card = await tokenize(a, CARDS.ok);
    const submit = (b: Backend) =>
      fetch(`${b.url}/api/browser/v2/hosted_pages/${page.id}/submit`, {
        method: 'POST',
        headers: { 'x-paylit-hosted-page-token': token, 'content-type': 'application/json', 'chargebee-idempotency-key': 'pay-once-1' },
        body: JSON.stringify({ card_token: card }),
      });
    const inFlight = submit(a).catch((e: unknown) => e);
    await until('the submit to reach its commit', () => a.out.join('').includes('fault: holding the submit'));
    await kill9(a);
    expect(await inFlight).toBeInstanceOf(Error); // the connection died with the process

    const b = await site.boot();
    expect((await b.cb.customer.list({ email: { is: 'killed@example.com' } })).list).toHaveLength(0);
    expect((await b.cb.subscription.list({ limit: 100 })).list).toHaveLength(0);
    expect((await b.cb.invoice.list({ limit: 100 })).list).toHaveLength(0);
    expect((await b.cb.transaction.list({ limit: 100 })).list).toHaveLength(0);
    expect((await b.cb.event.list({ event_type: { is: 'subscription_created' } })).list).toHaveLength(0);
    expect((await b.cb.hostedPage.retrieve(page.id)).hosted_page.state).not.toBe('succeeded');

    // The browser retries with the same key: the dead request's key is taken over and the checkout completes.
    const retry = await submit(b);
    expect(retry.status).toBe(200);
    const again = await submit(b);
    expect(again.headers.get('chargebee-idempotency-replayed')).toBe('true');
    expect((await b.cb.subscription.list({ limit: 100 })).list).toHaveLength(1);
    const txns = (await b.cb.transaction.list({ limit: 100 })).list;
    expect(txns).toHaveLength(1);
    expect((txns[0]!.transaction as Json).status).toBe('success');
    await kill9(b);
  }, 60_000);

  it('in the middle of webhook delivery: every undelivered event is delivered after the restart, with the same id', async () => {
    let hang = true;
    let victim: Backend | undefined;
    const got: Array<{ id: string; hung: boolean }> = [];
    const held: Array<() => void> = [];
    const rx: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ id: (JSON.parse(body) as Json).id, hung: hang });
        if (!hang) return void res.writeHead(200).end('ok');
        held.push(() => res.destroy());
        // The third attempt in flight: the backend dies now, with all three unanswered (not after a timer, by which
        // time a slow machine may have timed the first out and retried it).
        if (got.filter((g) => g.hung).length === 3) victim?.proc.kill('SIGKILL');
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    const rxUrl = `http://127.0.0.1:${String((rx.address() as AddressInfo).port)}/hooks`;
    try {
      const site = fresh({ PAYLIT_WEBHOOK_URL: rxUrl, PAYLIT_WEBHOOK_TIMEOUT: '3s', PAYLIT_WEBHOOK_POLL: '50ms', PAYLIT_WEBHOOK_RETRY_SCHEDULE: '200ms,200ms' });
      const a = (victim = await site.boot());
      const exited = new Promise((r) => a.proc.once('exit', r));
      // At once, so the three attempts are out together; an answer may be cut off by the kill (the customer exists).
      await Promise.allSettled(['w1@example.com', 'w2@example.com', 'w3@example.com'].map((email) => a.cb.customer.create({ email })));
      await exited;
      hang = false;
      const ids = got.map((g) => g.id);
      expect(new Set(ids).size).toBe(3);

      const b = await site.boot();
      const created = (await b.cb.event.list({ event_type: { is: 'customer_created' }, limit: 10 })).list.map((x) => x.event.id);
      expect(created.sort()).toEqual([...ids].sort());
      const deliveryOf = async (id: string) =>
        ((await (await fetch(`${b.url}/api/v2/events/${id}/deliveries`, { headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` } })).json()) as Json).list[0].delivery as Json;
      // Until each result is recorded, not only received: the receiver's 200 comes before the backend writes it.
      const done = async () => (await Promise.all(ids.map(deliveryOf))).every((d) => d.status !== 'pending' && d.status !== 'delivering');
      await until('every event delivered after the restart', done).catch((e: unknown) => {
        throw new Error(`${String(e)}\n${b.out.join('')}\n${JSON.stringify(got)}`);
      });
      for (const id of ids) {
        const d = await deliveryOf(id);
        expect(d.status).toBe('succeeded');
        expect(d.attempts.map((x: Json) => x.status_code)).toEqual([null, 200]);
        expect(d.attempts[0].error).toMatch(/instance stopped/);
      }
      // At least once: each event arrived exactly twice (the attempt cut short, then the delivery), never more.
      for (const id of ids) expect(got.filter((g) => g.id === id)).toHaveLength(2);
      await kill9(b);
    } finally {
      for (const h of held) h();
      rx.closeAllConnections();
      await new Promise((r) => rx.close(r));
    }
  }, 60_000);
});
