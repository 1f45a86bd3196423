import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, PUBLISHABLE_KEY, type TestServer } from './harness.js';

type Json = Record<string, any>;
const BOOKKEEPING = ['idempotency_keys', 'webhook_deliveries', 'webhook_attempts'];

/**
 * The attacks of issue 16, each answered with a 4xx in Chargebee's error shape that names the parameter, changing
 * nothing, and leaving every later request answered as before.
 */
describe.each(backends)('hostile input on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  const form = (path: string, body: string, headers: Record<string, string> = {}) =>
    s.api(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const json = (path: string, body: string, headers: Record<string, string> = {}) =>
    s.api(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const browser = (path: string, body: string) =>
    fetch(s.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-paylit-publishable-key': PUBLISHABLE_KEY } });

  /** The refusal: its status, Chargebee's shape, and the parameter it names; nothing changed, everyone still served. */
  async function refused(send: () => Promise<Response>, status: number, param: string | RegExp | undefined, code = 'param_wrong_value') {
    const before = await s.snapshot(BOOKKEEPING);
    const res = await send();
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body).toMatchObject({ message: expect.any(String), type: 'invalid_request', api_error_code: code, http_status_code: status });
    if (param === undefined) expect(body).not.toHaveProperty('param');
    else if (typeof param === 'string') expect(body.param).toBe(param);
    else expect(body.param).toMatch(param);
    expect(await s.snapshot(BOOKKEEPING)).toBe(before);
    await stillServes();
    return body;
  }
  async function stillServes() {
    const plans = await s.api('/api/v2/plans?limit=1');
    expect(plans.status).toBe(200);
    expect(((await plans.json()) as Json).list).toHaveLength(1);
    const customer = await form('/api/v2/customers', 'email=served@example.com&first_name=Served');
    expect(customer.status).toBe(200);
    expect(((await customer.json()) as Json).customer).toMatchObject({ email: 'served@example.com', first_name: 'Served' });
    // The backend runs in this process: no object anywhere gained a property.
    expect(({} as Json).first_name).toBeUndefined();
    expect(({} as Json).polluted).toBeUndefined();
  }

  describe('prototype keys, refused by name at any depth', () => {
    it.each([
      ['__proto__[first_name]=Polluted&email=a@b.co', '__proto__[first_name]'],
      ['billing_address[__proto__][first_name]=x&email=a@b.co', 'billing_address[__proto__][first_name]'],
      ['constructor[prototype][polluted]=1', 'constructor[prototype][polluted]'],
      ['meta_data[prototype]=1', 'meta_data[prototype]'],
      ['email=a@b.co&__proto__=1', '__proto__'],
    ])('form %s', async (body, param) => {
      const e = await refused(() => form('/api/v2/customers', body), 400, param);
      expect(e.message).toBe(`${param} : is not allowed as a parameter name`);
    });

    it.each([
      ['{"__proto__":{"first_name":"Polluted"},"email":"a@b.co"}', '__proto__'],
      ['{"email":"a@b.co","billing_address":{"__proto__":{"first_name":"x"}}}', 'billing_address[__proto__]'],
      ['{"constructor":{"prototype":{"polluted":true}}}', 'constructor'],
      ['{"meta_data":{"a":[{"constructor":1}]}}', 'meta_data[a][0][constructor]'],
    ])('JSON %s', async (body, param) => {
      await refused(() => json('/api/v2/customers', body), 400, param);
    });

    it('in a query string, and in a JSON document sent as a form field', async () => {
      await refused(() => s.api('/api/v2/plans?limit=1&__proto__[first_name]=x'), 400, '__proto__[first_name]');
      await refused(() => form('/api/v2/customers', `email=a@b.co&meta_data=${encodeURIComponent('{"__proto__":{"polluted":1}}')}`), 400, 'meta_data[__proto__]');
    });
  });

  describe('nesting, lists, keys and values within bounds', () => {
    it('JSON nested 2,000 levels deep to the browser checkout is a 400 naming the parameter, not a stack overflow', async () => {
      const body = `{"plan_id":"credits-starter","addons":${'['.repeat(2000)}1${']'.repeat(2000)}}`;
      const res = await browser('/api/browser/v2/checkout_new', body);
      expect(res.status).toBe(400);
      const e = (await res.json()) as Json;
      expect(e.param).toMatch(/^addons(\[0\])+/);
      expect(e.message).toMatch(/is nested more than 32 levels deep$/);
      await stillServes();
    });

    it('a form key 4,000 levels deep, and one 33 levels deep', async () => {
      await refused(() => form('/api/v2/customers', `customer${'[a]'.repeat(4000)}=1`), 400, /^customer\[a\]/);
      const e = await refused(() => form('/api/v2/customers', `meta_data${'[a]'.repeat(32)}=1`), 400, /^meta_data\[a\]/);
      expect(e.message).toMatch(/nested more than 32 levels deep/);
      // 32 levels is within bounds: the schema answers.
      const within = await form('/api/v2/customers', `meta_data${'[a]'.repeat(31)}=1`);
      expect(within.status).toBe(200);
    });

    it('a 28 KB form body of parameters to /api/v1/addons', async () => {
      const body = Array.from({ length: 2100 }, (_, i) => `param_${String(i)}=value`).join('&');
      expect(body.length).toBeGreaterThan(20_000);
      const e = await refused(() => form('/api/v1/addons', body), 400, undefined, 'invalid_request');
      expect(e.message).toBe('The request has more than 2000 parameters.');
    });

    it('at most 250 entries in a list, indexes from 0 to 249', async () => {
      const addons = JSON.stringify({ plan_id: 'credits-starter', addons: Array.from({ length: 251 }, () => ({ id: 'credits-100' })) });
      const res = await browser('/api/browser/v2/checkout_new', addons);
      expect(res.status).toBe(400);
      expect((await res.json()) as Json).toMatchObject({ param: 'addons', message: 'addons : must have at most 250 entries' });
      await refused(() => form('/api/v2/plans', 'id=p&name=P&price=1&tiers[price][99999]=1'), 400, 'tiers[price][99999]');
      await refused(() => form('/api/v2/plans', 'id=p&name=P&price=1&tiers[price][250]=1'), 400, 'tiers[price][250]');
    });

    it('keys and values of sane lengths', async () => {
      await refused(() => json('/api/v2/customers', JSON.stringify({ meta_data: { ['k'.repeat(201)]: 1 } })), 400, /^meta_data\[k+/);
      await refused(() => form('/api/v2/customers', `email=a@b.co&first_name=${'x'.repeat(70_000)}`), 400, 'first_name');
      await refused(() => json('/api/v2/customers', JSON.stringify({ email: 'a@b.co', meta_data: { note: 'x'.repeat(70_000) } })), 400, 'meta_data[note]');
    });

    it('a body over 1 MB is a 413 in the error shape, with or without a Content-Length', async () => {
      const big = `email=a@b.co&first_name=${'x'.repeat(1_100_000)}`;
      await refused(() => form('/api/v2/customers', big), 413, undefined, 'invalid_request');
      // Streamed in chunks, no length announced: counted as it arrives.
      const chunked = async () => {
        const parts = Array.from({ length: 12 }, () => 'x'.repeat(100_000));
        const stream = new ReadableStream({
          pull(c) {
            const next = parts.pop();
            if (next === undefined) c.close();
            else c.enqueue(new TextEncoder().encode(next));
          },
        });
        return fetch(`${s.url}/api/v2/customers`, {
          method: 'POST',
          body: stream,
          duplex: 'half',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${s.site.api_key}:`).toString('base64')}` },
        } as RequestInit);
      };
      await refused(chunked, 413, undefined, 'invalid_request');
    });

    it('a request line over 16 KB is refused by Node before the app, still in the error shape', async () => {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${s.url}/api/v2/plans?x=${'a'.repeat(20_000)}`, (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(res.status).toBe(431);
      expect(JSON.parse(res.body)).toMatchObject({ api_error_code: 'invalid_request', http_status_code: 431, message: expect.any(String) });
      await stillServes();
    });
  });

  describe('a body that cannot be read at all says so, with invalid_request and no parameter', () => {
    it.each([
      ['not JSON', 'application/json', '{"email":', 400, 'The request body is not valid JSON.'],
      ['a JSON list', 'application/json', '[{"email":"a@b.co"}]', 400, 'The request body must be a JSON object of parameters.'],
      ['a JSON string', 'application/json; charset=utf-8', '"a@b.co"', 400, 'The request body must be a JSON object of parameters.'],
      ['plain text', 'text/plain', 'email=a@b.co', 415, 'Send the parameters as application/x-www-form-urlencoded or application/json.'],
      ['a multipart form', 'multipart/form-data; boundary=x', '--x--', 415, 'Send the parameters as application/x-www-form-urlencoded or application/json.'],
    ])('%s', async (_what, type, body, status, message) => {
      const e = await refused(() => s.api('/api/v2/customers', { method: 'POST', body, headers: { 'content-type': type } }), status, undefined, 'invalid_request');
      expect(e.message).toBe(message);
    });

    it('a parameter without a name', async () => {
      await refused(() => form('/api/v2/customers', '=x&email=a@b.co'), 400, undefined, 'invalid_request');
    });
  });

  it('inherited names are only names: hasOwnProperty, toString and valueOf are unknown parameters like any other', async () => {
    for (const body of ['hasOwnProperty=1', 'id=c1&name=C&discount_type=percentage&discount_percentage=10&duration_type=forever&toString[x]=1', 'valueOf=1']) {
      const res = await form('/api/v2/coupons', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).message).toMatch(/is not a known parameter/);
    }
    await stillServes();
  });
});
