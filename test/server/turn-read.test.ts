import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../src/core/errors.js';
import { couponSchema } from '../../src/core/schemas/coupon.js';
import { planSchema } from '../../src/core/schemas/plan.js';
import { readRows } from '../../src/server/db/direct-read.js';
import { openStorage } from '../../src/server/db/index.js';
import { readOnly } from '../../src/server/db/read-only.js';
import { Stores } from '../../src/server/stores.js';
import { databaseChanged, requestArrived, TURN_KEYS, TurnMemo } from '../../src/server/turn-read.js';

/** The end of this turn of the event loop (the check phase, where a turn read is dropped). */
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('a turn memo', () => {
  it('keeps nothing outside a turn that a request opened', async () => {
    await nextTurn();
    const m = new TurnMemo<string>();
    m.set('s', 'k', 'v');
    expect(m.get('s', 'k')).toBeUndefined();
  });

  it('keeps a value for the rest of the turn, and not into the next', async () => {
    await nextTurn();
    requestArrived();
    const m = new TurnMemo<string>();
    m.set('s', 'k', 'v');
    requestArrived(); // a second request of the same turn shares it
    expect(m.get('s', 'k')).toBe('v');
    await nextTurn();
    expect(m.get('s', 'k')).toBeUndefined();
    requestArrived();
    expect(m.get('s', 'k')).toBeUndefined();
  });

  it('drops every value at once on a change', async () => {
    await nextTurn();
    requestArrived();
    const m = new TurnMemo<string>();
    m.set('s', 'k', 'v');
    databaseChanged();
    expect(m.get('s', 'k')).toBeUndefined();
    m.set('s', 'k', 'w');
    expect(m.get('s', 'k')).toBe('w');
  });

  it('keeps a bounded number of values in one turn', async () => {
    await nextTurn();
    requestArrived();
    const m = new TurnMemo<number>();
    for (let i = 0; i < TURN_KEYS + 10; i++) m.set(i % 2 ? 's1' : 's2', `k${String(i)}`, i);
    expect(m.get('s2', 'k0')).toBe(0);
    expect(m.get('s1', `k${String(TURN_KEYS - 1)}`)).toBe(TURN_KEYS - 1);
    expect(m.get('s2', `k${String(TURN_KEYS)}`)).toBeUndefined();
  });
});

/**
 * The SQLite reads that a turn shares (the catalog version, a coupon by id: what every estimate reads) are never
 * older than a write made in this process, by this connection or another to the same file, nor than the turn.
 */
describe('reads shared by the requests of one turn (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-turn-'));
  let storage: Awaited<ReturnType<typeof openStorage>>;
  let twin: Awaited<ReturnType<typeof openStorage>>;
  let stores: Stores;
  let onTwin: Stores;
  /** Another process's connection to the file: its commits pass through none of this process's code. */
  let outside: SQLite.Database;
  const plan = (price: number) => ({ ...parseOrThrow(planSchema, { id: 'p', name: 'P', price }), created_at: 1, updated_at: 1, resource_version: 1 });
  const coupon = (percentage: number) => ({
    ...parseOrThrow(couponSchema, { id: 'C', name: 'C', discount_type: 'percentage', discount_percentage: percentage, duration_type: 'forever' }),
    created_at: 1,
    updated_at: 1,
    resource_version: 1,
  });
  const price = async () => (await stores.catalog.snapshot(storage.db)).plan('p')?.price;
  const percentage = async () => (await stores.coupons.get(storage.db, 'C'))?.discount_percentage;
  beforeAll(async () => {
    storage = await openStorage({ dataDir: dir });
    twin = await openStorage({ dataDir: dir });
    stores = new Stores('site', storage.dialect);
    onTwin = new Stores('site', twin.dialect);
    await stores.plans.insert(storage.db, plan(100));
    await stores.coupons.insert(storage.db, coupon(10));
    outside = new SQLite(join(dir, 'paylit.sqlite'));
  });
  afterAll(async () => {
    outside.close();
    await twin.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes as another process would: the row and, for the catalog, a new version, in one transaction. */
  const writeOutside = (table: 'plans' | 'coupons', id: string, record: object) =>
    outside.transaction(() => {
      outside.prepare(`update ${table} set data = ? where site_id = 'site' and id = ?`).run(JSON.stringify(record), id);
      if (table === 'plans') outside.prepare(`update catalog_versions set version = ? where site_id = 'site'`).run(`outside-${String(Math.random())}`);
    })();

  it('shares one read between the requests of a turn, and reads again in the next turn', async () => {
    await nextTurn();
    expect(await price()).toBe(100); // the catalog loaded (outside a turn) before the turn starts
    requestArrived();
    expect(await price()).toBe(100);
    expect(await percentage()).toBe(10);
    // A commit this process cannot see happening is seen from the next turn on (turn-read.ts says why that holds).
    writeOutside('plans', 'p', plan(150));
    writeOutside('coupons', 'C', coupon(15));
    requestArrived();
    expect(await price()).toBe(100);
    expect(await percentage()).toBe(10);
    await nextTurn();
    requestArrived();
    expect(await price()).toBe(150);
    expect(await percentage()).toBe(15);
  });

  it('reads anew in the same turn once this connection wrote, with or without a transaction', async () => {
    await nextTurn();
    requestArrived();
    expect(await price()).toBe(150);
    expect(await percentage()).toBe(15);
    await stores.plans.update(storage.db, plan(200));
    expect(await price()).toBe(200);
    await storage.db.transaction().execute((trx) => stores.coupons.update(trx, coupon(20)));
    expect(await percentage()).toBe(20);
    await storage.db.transaction().execute((trx) => stores.plans.update(trx, plan(210)));
    expect(await price()).toBe(210);
    await stores.coupons.update(storage.db, coupon(21));
    expect(await percentage()).toBe(21);
  });

  it('reads anew in the same turn once another connection of this process committed', async () => {
    await nextTurn();
    requestArrived();
    expect(await price()).toBe(210);
    expect(await percentage()).toBe(21);
    await twin.db.transaction().execute(async (trx) => {
      await onTwin.plans.update(trx, plan(300));
      await onTwin.coupons.update(trx, coupon(30));
    });
    expect(await price()).toBe(300);
    expect(await percentage()).toBe(30);
  });

  it('never shares into a transaction, nor outside a turn a request opened', async () => {
    await nextTurn();
    requestArrived();
    expect(await percentage()).toBe(30);
    writeOutside('coupons', 'C', coupon(35));
    expect(await storage.db.transaction().execute(async (trx) => (await stores.coupons.get(trx, 'C'))?.discount_percentage)).toBe(35);
    await nextTurn();
    // No request arrived in this turn: the scheduler's reads, say, read for themselves.
    expect(await percentage()).toBe(35);
    writeOutside('coupons', 'C', coupon(36));
    expect(await percentage()).toBe(36);
  });

  it("hands out rows that cannot be changed in place (they may be another request's too)", async () => {
    await nextTurn();
    requestArrived();
    const q = storage.db.selectFrom('catalog_versions').select('version').where('site_id', '=', 'site').compile();
    const rows = await readRows(readOnly(storage.db), q);
    expect(await readRows(storage.db, q)).toBe(rows);
    expect(() => {
      (rows[0] as { version: string }).version = 'x';
    }).toThrow(TypeError);
  });
});
