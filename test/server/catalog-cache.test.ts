import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../src/core/errors.js';
import { planSchema } from '../../src/core/schemas/plan.js';
import { openStorage } from '../../src/server/db/index.js';
import type { RunningServer } from '../../src/server/server.js';
import { Stores } from '../../src/server/stores.js';
import { backends, ORIGIN, PUBLISHABLE_KEY, type TestServer } from './harness.js';

type Json = Record<string, any>;

/**
 * The catalog is held in memory per instance (src/server/catalog-store.ts); these prove it is never stale: a change
 * made through one instance is what the next request on the other charges, shows and refuses.
 */
describe.each(backends)('the catalog in memory, two instances on one $kind database', (backend) => {
  let a: TestServer;
  let b: RunningServer;
  const api = (server: { url: string }, path: string, form?: Record<string, string>) =>
    fetch(server.url + path, {
      method: form ? 'POST' : 'GET',
      headers: { authorization: `Basic ${Buffer.from(`${a.site.api_key}:`).toString('base64')}`, ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
  const estimate = async (server: { url: string }, form: Record<string, string>) => {
    const r = await api(server, '/api/v2/estimates/create_subscription', form);
    return { status: r.status, body: (await r.json()) as Json };
  };
  const browserCatalog = async (server: { url: string }) =>
    (await (await fetch(`${server.url}/api/browser/v2/catalog`, { headers: { 'x-paylit-publishable-key': PUBLISHABLE_KEY, origin: ORIGIN } })).json()) as Json;

  beforeAll(async () => {
    a = await backend.start();
    b = await a.twin();
    await a.cb.addon.create({ id: 'cache-pack', name: 'Pack', type: 'quantity', charge_type: 'non_recurring', price: 500 });
    await a.cb.plan.create({ id: 'cache-plan', name: 'Cached', price: 1000, pricing_model: 'flat_fee' });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('a plan price changed on one instance is what the next estimate and checkout on the other charge', async () => {
    const cart = { 'subscription[plan_id]': 'cache-plan' };
    // Both instances have read (and so hold) the catalog.
    expect((await estimate(a, cart)).body.estimate.invoice_estimate.sub_total).toBe(1000);
    expect((await estimate(b, cart)).body.estimate.invoice_estimate.sub_total).toBe(1000);
    expect(((await (await api(b, '/api/v2/plans/cache-plan')).json()) as Json).plan.price).toBe(1000);
    await a.cb.plan.update('cache-plan', { price: 1500 });
    expect((await estimate(b, cart)).body.estimate.invoice_estimate.sub_total).toBe(1500);
    // The plan and its list, answered from the snapshot in memory, are the new ones too.
    expect(((await (await api(b, '/api/v2/plans/cache-plan')).json()) as Json).plan.price).toBe(1500);
    const listed = (await (await api(b, '/api/v2/plans?limit=100')).json()) as Json;
    expect(listed.list.find((x: Json) => x.plan.id === 'cache-plan').plan.price).toBe(1500);
    await (await api(b, '/api/v2/plans/cache-plan', { price: '1700' })).json();
    expect((await estimate(a, cart)).body.estimate.invoice_estimate.sub_total).toBe(1700);
    // The page made on the other instance opens with the new price.
    const made = (await (await api(b, '/api/v2/hosted_pages/checkout_new', cart)).json()) as Json;
    const token = new URL(made.hosted_page.url).hash.replace('#token=', '');
    const view = (await (await fetch(`${a.url}/api/browser/v2/hosted_pages/${made.hosted_page.id}`, { headers: { 'x-paylit-hosted-page-token': token } })).json()) as Json;
    expect(view.catalog.plans[0]).toMatchObject({ id: 'cache-plan', price: 1700 });
    expect(view.estimate.invoice_estimate.sub_total).toBe(1700);
  });

  it("an addon's new price, a new addon and a deleted one are seen by the other instance's next request", async () => {
    const cart = (addon: string) => ({ 'subscription[plan_id]': 'cache-plan', 'addons[id][0]': addon, 'addons[quantity][0]': '2' });
    expect((await estimate(b, cart('cache-pack'))).body.estimate.invoice_estimate.sub_total).toBe(1700 + 1000);
    expect(((await (await api(b, '/api/v2/addons/cache-pack')).json()) as Json).addon.price).toBe(500);
    await a.cb.addon.update('cache-pack', { price: 650 });
    expect((await estimate(b, cart('cache-pack'))).body.estimate.invoice_estimate.sub_total).toBe(1700 + 1300);
    expect(((await (await api(b, '/api/v2/addons/cache-pack')).json()) as Json).addon.price).toBe(650);

    expect((await estimate(b, cart('cache-new'))).status).toBe(400);
    await a.cb.addon.create({ id: 'cache-new', name: 'New', type: 'quantity', charge_type: 'non_recurring', price: 100 });
    expect((await estimate(b, cart('cache-new'))).body.estimate.invoice_estimate.sub_total).toBe(1700 + 200);
    expect((await browserCatalog(b)).addons.map((x: Json) => x.id)).toContain('cache-new');

    expect((await api(b, '/api/v2/addons/cache-new')).status).toBe(200);
    await a.cb.addon.delete('cache-new');
    expect((await api(b, '/api/v2/addons/cache-new')).status).toBe(404);
    expect(((await (await api(b, '/api/v2/addons?limit=100')).json()) as Json).list.map((x: Json) => x.addon.id)).not.toContain('cache-new');
    const refused = await estimate(b, cart('cache-new'));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ param: 'addons[id][0]' });
    expect((await browserCatalog(b)).addons.map((x: Json) => x.id)).not.toContain('cache-new');
  });

  it('a list answered before a change is answered anew after it, for the very same query string', async () => {
    const list = async (server: { url: string }, query: string) => {
      const r = await api(server, `/api/v2/plans?${query}`);
      return { status: r.status, body: (await r.json()) as Json };
    };
    const priceIn = (body: Json) => body.list.find((x: Json) => x.plan.id === 'cache-plan')?.plan.price as number | undefined;
    const query = 'limit=50&status[is]=active';
    expect(priceIn((await list(b, query)).body)).toBe(1700);
    expect(priceIn((await list(b, query)).body)).toBe(1700); // answered from the version's kept answers
    await a.cb.plan.update('cache-plan', { price: 1800 });
    expect(priceIn((await list(b, query)).body)).toBe(1800);
    // A bad query is refused each time, naming its field, and leaves the good one as it was.
    for (let i = 0; i < 2; i++) expect(await list(b, 'limit=0')).toMatchObject({ status: 400, body: { param: 'limit' } });
    // Thousands of distinct queries (a crawler's, an attacker's) change nothing another client is answered.
    for (let i = 0; i < 600; i++) expect((await list(b, `limit=${String(1 + (i % 100))}&offset_filler=${String(i)}`)).status).toBe(400);
    for (let i = 0; i < 300; i++) await list(b, `limit=${String(1 + (i % 100))}&status[is_not]=archived&id[is_not]=x${String(i)}`);
    expect(priceIn((await list(b, query)).body)).toBe(1800);
    await a.cb.plan.update('cache-plan', { price: 1700 });
    expect(priceIn((await list(b, query)).body)).toBe(1700);
    expect(priceIn((await list(b, `limit=100&status[is_not]=archived&id[is_not]=x299`)).body)).toBe(1700);
  });

  it('a plan taken out of hosted pages on one instance is refused by the next checkout on the other', async () => {
    expect((await api(b, '/api/v2/hosted_pages/checkout_new', { 'subscription[plan_id]': 'cache-plan' })).status).toBe(200);
    expect((await browserCatalog(b)).plans.map((x: Json) => x.id)).toContain('cache-plan');
    await a.cb.plan.update('cache-plan', { enabled_in_hosted_pages: false });
    const r = await api(b, '/api/v2/hosted_pages/checkout_new', { 'subscription[plan_id]': 'cache-plan' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ param: 'subscription[plan_id]' });
    expect((await browserCatalog(b)).plans.map((x: Json) => x.id)).not.toContain('cache-plan');
  });
});

describe('the catalog snapshot and transactions (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-catalog-'));
  let storage: Awaited<ReturnType<typeof openStorage>>;
  let stores: Stores;
  const plan = (price: number) => ({ ...parseOrThrow(planSchema, { id: 'p', name: 'P', price }), created_at: 1, updated_at: 1, resource_version: 1 });
  beforeAll(async () => {
    storage = await openStorage({ dataDir: dir });
    stores = new Stores('site', storage.dialect);
    await stores.plans.insert(storage.db, plan(100));
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write that rolls back leaves the catalog as it was, in memory too; one that commits is read next', async () => {
    expect((await stores.catalog.snapshot(storage.db)).plan('p')?.price).toBe(100);
    await expect(
      storage.db.transaction().execute(async (trx) => {
        await stores.plans.update(trx, plan(200));
        // The writer reads its own change.
        expect((await stores.catalog.snapshot(trx)).plan('p')?.price).toBe(200);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await stores.catalog.snapshot(storage.db)).plan('p')?.price).toBe(100);
    await storage.db.transaction().execute((trx) => stores.plans.update(trx, plan(300)));
    expect((await stores.catalog.snapshot(storage.db)).plan('p')?.price).toBe(300);
  });

  it("keeps a version's answers up to a bound, so answers nobody repeats cannot grow it", async () => {
    const snap = await stores.catalog.snapshot(storage.db);
    let made = 0;
    const make = (body: string) => () => (made++, body);
    for (let i = 0; i < 1_000; i++) snap.answer(`q${String(i)}`, make(`answer ${String(i)}`));
    expect(made).toBe(1_000);
    // The first answers were kept; one past the bound is made again each time it is asked.
    expect(snap.answer('q0', make('again'))).toBe('answer 0');
    expect(made).toBe(1_000);
    expect(snap.answer('q999', make('answer 999'))).toBe('answer 999');
    expect(made).toBe(1_001);
    // A body of megabytes is not kept either.
    const big = 'x'.repeat(9_000_000);
    expect(new Set([snap.answer('big', make(big)), snap.answer('big', make(big))]).size).toBe(1);
    expect(made).toBe(1_003);
    // Nor is an answer whose making threw (a bad parameter), nor one made elsewhere (undefined).
    expect(() => snap.answer('bad', () => { throw new Error('bad'); })).toThrow('bad');
    expect(snap.answer('bad', make('now good'))).toBe('now good');
    expect(snap.answer('elsewhere', () => undefined)).toBeUndefined();
  });

  it('serves one snapshot while the version stands, and its records cannot be changed in place', async () => {
    const first = await stores.catalog.snapshot(storage.db);
    expect(await stores.catalog.snapshot(storage.db)).toBe(first);
    expect(() => {
      (first.plan('p') as { price: number }).price = 1;
    }).toThrow(TypeError);
    expect(first.plan('p')?.price).toBe(300);
  });
});

/** Holds the answer of the next query made through it until released: a read the database answered, still in flight. */
function heldAnswer() {
  let reached!: () => void;
  let release!: () => void;
  const held = new Promise<void>((r) => (reached = r));
  const released = new Promise<void>((r) => (release = r));
  let armed = true;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (armed) {
        armed = false;
        reached();
        await released;
      }
      return args.result;
    },
  };
  return { plugin, held, release };
}

const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
const databases = [{ kind: 'sqlite' as const }, ...(pgUrl ? [{ kind: 'postgres' as const }] : [])];

describe.each(databases)('version reads shared by concurrent requests ($kind)', ({ kind }) => {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-shared-'));
  const where = { dataDir: dir, ...(kind === 'postgres' && { databaseUrl: pgUrl, schema: `t_shared_${String(process.pid)}_${String(Date.now())}` }) };
  let a: Awaited<ReturnType<typeof openStorage>>;
  let b: Awaited<ReturnType<typeof openStorage>>;
  let onA: Stores;
  let onB: Stores;
  const plan = (price: number) => ({ ...parseOrThrow(planSchema, { id: 'p', name: 'P', price }), created_at: 1, updated_at: 1, resource_version: 1 });
  beforeAll(async () => {
    a = await openStorage(where);
    b = await openStorage(where);
    onA = new Stores('site', a.dialect);
    onB = new Stores('site', b.dialect);
    await b.db.transaction().execute((trx) => onB.plans.insert(trx, plan(100)));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a request that arrives after another instance committed a price sees it, though a read from before is in flight', async () => {
    expect((await onA.catalog.snapshot(a.db)).plan('p')?.price).toBe(100);
    const gate = heldAnswer();
    // A request on A whose version read the database has answered (the old version) before B's commit...
    const before = onA.catalog.snapshot(a.db.withPlugin(gate.plugin));
    await gate.held;
    await b.db.transaction().execute((trx) => onB.plans.update(trx, plan(200)));
    // ...and requests on A that arrive after that commit, one of them in a transaction (as a checkout reads).
    const after = onA.catalog.snapshot(a.db);
    const afterInTransaction = a.db.transaction().execute((trx) => onA.catalog.snapshot(trx));
    gate.release();
    expect((await before).plan('p')?.price).toBe(100); // it arrived before the commit: the old price is its answer
    expect((await after).plan('p')?.price).toBe(200);
    expect((await afterInTransaction).plan('p')?.price).toBe(200);
  });

  it('requests at the same time share version reads, and each sees the price committed before it arrived', async () => {
    let price = 200;
    const seen: Array<Promise<void>> = [];
    for (let round = 0; round < 20; round++) {
      price += 10;
      const committed = price;
      await b.db.transaction().execute((trx) => onB.plans.update(trx, plan(committed)));
      for (let i = 0; i < 10; i++) {
        seen.push(onA.catalog.snapshot(a.db).then((s) => expect(s.plan('p')?.price).toBeGreaterThanOrEqual(committed)));
      }
    }
    await Promise.all(seen);
  });
});
