import type { Kysely, Transaction } from 'kysely';
import type { Database } from './types.js';

/** A connection or the caller's transaction: every store and service method takes one. */
export type Db = Kysely<Database> | Transaction<Database>;
export type Trx = Transaction<Database>;

type KeptWrite = (trx: Trx) => Promise<void>;
const keptOnRollback = new WeakMap<Trx, KeptWrite[]>();

/**
 * Runs `work` in a transaction: the caller's when `db` already is one, so a service called by a route joins the
 * route's transaction (and the route's idempotency answer commits with the service's work), otherwise a new one.
 * Writes registered with `keepOnRollback` are made after a rollback, each in a transaction of its own.
 */
export async function transaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  const kept: KeptWrite[] = [];
  try {
    return await db.transaction().execute((trx) => {
      keptOnRollback.set(trx, kept);
      return work(trx);
    });
  } catch (e) {
    for (const write of kept) {
      try {
        await db.transaction().execute(write);
      } catch (writeError) {
        // The request's own error is the one to answer with; this one is for the operator.
        console.error('a record kept on rollback could not be written:', writeError);
      }
    }
    throw e;
  }
}

/**
 * A record that must outlive the rollback of `trx`, such as a declined payment attempt: the checkout's own work is
 * all or nothing, yet the attempt happened. Written only if `trx` rolls back; on commit, the caller writes what it
 * needs inside `trx` itself.
 */
export function keepOnRollback(trx: Db, write: KeptWrite): void {
  const kept = trx.isTransaction ? keptOnRollback.get(trx as Trx) : undefined;
  if (!kept) throw new Error('keepOnRollback needs a transaction opened by transaction()');
  kept.push(write);
}
