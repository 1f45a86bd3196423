import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../src/core/errors.js';
import { planSchema } from '../../src/core/schemas/plan.js';
import { ANSWER_BYTES, ANSWERS_PER_VERSION } from '../../src/server/catalog-store.js';
import { openStorage } from '../../src/server/db/index.js';
import { pageQuery } from '../../src/server/store.js';
import { Stores } from '../../src/server/stores.js';
import { backends, type TestServer } from './harness.js';

type Json = Record<string, any>;

/** List answers kept per catalog version and raw query string (CatalogStore.listBody, CatalogSnapshot.answer). */
describe('list answers kept per catalog version (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-answers-'));
  let storage: Awaited<ReturnType<typeof openStorage>>;
  let one: Stores;
  let other: Stores;
  const plan = (id: string, price: number) => ({ ...parseOrThrow(planSchema, { id, name: id, price }), created_at: 1, updated_at: 1, resource_version: 1 });
  const q = pageQuery({ limit: 10 }, {});
  /** The answer for `key`, and whether it was made anew (render called). */
  const ask = async (stores: Stores, key: string, parse = () => q) => {
    let made = false;
    const body = await stores.catalog.listBody(storage.db, 'plans', key, parse, (page) => {
      made = true;
      return JSON.stringify(page.items.map((x) => (JSON.parse(x) as Json).price));
    });
    return { body, made };
  };
  beforeAll(async () => {
    storage = await openStorage({ dataDir: dir });
    one = new Stores('site-one', storage.dialect);
    other = new Stores('site-two', storage.dialect);
    await storage.db.transaction().execute((trx) => one.plans.insert(trx, plan('p', 100)));
    await storage.db.transaction().execute((trx) => other.plans.insert(trx, plan('p', 900)));
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an answer while the version stands and makes it anew after a change', async () => {
    expect(await ask(one, 'limit=10')).toEqual({ body: '[100]', made: true });
    expect(await ask(one, 'limit=10')).toEqual({ body: '[100]', made: false });
    await storage.db.transaction().execute((trx) => one.plans.update(trx, plan('p', 150)));
    expect(await ask(one, 'limit=10')).toEqual({ body: '[150]', made: true });
  });

  it("never serves one site's answer to another for the same query", async () => {
    expect((await ask(one, 'limit=10')).body).toBe('[150]');
    expect(await ask(other, 'limit=10')).toEqual({ body: '[900]', made: true });
    expect((await ask(one, 'limit=10')).body).toBe('[150]');
  });

  it('keeps nothing for a query that is refused', async () => {
    const refuse = () => {
      throw new Error('refused');
    };
    await expect(ask(one, 'limit=bad', refuse)).rejects.toThrow('refused');
    await expect(ask(one, 'limit=bad', refuse)).rejects.toThrow('refused');
  });

  it('holds at most ANSWERS_PER_VERSION answers per version: further distinct queries are answered, not kept', async () => {
    await storage.db.transaction().execute((trx) => one.plans.update(trx, plan('p', 200)));
    for (let i = 0; i < ANSWERS_PER_VERSION + 50; i++) expect((await ask(one, `limit=10&n=${String(i)}`)).body).toBe('[200]');
    let remade = 0;
    for (let i = 0; i < ANSWERS_PER_VERSION + 50; i++) if ((await ask(one, `limit=10&n=${String(i)}`)).made) remade++;
    expect(remade).toBe(50);
    // A new version starts empty: the query that could not be kept is kept again.
    await storage.db.transaction().execute((trx) => one.plans.update(trx, plan('p', 250)));
    expect(await ask(one, `limit=10&n=${String(ANSWERS_PER_VERSION + 10)}`)).toEqual({ body: '[250]', made: true });
    expect((await ask(one, `limit=10&n=${String(ANSWERS_PER_VERSION + 10)}`)).made).toBe(false);
  });

  it('holds at most ANSWER_BYTES of text per version, long query strings counted', async () => {
    await storage.db.transaction().execute((trx) => one.plans.update(trx, plan('p', 300)));
    const long = (i: number) => `${String(i)}&${'x'.repeat(1024 * 1024)}`;
    const n = Math.ceil(ANSWER_BYTES / (1024 * 1024)) + 4;
    for (let i = 0; i < n; i++) await ask(one, long(i));
    let kept = 0;
    for (let i = 0; i < n; i++) if (!(await ask(one, long(i))).made) kept++;
    expect(kept).toBeGreaterThan(0);
    expect(kept * 1024 * 1024).toBeLessThanOrEqual(ANSWER_BYTES);
  });
});

describe.each(backends)('plan and addon lists kept per version over HTTP, two instances on one $kind database', (backend) => {
  let a: TestServer;
  let b: Awaited<ReturnType<TestServer['twin']>>;
  const list = async (server: { url: string }, path: string) => {
    const r = await fetch(server.url + path, { headers: { authorization: `Basic ${Buffer.from(`${a.site.api_key}:`).toString('base64')}` } });
    return { status: r.status, body: (await r.json()) as Json };
  };
  beforeAll(async () => {
    a = await backend.start();
    b = await a.twin();
    await a.cb.plan.create({ id: 'kept-plan', name: 'Kept', price: 1000, pricing_model: 'flat_fee' });
    await a.cb.addon.create({ id: 'kept-pack', name: 'Pack', type: 'quantity', charge_type: 'non_recurring', price: 500 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it("a price changed on one instance is in the other's next list answer for the very same query", async () => {
    expect((await list(b, '/api/v2/plans?limit=10')).body.list[0].plan.price).toBe(1000);
    expect((await list(b, '/api/v2/addons?limit=10')).body.list[0].addon.price).toBe(500);
    await a.cb.plan.update('kept-plan', { price: 1200 });
    await a.cb.addon.update('kept-pack', { price: 650 });
    expect((await list(b, '/api/v2/plans?limit=10')).body.list[0].plan.price).toBe(1200);
    expect((await list(b, '/api/v2/addons?limit=10')).body.list[0].addon.price).toBe(650);
  });

  it("a refused or different query string neither is kept nor changes another client's answer", async () => {
    const good = await list(b, '/api/v2/plans?limit=10');
    expect((await list(b, '/api/v2/plans?limit=10&bogus=1')).status).toBe(400);
    expect((await list(b, '/api/v2/plans?limit=10&bogus=1')).status).toBe(400);
    expect((await list(b, '/api/v2/plans?limit=1&status[is]=archived')).body.list).toEqual([]);
    expect(await list(b, '/api/v2/plans?limit=10')).toEqual(good);
  });
});
