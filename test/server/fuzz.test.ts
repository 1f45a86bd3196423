import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, CARDS, cardToken, ORIGIN, type TestServer } from './harness.js';
import { type FuzzRequest, type Known, requests, type Route } from './fuzz-requests.js';

/**
 * Every GET and POST route of the merchant and browser APIs under hostile requests (fuzz-requests.ts), against the
 * real backend on SQLite and PostgreSQL. For each request: no 5xx and no hang; a 4xx has Chargebee's error shape,
 * names its parameter when it says a parameter is wrong, and changed nothing in the database; and afterwards the
 * server still answers a normal request normally (one crafted request once broke every later one).
 *
 * Seeded and bounded for `npm test` (PAYLIT_FUZZ_RUNS requests to each route); `npm run fuzz` runs it longer.
 */
/** Requests per route (about 60 routes). */
const RUNS = Number(process.env.PAYLIT_FUZZ_RUNS ?? 8);
const SEED = Number(process.env.PAYLIT_FUZZ_SEED ?? 20261201);
type Json = Record<string, any>;

/** Written by design as requests come and go, whatever their answer: the idempotency answers and the webhook log. */
const BOOKKEEPING = ['idempotency_keys', 'webhook_deliveries', 'webhook_attempts'];
/** Wipes the site's test data by design (tested in subscriptions.test.ts); it would leave the fuzzer nothing to aim at. */
const LEFT_OUT = new Set(['POST /api/v2/time_machines/:name/start_afresh']);
const ENDS = /logout|cancel$|travel_forward/;
/** Codes that say one parameter is wrong: such an error must name it. */
const PARAM_CODES = new Set(['param_wrong_value', 'duplicate_entry']);

/** fast-check's report, without the megabytes a hostile counterexample holds. */
function brief(run: fc.RunDetails<[FuzzRequest]>): void {
  if (!run.failed) return;
  const cut = (x: string) => (x.length > 600 ? `${x.slice(0, 600)}… (${String(x.length)} characters)` : x);
  const [r] = run.counterexample ?? [];
  const request = r && cut(JSON.stringify({ method: r.method, path: r.path, headers: r.headers, body: r.body }));
  const error = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
  throw new Error(`fuzz failed (seed ${String(run.seed)}, path ${String(run.counterexamplePath)}) on\n${request ?? '?'}\n${cut(error)}`);
}

describe.each(backends)('the API under hostile requests on $kind', (backend) => {
  let s: TestServer;
  let known: Known;
  let routes: Route[];
  const statuses = new Map<number, number>();
  const byRoute = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_BROWSER_RATE_LIMIT: '1000000' });
    routes = [...new Map(s.app.routes.filter((r) => (r.method === 'GET' || r.method === 'POST') && r.path.startsWith('/api/')).map((r) => [`${r.method} ${r.path}`, { method: r.method as Route['method'], path: r.path }])).entries()]
      .filter(([k]) => !LEFT_OUT.has(k))
      .map(([, r]) => r)
      // What ends the seeded sessions and pages, or moves the clock, goes last, so every other route meets them alive.
      .sort((a, b) => Number(ENDS.test(a.path)) - Number(ENDS.test(b.path)));

    // A customer who has paid (customer, subscription, invoice, card, transaction, events), an open page, a portal session.
    const paid = (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 1 }], customer: { email: 'fuzz@example.com' } })).hosted_page as Json;
    const paidToken = new URL(paid.url).hash.replace('#token=', '');
    const res = await fetch(`${s.url}/api/browser/v2/hosted_pages/${paid.id}/submit`, {
      method: 'POST',
      headers: { 'x-paylit-hosted-page-token': paidToken, 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ card_token: await cardToken(s, CARDS.ok) }),
    });
    const { hosted_page } = (await res.json()) as Json;
    const { customer, subscription, invoice } = hosted_page.content;
    const open = (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-500', quantity: 2 }] })).hosted_page as Json;
    const session = (await s.cb.portalSession.create({ customer: { id: customer.id } })).portal_session as Json;
    const activated = (await (await fetch(`${s.url}/api/browser/v2/portal_sessions/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ id: session.id, token: session.token }),
    })).json()) as Json;
    const ids = async (list: Promise<unknown>, key: string) => (((await list) as { list: Json[] }).list).map((x) => x[key].id as string);
    known = {
      ids: {
        plans: await ids(s.cb.plan.list({ limit: 5 }), 'plan'),
        addons: await ids(s.cb.addon.list({ limit: 5 }), 'addon'),
        coupons: await ids(s.cb.coupon.list({ limit: 3 }), 'coupon'),
        events: await ids(s.cb.event.list({ limit: 3 }), 'event'),
        transactions: await ids(s.cb.transaction.list({ limit: 2 }), 'transaction'),
        customers: [customer.id],
        subscriptions: [subscription.id],
        invoices: [invoice.id],
        payment_sources: [customer.primary_payment_source_id],
        hosted_pages: [open.id, paid.id],
        portal_sessions: [session.id],
        card_tokens: [await cardToken(s, CARDS.threeDs)],
        time_machines: ['delorean'],
      },
      apiKey: s.site.api_key,
      publishableKey: s.site.publishable_key,
      hostedPage: { id: open.id, token: new URL(open.url).hash.replace('#token=', '') },
      portalKey: activated.portal_key,
      ownOrigin: s.url,
      allowedOrigin: ORIGIN,
    };
  });

  afterAll(async () => {
    const byClass = [...statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${String(code)}×${String(n)}`).join(' ');
    console.log(`fuzz on ${backend.kind}: ${String([...statuses.values()].reduce((a, b) => a + b, 0))} requests over ${String(routes.length)} routes (seed ${String(SEED)}): ${byClass}`);
    if (process.env.PAYLIT_FUZZ_VERBOSE) for (const [route, st] of byRoute) console.log(`  ${route}: ${[...st].map(([c, n]) => `${String(c)}×${String(n)}`).join(' ')}`);
    await s?.close();
  });

  const send = (r: FuzzRequest) =>
    fetch(s.url + r.path, { method: r.method, headers: r.headers, ...(r.body !== undefined && { body: r.body }), signal: AbortSignal.timeout(10_000) });

  it('never answers 5xx or hangs; refusals have the error shape, name their parameter and change nothing; the next request is served as normal', { timeout: 600_000 }, async () => {
    let before = await s.snapshot(BOOKKEEPING);
    for (const [i, route] of routes.entries()) {
      await fc.assert(
      fc.asyncProperty(requests(route, known), async (r) => {
        const res = await send(r);
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const mine = byRoute.get(r.route) ?? new Map<number, number>();
        byRoute.set(r.route, mine.set(res.status, (mine.get(res.status) ?? 0) + 1));
        const shown = `${r.method} ${r.path.slice(0, 200)} -> ${String(res.status)} ${text.slice(0, 300)}`;
        expect(res.status, shown).toBeLessThan(500);
        const after = await s.snapshot(BOOKKEEPING);
        if (res.status >= 400) {
          const e = JSON.parse(text) as Json;
          expect(e, shown).toMatchObject({ message: expect.any(String), api_error_code: expect.any(String), http_status_code: res.status });
          expect(e.message.length, shown).toBeGreaterThan(0);
          if (PARAM_CODES.has(e.api_error_code)) expect(e.param, shown).toEqual(expect.any(String));
          if (e.param !== undefined) expect(e.param.length, shown).toBeGreaterThan(0);
          expect(after === before, `${shown}\nchanged the database`).toBe(true);
        }
        before = after;
        // The site answers everyone else as before.
        const normal = await s.api('/api/v2/plans?limit=1', { signal: AbortSignal.timeout(10_000) });
        expect(normal.status, `after ${shown}`).toBe(200);
        expect(((await normal.json()) as Json).list).toHaveLength(1);
      }),
        { numRuns: RUNS, seed: SEED + i, endOnFailure: true, reporter: brief },
      );
    }
  });
});
