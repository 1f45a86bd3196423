import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { shareDirectReads } from './direct-read.js';
import type { Database } from './types.js';

/** A statement other than a SELECT, built through a read-only connection: a write that must not happen there. */
export class WriteRefusedError extends Error {}

const refuseWrites: KyselyPlugin = {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind !== 'SelectQueryNode') throw new WriteRefusedError(`a ${node.kind} was built on a read-only connection: this work may only read`);
    return node;
  },
  transformResult: async ({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => result,
};

const readOnlyOf = new WeakMap<Kysely<Database>, Kysely<Database>>();

/**
 * `db` (the pool, not a transaction) refusing to build any statement but a SELECT: for work that runs outside a
 * transaction because it only reads, and whose one write goes elsewhere (a group commit). A write slipped into it
 * later fails loudly instead of committing on its own. (Queries compiled beforehand and run with `executeQuery`
 * are not seen: build writes through Kysely's builders, as the stores do.)
 */
export function readOnly(db: Kysely<Database>): Kysely<Database> {
  let ro = readOnlyOf.get(db);
  if (!ro) {
    readOnlyOf.set(db, (ro = db.withPlugin(refuseWrites)));
    // Direct reads run only SELECTs (better-sqlite3's reader statements), which this plugin lets through anyway.
    shareDirectReads(db, ro);
  }
  return ro;
}
