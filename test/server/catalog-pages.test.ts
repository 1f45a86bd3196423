import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../src/core/errors.js';
import { addonSchema } from '../../src/core/schemas/addon.js';
import { planSchema } from '../../src/core/schemas/plan.js';
import { openStorage } from '../../src/server/db/index.js';
import { encodeOffset, type ListQuery, pageInMemory, pagesInMemory } from '../../src/server/store.js';
import { Stores } from '../../src/server/stores.js';

const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
const databases = [{ kind: 'sqlite' as const }, ...(pgUrl ? [{ kind: 'postgres' as const }] : [])];

/** A small deterministic generator, so a failure names a query that can be run again. */
function random(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}

const DAY = 86_400;
const T0 = 1_700_000_000;

/**
 * The plan and addon lists are answered from the catalog in memory (pageInMemory); the database's query
 * (ResourceStore.listJson) is the definition. Every query here, with its pages followed to the end, gets the same
 * answer from both, or the same error.
 */
describe.each(databases)('a catalog list page from memory is the page the database reads ($kind)', ({ kind }) => {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-pages-'));
  let storage: Awaited<ReturnType<typeof openStorage>>;
  let stores: Stores;
  const ids: string[] = [];
  beforeAll(async () => {
    storage = await openStorage({ dataDir: dir, ...(kind === 'postgres' && { databaseUrl: pgUrl, schema: `t_pages_${String(process.pid)}_${String(Date.now())}` }) });
    stores = new Stores('site', storage.dialect);
    const r = random(7);
    await storage.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 24; i++) {
        // Several records share a creation time (the seq breaks the tie) and a day.
        const created = T0 + Math.floor(i / 3) * (i % 2 ? 600 : DAY);
        const id = `${r.pick(['basic', 'Basic', 'pro', 'team'])}-${String(i)}`;
        ids.push(id);
        const common = { id, name: `N${String(i)}`, price: 100 * i, currency_code: r.pick(['USD', 'EUR', 'GBP']), status: r.pick(['active', 'active', 'archived', 'deleted']) };
        const stamps = { created_at: created, updated_at: created + r.pick([0, 10, DAY, 3 * DAY]), resource_version: 1 };
        await stores.plans.insert(trx, { ...parseOrThrow(planSchema, { ...common, enabled_in_hosted_pages: r.chance(0.7) }), ...stamps });
        const charge = r.pick(['recurring', 'non_recurring'] as const);
        await stores.addons.insert(trx, { ...parseOrThrow(addonSchema, { ...common, charge_type: charge, type: 'quantity', ...(charge === 'recurring' && { period: 1, period_unit: 'month' }) }), ...stamps });
      }
    });
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outcome = async <T>(f: () => Promise<T> | T) => {
    try {
      return { ok: await f() };
    } catch (e) {
      return { error: (e as Error).message, param: (e as { param?: unknown }).param };
    }
  };

  function query(r: ReturnType<typeof random>, kindOf: 'plans' | 'addons'): ListQuery {
    const some = () => [r.pick(ids), r.pick(ids), 'nope'].slice(0, 1 + Math.floor(r.next() * 3));
    const time = () => {
      const at = T0 + Math.floor(r.next() * 9) * DAY + r.pick([0, 600, -1]);
      return r.pick([{ after: at }, { before: at }, { on: at }, { after: at - DAY, before: at + DAY }]);
    };
    const stringFilter = (values: string[]) => r.pick([{ is: r.pick(values) }, { is_not: r.pick(values) }, { in: [r.pick(values), r.pick(values)] }, { not_in: [r.pick(values)] }, { in: [] }, { not_in: [] }]);
    const columns: ListQuery['columns'] = {};
    if (r.chance(0.4)) columns.status = stringFilter(['active', 'archived', 'deleted', 'nope']);
    if (r.chance(0.3)) columns.currency_code = stringFilter(['USD', 'EUR', 'GBP', 'usd']);
    if (kindOf === 'plans' && r.chance(0.3)) columns.enabled_in_hosted_pages = { is: r.pick([0, 1]) };
    if (kindOf === 'addons' && r.chance(0.3)) columns.charge_type = stringFilter(['recurring', 'non_recurring']);
    return {
      limit: r.pick([1, 2, 3, 5, 10, 100]),
      ...(r.chance(0.3) && { id: r.pick([{ is: r.pick(ids) }, { is_not: r.pick(ids) }, { in: some() }, { not_in: some() }, { in: [] }]) }),
      ...(r.chance(0.3) && { created_at: time() }),
      ...(r.chance(0.2) && { updated_at: time() }),
      ...(r.chance(0.4) && { sort_by: r.pick([{ asc: 'created_at' as const }, { desc: 'created_at' as const }, { asc: 'created_at' as const, desc: 'created_at' as const }]) }),
      ...(r.chance(0.1) && { offset: r.pick(['not-an-offset', encodeOffset(T0 + DAY, 5), encodeOffset(T0 + 600, 0)]) }),
      columns,
    };
  }

  it.each(['plans', 'addons'] as const)('%s: 400 random queries, every page followed to the end', async (kindOf) => {
    const r = random(kindOf === 'plans' ? 11 : 13);
    const rows = await stores[kindOf].allStored(storage.db);
    let pages = 0;
    for (let n = 0; n < 400; n++) {
      let q = query(r, kindOf);
      expect(pagesInMemory(q)).toBe(true);
      for (;;) {
        const fromDb = await outcome(() => stores[kindOf].listJson(storage.db, q));
        const fromMemory = await outcome(() => pageInMemory(rows, q));
        expect(fromMemory, JSON.stringify(q)).toEqual(fromDb);
        pages++;
        const next = fromDb.ok?.next_offset;
        if (next === undefined) break;
        q = { ...q, offset: next };
      }
    }
    expect(pages).toBeGreaterThan(400);
  });

  it('id[starts_with] is left to the database (its LIKE differs between them), through the catalog store too', async () => {
    const q: ListQuery = { limit: 100, id: { starts_with: 'basic' }, columns: {} };
    expect(pagesInMemory(q)).toBe(false);
    const render = (page: { items: string[]; next_offset?: string }) => JSON.stringify(page);
    expect(await stores.catalog.listBody(storage.db, 'plans', 'id[starts_with]=basic', () => q, render)).toBe(render(await stores.plans.listJson(storage.db, q)));
  });
});
