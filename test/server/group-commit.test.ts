import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredHostedPage } from '../../src/server/billing/records.js';
import { readOnly, WriteRefusedError } from '../../src/server/db/read-only.js';
import type { RunningServer } from '../../src/server/server.js';
import { Stores } from '../../src/server/stores.js';
import { backends, type TestServer } from './harness.js';

const form = { 'subscription[plan_id]': 'credits-starter', 'addons[id][0]': 'credits-500', 'addons[quantity][0]': '2', redirect_url: 'https://shop.example/thanks' };

describe.each(backends)('checkout_new through a group commit on $kind', (backend) => {
  let s: TestServer;
  let twin: RunningServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
    twin = await s.twin();
  });
  afterAll(async () => {
    await twin.close();
    await s.close();
  });
  const stored = (db: RunningServer['storage']['db'], id: string) =>
    db.selectFrom('hosted_pages').select(['id', 'seq']).where('site_id', '=', s.site.id).where('id', '=', id).executeTakeFirst();

  it('answers each of many concurrent checkouts only once its page has committed (read at once by another instance)', async () => {
    const seen = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await s.api('/api/v2/hosted_pages/checkout_new', { form });
        expect(res.status).toBe(200);
        const { hosted_page } = (await res.json()) as { hosted_page: { id: string } };
        const row = await stored(twin.storage.db, hosted_page.id);
        expect(row?.id).toBe(hosted_page.id);
        return { id: hosted_page.id, seq: Number(row!.seq) };
      }),
    );
    expect(new Set(seen.map((x) => x.id)).size).toBe(40);
    expect(new Set(seen.map((x) => x.seq)).size).toBe(40);
    const r = await twin.storage.db.selectFrom('hosted_pages').select('id').where('site_id', '=', s.site.id).execute();
    expect(r.map((x) => x.id)).toEqual(expect.arrayContaining(seen.map((x) => x.id)));
  });

  it('a refused checkout among concurrent ones is refused alone, and writes nothing', async () => {
    const bad = { ...form, 'subscription[plan_id]': 'no-such-plan' };
    const results = await Promise.all([form, bad, form, form].map(async (f) => (await s.api('/api/v2/hosted_pages/checkout_new', { form: f })).status));
    expect(results).toEqual([200, 400, 200, 200]);
  });

  it('a page whose insert fails in a group fails alone; the others of its group commit', async () => {
    const stores = new Stores(s.site.id, s.storage.dialect);
    const [existing] = (await stores.hostedPages.list(s.storage.db, { limit: 1 })).items;
    expect(existing).toBeDefined();
    const copy = (id: string): StoredHostedPage => ({ ...existing!, id, page: { ...existing!.page, id } });
    const ids = ['hp_group_a', existing!.id, 'hp_group_b', 'hp_group_c'];
    const outcomes = await Promise.allSettled(ids.map((id) => stores.hostedPages.insertGrouped(s.storage.db, copy(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    for (const id of ['hp_group_a', 'hp_group_b', 'hp_group_c']) expect((await stored(twin.storage.db, id))?.id).toBe(id);
  });

  it('keeps idempotency keys: the same key replays the first answer, another body with it is a 409', async () => {
    const keyed = (f: Record<string, string>) => s.api('/api/v2/hosted_pages/checkout_new', { form: f, headers: { 'chargebee-idempotency-key': `group-${backend.kind}` } });
    const [a, b] = await Promise.all([keyed(form), keyed(form)]);
    const pa = (await a.json()) as { hosted_page: { id: string } };
    const pb = (await b.json()) as { hosted_page: { id: string } };
    expect(pa.hosted_page.id).toBe(pb.hosted_page.id);
    expect([a.headers.get('chargebee-idempotency-replayed'), b.headers.get('chargebee-idempotency-replayed')]).toContain('true');
    const again = await keyed(form);
    expect(again.headers.get('chargebee-idempotency-replayed')).toBe('true');
    expect(((await again.json()) as { hosted_page: { id: string } }).hosted_page.id).toBe(pa.hosted_page.id);
    expect((await keyed({ ...form, 'addons[quantity][0]': '3' })).status).toBe(409);
    const n = await twin.storage.db.selectFrom('hosted_pages').select('id').where('site_id', '=', s.site.id).where('id', '=', pa.hosted_page.id).execute();
    expect(n.length).toBe(1);
  });

  it('the checks run on a connection that reads and refuses every write', async () => {
    const ro = readOnly(s.storage.db);
    expect((await ro.selectFrom('plans').select('id').where('site_id', '=', s.site.id).execute()).length).toBeGreaterThan(0);
    const before = await s.snapshot();
    await expect(ro.updateTable('plans').set({ status: 'archived' }).where('site_id', '=', s.site.id).execute()).rejects.toThrow(WriteRefusedError);
    await expect(ro.insertInto('catalog_versions').values({ site_id: s.site.id, version: 'x' }).onConflict((oc) => oc.column('site_id').doUpdateSet({ version: 'x' })).execute()).rejects.toThrow(WriteRefusedError);
    await expect(ro.transaction().execute((trx) => trx.deleteFrom('plans').where('site_id', '=', s.site.id).execute())).rejects.toThrow(WriteRefusedError);
    expect(await s.snapshot()).toBe(before);
  });
});
