import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Db } from './transaction.js';
import type { Database } from './types.js';

/** One idempotency key of one site, kept apart per scope (the merchant API, or one browser credential). */
export interface KeyRef {
  readonly site: string;
  readonly scope: string;
  readonly key: string;
}

/** What a request with a key may do: run (it holds the key now), replay the stored answer, or neither yet. */
export type Claim =
  | { readonly kind: 'run' }
  | { readonly kind: 'replay'; readonly status: number; readonly body: string }
  | { readonly kind: 'reused' }
  | { readonly kind: 'busy' };

/**
 * The rows behind Chargebee's idempotency keys. A key is held by the request that first inserts it ('processing',
 * with a lock that runs out so a crashed holder's key can be taken over) until its answer is stored ('done').
 * Times are server milliseconds, never the site's travelled clock: a key lives 24 real hours.
 */
export class IdempotencyKeys {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lockMs: number,
    private readonly ttlMs: number,
  ) {}

  /** One try at taking the key for a request whose body hashes to `hash`. */
  async claim(ref: KeyRef, hash: string, now: number): Promise<Claim> {
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ site_id: ref.site, scope: ref.scope, key: ref.key, request_hash: hash, status: 'processing', response_status: null, response_body: null, locked_until: now + this.lockMs, created_at: now, expires_at: now + this.ttlMs })
      .onConflict((oc) => oc.columns(['site_id', 'scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'run' };
    const row = await this.db.selectFrom('idempotency_keys').selectAll().where(of(ref)).executeTakeFirst();
    if (!row) return { kind: 'busy' }; // released in between: try again
    if (Number(row.expires_at) <= now) {
      await this.db.deleteFrom('idempotency_keys').where(of(ref)).where('expires_at', '<=', now).execute();
      return { kind: 'busy' };
    }
    if (row.request_hash !== hash) return { kind: 'reused' };
    if (row.status === 'done') return { kind: 'replay', status: Number(row.response_status), body: row.response_body ?? '' };
    if (Number(row.locked_until) >= now) return { kind: 'busy' };
    // The holder's process stopped without an answer (its work rolled back with it): take the key over, once.
    const took = await this.db.updateTable('idempotency_keys').set({ locked_until: now + this.lockMs }).where(of(ref))
      .where('status', '=', 'processing')
      .where('locked_until', '=', row.locked_until)
      .executeTakeFirst();
    return Number(took.numUpdatedRows) === 1 ? { kind: 'run' } : { kind: 'busy' };
  }

  /** Stores the answer; in the work's own transaction when `db` is it. */
  async finish(ref: KeyRef, status: number, body: string, db: Db = this.db): Promise<void> {
    await db.updateTable('idempotency_keys').set({ status: 'done', response_status: status, response_body: body }).where(of(ref)).execute();
  }

  /** Gives the key up without an answer (the work failed on the server's side and rolled back). */
  async release(ref: KeyRef): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where(of(ref)).where('status', '=', 'processing').execute();
  }

  /** Drops keys older than their 24 hours. */
  async purge(now: number): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('expires_at', '<', now).execute();
  }

}

/** The row of one key. */
const of = (ref: KeyRef) => (eb: ExpressionBuilder<Database, 'idempotency_keys'>) => eb.and({ site_id: ref.site, scope: ref.scope, key: ref.key });
