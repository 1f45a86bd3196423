import { sql } from 'kysely';
import type { Db } from './transaction.js';

/** A piece of the site's timed work: a subscription's next step, or a dunning retry of an invoice. */
export type DueItem = { readonly kind: 'subscription'; readonly id: string } | { readonly kind: 'invoice'; readonly id: string };

/**
 * The rows the life cycle works through, earliest first: subscriptions by `due_at` (Stores derives it from each
 * subscription) and invoices by `retry_at`. Several instances may work at once: each claims its item first.
 */
export class DueWork {
  constructor(private readonly siteId: string) {}

  /** The earliest item due by `until`; a dunning retry first when it falls before the next subscription step. */
  async next(db: Db, until: number): Promise<DueItem | undefined> {
    const sub = await db.selectFrom('subscriptions').select(['id', 'due_at']).where('site_id', '=', this.siteId).where('due_at', '<=', until).orderBy('due_at').limit(1).executeTakeFirst();
    const inv = await db.selectFrom('invoices').select(['id', 'retry_at']).where('site_id', '=', this.siteId).where('retry_at', '<=', until).orderBy('retry_at').limit(1).executeTakeFirst();
    if (inv && (!sub || Number(inv.retry_at) < Number(sub.due_at))) return { kind: 'invoice', id: inv.id };
    return sub && { kind: 'subscription', id: sub.id };
  }

  /**
   * Claims the item in the caller's transaction: on PostgreSQL this locks its row, and an instance that waited for
   * the lock finds it no longer due (false).
   */
  async claim(trx: Db, item: DueItem, until: number): Promise<boolean> {
    const r =
      item.kind === 'invoice'
        ? await trx.updateTable('invoices').set({ retry_at: sql`retry_at` }).where('site_id', '=', this.siteId).where('id', '=', item.id).where('retry_at', '<=', until).executeTakeFirst()
        : await trx.updateTable('subscriptions').set({ due_at: sql`due_at` }).where('site_id', '=', this.siteId).where('id', '=', item.id).where('due_at', '<=', until).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
