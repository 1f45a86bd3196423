import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/transaction.js';
import { SharedGets } from '../../src/server/shared-gets.js';

/**
 * Rows the test commits, and queries the test answers one by one: each query reads the rows committed when it is
 * SENT (as PostgreSQL's statement snapshot), and its answer arrives when released.
 */
function world() {
  const committed = new Map<string, string>([['a', 'a1'], ['b', 'b1']]);
  const sent: Array<{ keys: readonly string[]; answer(fail?: Error): void }> = [];
  const gets = new SharedGets(
    (_db, keys) =>
      new Promise((resolve, reject) => {
        const rows = new Map(keys.filter((k) => committed.has(k)).map((k) => [k, committed.get(k)!]));
        sent.push({ keys, answer: (fail) => (fail ? reject(fail) : resolve(rows)) });
      }),
  );
  // The pool: a connection at once (SharedRead sends a pool batch's query on one).
  const pool = { isTransaction: false, connection: () => ({ execute: <R>(work: (db: Db) => Promise<R>) => work({ isTransaction: false } as Db) }) } as unknown as Db;
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { gets, pool, sent, settle, commit: (k: string, v: string) => committed.set(k, v) };
}

describe('SharedGets: one query for the keys of many callers, never older than their arrival', () => {
  it('a caller arriving after a commit never takes the answer of a query sent before it', async () => {
    const w = world();
    const first = w.gets.get(w.pool, 'a');
    await w.settle();
    expect(w.sent).toHaveLength(1);
    w.commit('a', 'a2');
    const second = w.gets.get(w.pool, 'a');
    await w.settle();
    expect(w.sent).toHaveLength(1);
    w.sent[0]!.answer();
    expect(await first).toBe('a1');
    await w.settle();
    expect(w.sent).toHaveLength(2);
    w.sent[1]!.answer();
    expect(await second).toBe('a2');
  });

  it('the callers that arrived while a query was on the wire share the next, one query for all their keys', async () => {
    const w = world();
    const first = w.gets.get(w.pool, 'a');
    await w.settle();
    const later = ['a', 'b', 'missing', 'b'].map((k) => w.gets.get(w.pool, k));
    w.sent[0]!.answer();
    await first;
    await w.settle();
    expect(w.sent.map((q) => q.keys)).toEqual([['a'], ['a', 'b', 'missing']]);
    w.sent[1]!.answer();
    expect(await Promise.all(later)).toEqual(['a1', 'b1', undefined, 'b1']);
  });

  it('a failed query fails its callers, and the next batch is read afresh', async () => {
    const w = world();
    const first = w.gets.get(w.pool, 'a');
    await w.settle();
    const joined = w.gets.get(w.pool, 'b');
    w.sent[0]!.answer(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await w.settle();
    w.sent[1]!.answer();
    expect(await joined).toBe('b1');
  });

  it('refuses a transaction, whose reads must see its own writes', () => {
    const w = world();
    expect(() => w.gets.get({ isTransaction: true } as Db, 'a')).toThrow(/outside a transaction/);
  });
});
