// The elements' HttpAdapter against the real backend (SQLite and PostgreSQL), and its retry/timeout rules against
// a scripted fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, errorTarget, HttpAdapter, idempotencyKey } from '../../src/adapter/index.js';
import { backends, cardToken, CARDS, PUBLISHABLE_KEY, type TestServer } from './harness.js';

const tokenOf = (url: string) => new URL(url).hash.replace('#token=', '');

async function rejection(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AdapterError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe.each(backends)('HttpAdapter against the backend on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  const newPage = async () => {
    const { hosted_page } = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, customer: { email: 'ada@example.com' } });
    return { id: hosted_page.id!, adapter: new HttpAdapter({ baseUrl: s.url, hostedPageToken: tokenOf(hosted_page.url!) }) };
  };

  it('reads the catalog, parsed into core types, and refuses without the publishable key', async () => {
    const adapter = new HttpAdapter({ baseUrl: s.url, publishableKey: PUBLISHABLE_KEY });
    const catalog = await adapter.catalog();
    const starter = catalog.plans.find((p) => p.id === 'credits-starter');
    expect(starter?.addon_required).toBe(true);
    expect(catalog.addons.find((a) => a.id === 'credits-500')?.meta_data).toEqual({ credits: 500 });
    expect((await adapter.catalog({ currency: 'EUR' })).plans.every((p) => p.currency_code === 'EUR')).toBe(true);
    const wrong = await rejection(new HttpAdapter({ baseUrl: s.url, publishableKey: 'test_pk_wrong' }).catalog());
    expect(wrong).toMatchObject({ status: 401, code: 'api_authentication_failed' });
  });

  it('estimates a cart with the server, naming the field of a bad addon', async () => {
    const adapter = new HttpAdapter({ baseUrl: s.url, publishableKey: PUBLISHABLE_KEY });
    const est = await adapter.estimate({ plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 2 }] });
    expect(est.amount_due_now).toBe(9000);
    const missing = await rejection(adapter.estimate({ plan_id: 'credits-starter' }));
    expect(missing.status).toBe(400);
    expect(missing.target).toEqual({ group: 'addons', field: undefined });
    expect(missing.message).toMatch(/needs at least one addon/);
    expect(missing.message).not.toMatch(/^addons : /);
    const bad = await rejection(adapter.estimate({ plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 0 }] }));
    expect(bad.param).toBe('addons[quantity][0]');
    expect(bad.target).toEqual({ group: 'addons', field: '0' });
  });

  it('reads, saves and submits a hosted page; the submit key makes a repeat charge once', async () => {
    const { id, adapter } = await newPage();
    const view = await adapter.readHostedPage(id);
    expect(view.checkout.plan_id).toBe('credits-starter');
    expect(view.now).toBe(s.clock.now());
    expect(view.catalog.addons.map((a) => a.id)).toContain('credits-100');
    const saved = await adapter.saveHostedPage(id, { addons: [{ id: 'credits-100', quantity: 3 }], billing_address: { line1: '1 Main St', city: 'Austin', state_code: 'TX', zip: '73301', country: 'US' } });
    expect(saved.estimate?.amount_due_now).toBe(3000);
    const badZip = await rejection(adapter.saveHostedPage(id, { billing_address: { country: 'Germany' } as never }));
    expect(badZip.target).toEqual({ group: 'address', field: 'country' });
    const key = idempotencyKey();
    const card = await cardToken(s, CARDS.ok);
    const [a, b] = await Promise.all([
      adapter.submitHostedPage(id, {}, { idempotencyKey: key, cardToken: card }),
      adapter.submitHostedPage(id, {}, { idempotencyKey: key, cardToken: card }),
    ]);
    expect(a.hosted_page.state).toBe('succeeded');
    expect(b.hosted_page).toEqual(a.hosted_page);
    const { list } = await s.cb.transaction.list({});
    expect(list.filter((t) => t.transaction.amount === 3000)).toHaveLength(1);
    const again = await rejection(adapter.submitHostedPage(id, {}, { idempotencyKey: idempotencyKey(), cardToken: await cardToken(s) }));
    expect(again).toMatchObject({ status: 409, code: 'hosted_page_completed' });
  });

  it('a submit whose answer was lost after the server committed it: the retry gets the replayed answer, a success', async () => {
    const { hosted_page } = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 2 }], customer: { email: 'lost-answer@example.com' } });
    const seen: Array<{ status: number; replayed: string | null }> = [];
    let lose = true;
    // The network drops the first answer after the server has sent it: the work is done, the browser never hears.
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push({ status: res.status, replayed: res.headers.get('chargebee-idempotency-replayed') });
      if (lose && String(input).endsWith('/submit')) {
        lose = false;
        await res.body?.cancel();
        throw new TypeError('fetch failed');
      }
      return res;
    };
    const adapter = new HttpAdapter({ baseUrl: s.url, hostedPageToken: tokenOf(hosted_page.url!), retryDelayMs: 0 }, lossy);
    const result = await adapter.submitHostedPage(hosted_page.id!, {}, { idempotencyKey: idempotencyKey(), cardToken: await cardToken(s, CARDS.ok) });
    expect(result.hosted_page).toMatchObject({ id: hosted_page.id, state: 'succeeded' });
    expect(seen).toEqual([{ status: 200, replayed: null }, { status: 200, replayed: 'true' }]);
    const customer = (result.hosted_page.content as { customer: { id: string } }).customer;
    expect((await s.cb.transaction.list({ customer_id: { is: customer.id } })).list).toHaveLength(1);
  });

  it('maps a declined card to the payment step, with the decline code', async () => {
    const { id, adapter } = await newPage();
    await adapter.saveHostedPage(id, { addons: [{ id: 'credits-100', quantity: 1 }] });
    const declined = await rejection(adapter.submitHostedPage(id, {}, { idempotencyKey: idempotencyKey(), cardToken: await cardToken(s, CARDS.declined) }));
    expect(declined).toMatchObject({ status: 402, code: 'payment_processing_failed', declineCode: 'card_declined' });
    expect(declined.target.group).toBe('payment');
  });

  it('reads and saves the portal address with the session key', async () => {
    const customer = (await s.cb.customer.create({ email: 'portal@example.com' })).customer;
    const { portal_session } = await s.cb.portalSession.create({ customer: { id: customer.id } });
    const res = await fetch(`${s.url}/api/browser/v2/portal_sessions/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: portal_session.id, token: portal_session.token }) });
    const { portal_key } = (await res.json()) as { portal_key: string };
    const adapter = new HttpAdapter({ baseUrl: s.url, portalKey: portal_key });
    expect((await adapter.readPortalSection('address')).billing_address).toBeNull();
    const saved = await adapter.savePortalSection('address', { billing_address: { line1: '5 Rue X', city: 'Lyon', zip: '69001', country: 'FR' } });
    expect(saved.billing_address).toMatchObject({ city: 'Lyon', country: 'FR' });
    const bad = await rejection(adapter.savePortalSection('address', { billing_address: { country: 'France' } as never }));
    expect(bad.target).toEqual({ group: 'address', field: 'country' });
  });
});

describe('HttpAdapter transport rules', () => {
  const ok = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const catalog = { plans: [], addons: [], tax_profile: null };
  const scripted = (answers: Array<Response | Error | 'hang'>) => {
    const calls: RequestInit[] = [];
    const f = ((_url: string, init: RequestInit) => {
      calls.push(init);
      const a = answers.shift() ?? new Error('no more answers');
      if (a === 'hang') return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    }) as typeof fetch;
    return { f, calls };
  };
  const opts = { baseUrl: 'http://backend.test', publishableKey: 'pk', hostedPageToken: 'tok', retryDelayMs: 1 };

  it('retries a GET after a network error, a 503 and a 429, then succeeds', async () => {
    const { f, calls } = scripted([new TypeError('fetch failed'), ok({ message: 'down' }, 503), ok({ message: 'slow down' }, 429), ok(catalog)]);
    expect(await new HttpAdapter(opts, f).catalog()).toEqual(catalog);
    expect(calls).toHaveLength(4);
  });

  it('gives up after the retries with a clear network error', async () => {
    const { f, calls } = scripted([new TypeError('x'), new TypeError('x'), new TypeError('x'), new TypeError('x')]);
    const e = await rejection(new HttpAdapter(opts, f).catalog());
    expect(e).toMatchObject({ status: 0, code: 'network_error' });
    expect(calls).toHaveLength(4);
  });

  it('times out each attempt (10 s by default) and says so', async () => {
    expect(new HttpAdapter({ baseUrl: 'http://x.test' }).options.timeoutMs).toBe(10_000);
    const { f, calls } = scripted(['hang', 'hang']);
    const e = await rejection(new HttpAdapter({ ...opts, timeoutMs: 20, retries: 1 }, f).catalog());
    expect(e).toMatchObject({ code: 'timeout' });
    expect(e.message).toMatch(/did not answer within 0.02 s/);
    expect(calls).toHaveLength(2);
  });

  it('sends one idempotency key per submit, the same on each retry, and retries a submit only because of it', async () => {
    const page = { id: 'hp_1', type: 'checkout_new', url: 'http://backend.test/hosted/checkout/hp_1', state: 'succeeded', embed: true, created_at: 1, expires_at: 2, object: 'hosted_page' };
    const { f, calls } = scripted([new TypeError('reset'), ok({ hosted_page: page })]);
    const r = await new HttpAdapter(opts, f).submitHostedPage('hp_1', {}, { idempotencyKey: 'k1', cardToken: 'tok_x' });
    expect(r.hosted_page.state).toBe('succeeded');
    const keys = calls.map((c) => (c.headers as Record<string, string>)['Chargebee-Idempotency-Key']);
    expect(keys).toEqual(['k1', 'k1']);
    expect(JSON.parse(String(calls[0]!.body))).toEqual({ card_token: 'tok_x' });
    expect(idempotencyKey()).not.toBe(idempotencyKey());
  });

  it('does not retry a 4xx, and turns an answer of the wrong shape into a clear error', async () => {
    const a = scripted([ok({ message: 'billing_address[zip] : has the wrong format', api_error_code: 'param_wrong_value', param: 'billing_address[zip]', errors: [{ param: 'billing_address[zip]', message: 'has the wrong format' }] }, 400)]);
    const e = await rejection(new HttpAdapter(opts, a.f).saveHostedPage('hp', {}));
    expect(a.calls).toHaveLength(1);
    expect(e).toMatchObject({ status: 400, message: 'has the wrong format', target: { group: 'address', field: 'zip' } });
    const b = scripted([ok({ plans: 'nope' })]);
    expect(await rejection(new HttpAdapter(opts, b.f).catalog())).toMatchObject({ code: 'invalid_response' });
  });

  it('lets the caller abort without an error to show, and refuses bad options by name', async () => {
    const { f } = scripted(['hang']);
    const ac = new AbortController();
    const p = new HttpAdapter(opts, f).catalog({ signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(() => new HttpAdapter({ baseUrl: 'not a url' })).toThrow(/option "baseUrl" must be a URL/);
    expect(() => new HttpAdapter({ baseUrl: 'http://x.test', timeoutMs: -1 })).toThrow(/option "timeoutMs"/);
  });

  it('maps API params to the place in the widget', () => {
    expect(errorTarget('billing_address[state_code]')).toEqual({ group: 'address', field: 'state_code' });
    expect(errorTarget('customer[email]')).toEqual({ group: 'customer', field: 'email' });
    expect(errorTarget('coupon_ids[0]')).toEqual({ group: 'coupon' });
    expect(errorTarget('plan_id')).toEqual({ group: 'plan', field: 'plan_id' });
    expect(errorTarget(undefined)).toEqual({ group: 'form' });
  });
});
