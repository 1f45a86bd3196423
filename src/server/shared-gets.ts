import type { Db } from './db/transaction.js';
import { SharedRead } from './shared-read.js';

/**
 * Reads of rows by key, by callers outside any transaction, shared as SharedRead shares the catalog's version (and
 * through it, so the rule has one implementation): the callers that arrive while one query is on the wire are
 * answered together by the next, one query for all their keys (`id in (...)`). A caller only takes the answer of a
 * query sent after it arrived, so each still sees every commit made before its arrival; no copy is kept between
 * queries.
 */
export class SharedGets {
  /** The keys of the callers in the open batch: taken by its query when SharedRead sends it. */
  private keys = new Set<string>();
  private readonly read: SharedRead<Map<string, string>>;

  /** `query`: the stored text of the rows among `keys` that exist, by key. */
  constructor(query: (db: Db, keys: readonly string[]) => Promise<Map<string, string>>) {
    this.read = new SharedRead((db) => {
      // Called as the batch closes, in the same turn: its members' keys are all here, and no later caller's.
      const keys = [...this.keys];
      this.keys = new Set();
      return query(db, keys);
    });
  }

  /** Throws at once (not a rejection) when given a transaction: a caller's mistake, not a failed read. */
  get(db: Db, key: string): Promise<string | undefined> {
    if (db.isTransaction) throw new Error('SharedGets is for reads outside a transaction');
    this.keys.add(key);
    return this.read.read(db).then((rows) => rows.get(key));
  }
}
