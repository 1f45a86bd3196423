import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader, verifyWebhook, WebhookVerificationError } from '../../src/merchant/index.js';
import { backends, type TestServer, until } from './harness.js';

type Json = Record<string, any>;
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: Json;
}

/** A merchant's webhook endpoint: records every request and answers as `respond` says (a status, or 'hang'). */
class Receiver {
  readonly got: Received[] = [];
  respond: (r: Received, n: number) => number | 'hang' = () => 200;
  private server!: Server;
  private hung: Array<() => void> = [];
  url = '';
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const r: Received = { headers: req.headers, body, event: JSON.parse(body) as Json };
        this.got.push(r);
        const answer = this.respond(r, this.got.length);
        if (answer === 'hang') this.hung.push(() => res.destroy());
        else res.writeHead(answer).end(answer < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}/webhooks`;
    return this;
  }
  of(eventId: string) {
    return this.got.filter((r) => r.event.id === eventId);
  }
  async close() {
    for (const h of this.hung) h();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}


describe('the webhook verifier (paylit/merchant)', () => {
  const secret = 'whsec_test_secret_0123456789';
  const body = JSON.stringify({ id: 'ev_1', occurred_at: 1700000000, event_type: 'customer_created', api_version: 'v2', content: { customer: { id: 'c1' } }, object: 'event' });
  const now = 1_800_000_000;

  it('accepts a fresh signature and returns the event', () => {
    const event = verifyWebhook({ body, headers: { 'paylit-signature': signatureHeader(secret, now - 10, body) }, secret, now });
    expect(event).toMatchObject({ id: 'ev_1', event_type: 'customer_created' });
  });
  it.each([
    ['a replay older than five minutes', { 'paylit-signature': signatureHeader(secret, now - 301, body) }, body, /replay/],
    ['a tampered body', { 'paylit-signature': signatureHeader(secret, now, body) }, body.replace('c1', 'c2'), /does not match/],
    ['another secret', { 'paylit-signature': signatureHeader('whsec_other_secret_000000', now, body) }, body, /does not match/],
    ['no signature', {}, body, /missing/],
    ['a malformed header', { 'paylit-signature': 'sha256=abc' }, body, /malformed/],
  ])('refuses %s', (_n, headers, b, reason) => {
    expect(() => verifyWebhook({ body: b, headers, secret, now })).toThrow(reason);
  });
  it('checks HTTP Basic when configured, and both when both are', () => {
    const auth = `Basic ${Buffer.from('shop:pw').toString('base64')}`;
    expect(verifyWebhook({ body, headers: { authorization: auth }, basicAuth: { username: 'shop', password: 'pw' } }).id).toBe('ev_1');
    expect(() => verifyWebhook({ body, headers: { authorization: auth }, basicAuth: { username: 'shop', password: 'nope' } })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook({ body, headers: { authorization: auth }, basicAuth: { username: 'shop', password: 'pw' }, secret, now })).toThrow(/Signature/);
  });
  it('refuses to trust anyone when nothing is configured, and a body that is not an event', () => {
    expect(() => verifyWebhook({ body, headers: {} })).toThrow(/configured/);
    const odd = JSON.stringify({ hello: 'world' });
    expect(() => verifyWebhook({ body: odd, headers: { 'paylit-signature': signatureHeader(secret, now, odd) }, secret, now })).toThrow(/not a webhook event/);
  });
});

describe.each(backends)('webhook delivery on $kind', (backend) => {
  let s: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await new Receiver().start();
    s = await backend.start({ PAYLIT_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,200ms', PAYLIT_WEBHOOK_TIMEOUT: '400ms', PAYLIT_WEBHOOK_POLL: '50ms' });
  });
  afterAll(async () => {
    await s.close();
    await rx.close();
  });
  afterEach(async () => {
    rx.respond = () => 200;
    // Each test adds its own endpoint.
    for (const { webhook_endpoint } of (await s.cb.webhookEndpoint.list({ limit: 100 })).list) await s.cb.webhookEndpoint.delete(webhook_endpoint.id);
  });

  const endpoint = async (extra: Json = {}) =>
    (await s.cb.webhookEndpoint.create({ name: 'shop', url: rx.url, basic_auth_username: 'shop', basic_auth_password: 'hook-pw', ...extra })).webhook_endpoint as Json;
  const deliveries = async (eventId: string) => ((await (await s.api(`/api/v2/events/${eventId}/deliveries`)).json()) as Json).list.map((x: Json) => x.delivery);
  const newCustomer = async (email: string) => {
    const { customer } = await s.cb.customer.create({ email });
    const [event] = (await s.cb.event.list({ event_type: { is: 'customer_created' }, limit: 20 })).list.map((x) => x.event).filter((e) => (e.content as Json).customer.id === customer.id);
    return event!;
  };

  it('posts each event with HTTP Basic and a signature; the verifier and the official SDK\'s handler accept it', async () => {
    const ep = await endpoint();
    expect(ep).toMatchObject({ name: 'shop', url: rx.url, api_version: 'v2', disabled: false, basic_auth_username: 'shop' });
    expect(ep).not.toHaveProperty('basic_auth_password');
    expect(ep.signing_secret).toMatch(/^whsec_/);
    const event = await newCustomer('hooked@example.com');
    const [r] = await until('the delivery', () => (rx.of(event.id).length ? rx.of(event.id) : undefined));
    expect(r!.event).toMatchObject({ id: event.id, event_type: 'customer_created', api_version: 'v2', object: 'event', content: { customer: { email: 'hooked@example.com' } } });
    expect(r!.headers['content-type']).toMatch(/application\/json/);
    const verified = verifyWebhook({ body: r!.body, headers: r!.headers, secret: ep.signing_secret, basicAuth: { username: 'shop', password: 'hook-pw' } });
    expect(verified.id).toBe(event.id);

    // The official SDK's handler, as a Chargebee merchant has it, parses Paylit's payload.
    const expected = `Basic ${Buffer.from('shop:hook-pw').toString('base64')}`;
    const handler = s.cb.webhooks.createHandler({
      requestValidator: (headers) => {
        if (headers.authorization !== expected) throw new Error('bad credentials');
      },
    });
    const seen: Json[] = [];
    const errors: unknown[] = [];
    handler.on('customer_created', ({ event: e }) => void seen.push(e as unknown as Json));
    handler.on('error', (e) => void errors.push(e));
    await handler.handle({ body: r!.body, headers: r!.headers as Record<string, string> });
    expect(errors).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.content.customer.email).toBe('hooked@example.com');
    await until('the delivery to be recorded', async () => (await s.cb.event.retrieve(event.id)).event.webhook_status === 'succeeded');
  });

  it('sends only the enabled events to an endpoint that lists some', async () => {
    await endpoint({ enabled_events: ['payment_succeeded'] });
    const event = await newCustomer('filtered@example.com');
    expect(await deliveries(event.id)).toEqual([]);
    expect((await s.cb.event.retrieve(event.id)).event.webhook_status).toBe('not_configured');
  });

  it('retries a 500 on the documented schedule and logs every attempt; the event id stays the same', async () => {
    await endpoint();
    rx.respond = (r) => (rx.of(r.event.id).length <= 2 ? 500 : 200);
    const event = await newCustomer('retried@example.com');
    const [d] = await until('three attempts', async () => {
      const ds = await deliveries(event.id);
      return ds[0]?.status === 'succeeded' ? ds : undefined;
    });
    expect(d.attempts.map((a: Json) => a.status_code)).toEqual([500, 500, 200]);
    expect(d.attempts.map((a: Json) => a.error)).toEqual(['HTTP 500', 'HTTP 500', null]);
    // The API gives Unix seconds, as every other resource does; the log underneath keeps milliseconds.
    const rows = await s.storage.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', d.id).orderBy('attempt').execute();
    expect(d.attempts.map((a: Json) => [a.started_at, a.next_retry_at])).toEqual(
      rows.map((r) => [Math.floor(Number(r.started_at) / 1000), r.next_retry_at === null ? null : Math.floor(Number(r.next_retry_at) / 1000)]),
    );
    expect(Math.abs(d.attempts[0].started_at - Date.now() / 1000)).toBeLessThan(60);
    // Each retry waited its turn in the schedule (100 ms, then 200 ms) after the failed attempt ended.
    const [a1, a2, a3] = rows.map((r) => ({ started_at: Number(r.started_at), next_retry_at: r.next_retry_at === null ? null : Number(r.next_retry_at), duration_ms: Number(r.duration_ms) })) as unknown as [Json, Json, Json];
    expect(a1.next_retry_at).toBeGreaterThanOrEqual(a1.started_at + 100);
    expect(a2.started_at).toBeGreaterThanOrEqual(a1.next_retry_at);
    expect(a2.next_retry_at - (a2.started_at + a2.duration_ms)).toBe(200);
    expect(a3.started_at).toBeGreaterThanOrEqual(a2.next_retry_at);
    expect(a3.next_retry_at).toBeNull();
    expect(rx.of(event.id)).toHaveLength(3);
  });

  it('counts an endpoint that does not answer in time as failed, and delivers on the next attempt', async () => {
    await endpoint();
    rx.respond = (r) => (rx.of(r.event.id).length === 1 ? 'hang' : 200);
    const event = await newCustomer('slow@example.com');
    const [d] = await until('the retry', async () => {
      const ds = await deliveries(event.id);
      return ds[0]?.status === 'succeeded' ? ds : undefined;
    });
    expect(d.attempts[0].error).toMatch(/no answer within 400 ms/);
    expect(d.attempts[1].status_code).toBe(200);
  });

  it('gives up after the last retry and marks the event failed', async () => {
    await endpoint();
    rx.respond = () => 503;
    const event = await newCustomer('down@example.com');
    const [d] = await until('the last attempt', async () => {
      const ds = await deliveries(event.id);
      return ds[0]?.status === 'failed' ? ds : undefined;
    });
    expect(d.attempts).toHaveLength(4);
    expect(d.next_attempt_at).toBeNull();
    expect((await s.cb.event.retrieve(event.id)).event.webhook_status).toBe('failed');
    await new Promise((r) => setTimeout(r, 400));
    expect(rx.of(event.id)).toHaveLength(4);
  });

  it('refuses a bad endpoint, naming the param', async () => {
    const res = await s.api('/api/v2/webhook_endpoints', { form: { name: 'x', url: 'ftp://nope' } });
    expect(res.status).toBe(400);
    expect((await res.json()).param).toBe('url');
    const ev = await s.api('/api/v2/webhook_endpoints', { form: { name: 'x', url: rx.url, 'enabled_events[0]': 'nonsense' } });
    expect((await ev.json()).param).toMatch(/enabled_events/);
  });

  it.runIf(backend.kind === 'postgres')('two instances, each with its own deliverer: every event is delivered once per attempt', async () => {
    await endpoint();
    const other = await s.twin();
    try {
      const before = rx.got.length;
      const made = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? s : other)).map((srv, i) => fetch(`${srv.url}/api/v2/customers`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${s.site.api_key}:`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=twin${String(i)}%40example.com`,
      })));
      expect(made.every((r) => r.status === 200)).toBe(true);
      // Only this test's events: a late retry of an earlier test's event may land meanwhile on a busy machine.
      const mine = () => rx.got.slice(before).filter((r) => /^twin\d+@example\.com$/.test(String(r.event.content?.customer?.email)));
      await until('30 deliveries', () => mine().length >= 30);
      await new Promise((r) => setTimeout(r, 300));
      const ids = mine().map((r) => r.event.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      const rows = await s.storage.db
        .selectFrom('webhook_attempts')
        .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
        .select(['webhook_attempts.attempt', 'webhook_attempts.instance', 'webhook_attempts.status_code'])
        .where('webhook_deliveries.event_id', 'in', ids)
        .execute();
      // One attempt each, answered 200, and both instances did some of the work.
      expect(rows.map((a) => [Number(a.attempt), Number(a.status_code)])).toEqual(Array(30).fill([1, 200]));
      expect(new Set(rows.map((a) => a.instance)).size).toBe(2);
    } finally {
      await other.close();
    }
  });
});

describe.each(backends)('PAYLIT_WEBHOOK_URL on $kind', (backend) => {
  it('sends every event to the configured URL, with its credentials and signature', async () => {
    const rx = await new Receiver().start();
    const s = await backend.start({ PAYLIT_WEBHOOK_URL: rx.url, PAYLIT_WEBHOOK_USERNAME: 'env-user', PAYLIT_WEBHOOK_PASSWORD: 'env-pw', PAYLIT_WEBHOOK_SECRET: 'whsec_env_secret_123456', PAYLIT_WEBHOOK_POLL: '50ms' });
    try {
      const { customer } = await s.cb.customer.create({ email: 'env@example.com' });
      const r = await until('the delivery', () => rx.got.find((x) => x.event.content.customer?.id === customer.id));
      expect(verifyWebhook({ body: r.body, headers: r.headers, secret: 'whsec_env_secret_123456', basicAuth: { username: 'env-user', password: 'env-pw' } }).event_type).toBe('customer_created');
    } finally {
      await s.close();
      await rx.close();
    }
  });
});
