import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/server/db/group-commit.js';

/** A fake database write that the test answers: each call waits until the test settles it. */
function heldWrites() {
  const calls: Array<{ rows: readonly number[]; commit(): void; fail(e: Error): void }> = [];
  const write = (rows: readonly number[]) =>
    new Promise<void>((commit, fail) => {
      calls.push({ rows: [...rows], commit: () => commit(), fail });
    });
  return { calls, write };
}
const tick = () => new Promise((r) => setTimeout(r, 0));
const state = (p: Promise<void>) => {
  const s = { settled: false as boolean | 'ok' | 'error' };
  p.then(() => (s.settled = 'ok'), () => (s.settled = 'error'));
  return s;
};

describe('GroupCommit', () => {
  it('writes a lone row at once, and settles its caller only after its write committed', async () => {
    const { calls, write } = heldWrites();
    const g = new GroupCommit(write);
    const a = state(g.add(1));
    await tick();
    expect(calls.map((c) => c.rows)).toEqual([[1]]);
    expect(a.settled).toBe(false);
    calls[0]!.commit();
    await tick();
    expect(a.settled).toBe('ok');
  });

  it("with gather 'turn', rows added in one turn of the event loop after other work (awaits) go out in one write", async () => {
    // Requests read in one turn reach their insert after a few awaits each: microtasks apart, not turns apart.
    const afterAwaits = async (g: GroupCommit<number>, n: number) => {
      for (let i = 0; i < n; i++) await Promise.resolve();
      return g.add(n);
    };
    const byTurn = heldWrites();
    const t = new GroupCommit(byTurn.write, 100, 'turn');
    const turned = [1, 2, 3, 4].map((n) => afterAwaits(t, n));
    await tick();
    expect(byTurn.calls.map((c) => c.rows)).toEqual([[1, 2, 3, 4]]);
    byTurn.calls[0]!.commit();
    await Promise.all(turned);
    // At once (the default), the first row goes alone and the others wait for its write.
    const atOnce = heldWrites();
    const m = new GroupCommit(atOnce.write);
    void [1, 2, 3, 4].map((n) => afterAwaits(m, n));
    await tick();
    expect(atOnce.calls.map((c) => c.rows)).toEqual([[1]]);
  });

  it('rows arriving while a write is on the wire go out together in the next write, each caller settled with its own', async () => {
    const { calls, write } = heldWrites();
    const g = new GroupCommit(write);
    const first = state(g.add(1));
    await tick();
    const rest = [2, 3, 4].map((n) => state(g.add(n)));
    await tick();
    expect(calls.map((c) => c.rows)).toEqual([[1]]);
    calls[0]!.commit();
    await tick();
    expect(first.settled).toBe('ok');
    expect(calls.map((c) => c.rows)).toEqual([[1], [2, 3, 4]]);
    expect(rest.map((r) => r.settled)).toEqual([false, false, false]);
    calls[1]!.commit();
    await tick();
    expect(rest.map((r) => r.settled)).toEqual(['ok', 'ok', 'ok']);
  });

  it('a failing row fails its own caller alone: the group is written again row by row', async () => {
    const written: number[][] = [];
    const g = new GroupCommit(async (rows: readonly number[]) => {
      written.push([...rows]);
      await Promise.resolve();
      if (rows.includes(3)) throw new Error(`row 3 is refused`);
    });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => g.add(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new Error('row 3 is refused'));
    expect(written).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('a group holds at most `max` rows', async () => {
    const written: number[][] = [];
    const g = new GroupCommit(async (rows: readonly number[]) => void written.push([...rows]), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => g.add(n)));
    expect(written).toEqual([[1, 2], [3, 4], [5]]);
  });

  it.each(['microtask', 'turn'] as const)(
    "close (gather '%s'): the rows already taken are written, close resolves after their commit, a later row is refused with a 503 to retry",
    async (gather) => {
      const { calls, write } = heldWrites();
      const g = new GroupCommit(write, 100, gather);
      const onWire = state(g.add(1));
      await tick();
      const queued = state(g.add(2)); // waits for the write on the wire
      const closed = state(g.close());
      await expect(g.add(3)).rejects.toMatchObject({ code: 'internal_temporary_error', message: expect.stringMatching(/shutting down; try again/) });
      calls[0]!.commit();
      await tick();
      expect([onWire.settled, queued.settled, closed.settled]).toEqual(['ok', false, false]);
      expect(calls.map((c) => c.rows)).toEqual([[1], [2]]);
      calls[1]!.commit();
      await tick();
      expect([queued.settled, closed.settled]).toEqual(['ok', 'ok']);
      expect(calls).toHaveLength(2);
    },
  );

  it('close with nothing to write resolves at once', async () => {
    const { calls, write } = heldWrites();
    const g = new GroupCommit(write, 100, 'turn');
    await g.close();
    expect(calls).toHaveLength(0);
  });
});
