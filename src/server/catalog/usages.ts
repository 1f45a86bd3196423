import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';

export type ItemType = 'plan' | 'addon' | 'coupon';

/**
 * Which subscriptions and invoices use which catalog items (the seeds' "linked" rule: a used item is archived, not
 * deleted, and only some of its fields may change). Billing records a use when it creates one; the catalog asks.
 */
export class Usages {
  constructor(private readonly d: Deps) {}

  async link(trx: Db, type: ItemType, ids: Iterable<string>, resourceType: 'subscription' | 'invoice', resourceId: string): Promise<void> {
    const rows = [...new Set(ids)].map((item_id) => ({ site_id: this.d.site.id, item_type: type, item_id, resource_type: resourceType, resource_id: resourceId }));
    if (rows.length) await trx.insertInto('item_usages').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }

  /** Whether a subscription or invoice uses the item. Takes the caller's transaction (SQLite has one connection). */
  async isLinked(db: Db, type: ItemType, id: string): Promise<boolean> {
    const row = await db
      .selectFrom('item_usages')
      .select('item_id')
      .where('site_id', '=', this.d.site.id)
      .where('item_type', '=', type)
      .where('item_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
