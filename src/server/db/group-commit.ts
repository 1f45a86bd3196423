import { shuttingDown } from '../errors.js';

/** What a caller waits on: settled once its row has committed, or with its own row's error. */
interface Entry<R> {
  readonly row: R;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: rows that callers write at the same time go to the database together, in one write (one multi-row
 * insert, one commit), the way databases reach their throughput under many connections. While one group is being
 * written, the rows that arrive wait and form the next; so under load each write carries every row that arrived
 * while the previous one was on the wire, and alone a row is written at once (one microtask later, or with
 * `gather: 'turn'` at the end of this turn of the event loop).
 *
 * A caller's promise settles only after the write holding its row has committed. A group that fails is written
 * again row by row, each on its own, so a failure (a duplicate key, say) is its own row's caller's alone and the
 * other rows still commit. `write` must be all or nothing: one statement, or one transaction.
 */
export class GroupCommit<R> {
  private queue: Entry<R>[] = [];
  private writing = false;
  private closed = false;
  /** The writes under way, settled once the queue is empty. */
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: readonly R[]) => Promise<void>,
    /** The most rows in one write (bounds a statement's parameters). */
    private readonly max = 100,
    /**
     * When a group starts being written: 'microtask' (at once) suits a database on the wire, where the rows arriving
     * during one write form the next group. An in-process database (SQLite) writes faster than requests arrive, so
     * every group would be one row: 'turn' waits for the requests already read in this turn of the event loop
     * (setImmediate) and writes their rows together.
     */
    private readonly gather: 'microtask' | 'turn' = 'microtask',
  ) {}

  /** Resolves once `row` has committed; rejects with the error of writing it (and of nothing else). */
  add(row: R): Promise<void> {
    if (this.closed) return Promise.reject(shuttingDown());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        this.running = new Promise<void>((done) => {
          const begin = () => void this.drain().then(done);
          if (this.gather === 'turn') setImmediate(begin);
          else queueMicrotask(begin);
        });
      }
    });
  }

  /**
   * Stops taking rows, for a shutdown: the rows already taken are written and their callers settled as usual (so the
   * database must stay open until this resolves); a row added later is refused at once with a 503 to retry.
   */
  close(): Promise<void> {
    this.closed = true;
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue.splice(0, this.max);
      try {
        await this.write(group.map((e) => e.row));
        for (const e of group) e.resolve();
      } catch (e) {
        if (group.length === 1) group[0]!.reject(e);
        else await Promise.all(group.map((x) => this.write([x.row]).then(x.resolve, x.reject)));
      }
    }
    this.writing = false;
  }
}
