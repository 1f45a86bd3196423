import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/transaction.js';
import { SharedRead } from '../../src/server/shared-read.js';

/**
 * A database whose one value the test commits, and whose queries the test answers one by one: each query reads the
 * value committed when it is SENT (as PostgreSQL's statement snapshot), and its answer arrives when released.
 */
function world() {
  let committed = 'v1';
  const sent: Array<{ via: Db; value: string; answer(fail?: Error): void }> = [];
  const gates: Array<() => void> = [];
  const pool = (free = true) =>
    ({
      isTransaction: false,
      connection: () => ({
        execute: async (work: (conn: Db) => Promise<void>) => {
          if (!free) await new Promise<void>((r) => gates.push(r));
          return work({ isTransaction: false } as Db);
        },
      }),
    }) as unknown as Db;
  const trx = () => ({ isTransaction: true }) as Db;
  const read = new SharedRead<string>(
    (via) =>
      new Promise<string>((resolve, reject) => {
        const value = committed;
        sent.push({ via, value, answer: (fail) => (fail ? reject(fail) : resolve(value)) });
      }),
  );
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { read, pool, trx, sent, gates, settle, commit: (v: string) => (committed = v) };
}

describe('SharedRead: one query for many callers, never older than their arrival', () => {
  it('a caller arriving after a commit never takes the answer of a query sent before it', async () => {
    const w = world();
    const pool = w.pool();
    const first = w.read.read(pool);
    await w.settle();
    expect(w.sent).toHaveLength(1); // sent, its snapshot taken: v1
    w.commit('v2');
    const second = w.read.read(pool); // arrives after the commit, while the v1 query is still on the wire
    await w.settle();
    expect(w.sent).toHaveLength(1); // it waits for the next query rather than sending beside the one in flight
    w.sent[0]!.answer();
    expect(await first).toBe('v1');
    await w.settle();
    expect(w.sent).toHaveLength(2);
    w.sent[1]!.answer();
    expect(await second).toBe('v2');
  });

  it('every caller that arrived while one query was on the wire shares the next one', async () => {
    const w = world();
    const pool = w.pool();
    const first = w.read.read(pool);
    await w.settle();
    const later = Array.from({ length: 20 }, () => w.read.read(pool));
    w.sent[0]!.answer();
    await w.settle();
    expect(w.sent).toHaveLength(2);
    w.sent[1]!.answer();
    expect(await first).toBe('v1');
    expect(await Promise.all(later)).toEqual(Array(20).fill('v1'));
  });

  it('callers waiting for a pool connection share the query once one is free, even if a commit came meanwhile', async () => {
    const w = world();
    const pool = w.pool(false);
    const a = w.read.read(pool);
    await w.settle();
    w.commit('v2');
    const b = w.read.read(pool); // the query is not sent yet: its snapshot will be later than b's arrival
    await w.settle();
    expect(w.sent).toHaveLength(0);
    w.gates[0]!();
    await w.settle();
    expect(w.sent).toHaveLength(1);
    w.sent[0]!.answer();
    expect([await a, await b]).toEqual(['v2', 'v2']);
  });

  it("a transaction sends at once on its own connection, for the pool's callers too, and never waits for the pool", async () => {
    const w = world();
    const pool = w.pool(false); // no connection free: the transactions hold them all
    const a = w.read.read(pool);
    await w.settle();
    expect(w.gates).toHaveLength(1); // a waits for a connection
    const t = w.trx();
    const b = w.read.read(t);
    await w.settle();
    expect(w.sent.map((s) => s.via)).toEqual([t]);
    w.sent[0]!.answer();
    expect([await a, await b]).toEqual(['v1', 'v1']);
    w.gates[0]!(); // the pool's connection, when it comes, sends nothing
    await w.settle();
    expect(w.sent).toHaveLength(1);
    // A batch with a transaction in it from the start never asks the pool at all.
    const c = w.read.read(pool);
    const d = w.read.read(w.trx());
    await w.settle();
    expect(w.gates).toHaveLength(1);
    w.sent[1]!.answer();
    expect([await c, await d]).toEqual(['v1', 'v1']);
  });

  it("a query failing on a transaction's connection fails that caller alone; the others are answered by another", async () => {
    const w = world();
    const pool = w.pool();
    const t = w.trx();
    const first = w.read.read(pool);
    await w.settle();
    const mine = w.read.read(t);
    const theirs = w.read.read(pool);
    w.sent[0]!.answer();
    await w.settle();
    expect(w.sent[1]!.via).toBe(t);
    w.sent[1]!.answer(new Error('current transaction is aborted'));
    await expect(mine).rejects.toThrow('aborted');
    await w.settle();
    expect(w.sent).toHaveLength(3);
    expect(w.sent[2]!.via.isTransaction).toBe(false);
    w.sent[2]!.answer();
    expect([await first, await theirs]).toEqual(['v1', 'v1']);
  });

  it("a pool query's failure is its callers' error, and the next caller is read again", async () => {
    const w = world();
    const pool = w.pool();
    const a = w.read.read(pool);
    await w.settle();
    w.sent[0]!.answer(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    const b = w.read.read(pool);
    await w.settle();
    w.sent[1]!.answer();
    expect(await b).toBe('v1');
  });
});
