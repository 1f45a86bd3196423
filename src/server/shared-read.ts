import type { Db } from './db/transaction.js';

interface Waiter<T> {
  readonly db: Db;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Callers that arrived while no query of theirs had been sent yet: one query answers them all. */
interface Batch<T> {
  readonly waiters: Waiter<T>[];
  sent: boolean;
  /** The query before this one has been answered: this one may be sent. */
  clear: boolean;
}

/**
 * One small read (the catalog's version) shared by the requests that need it at the same time, without ever handing
 * a request an answer older than what had committed when it arrived: a caller only shares a query SENT after it
 * arrived. Callers join the open batch; the batch's query is sent once the one before it has been answered, so under
 * load one query answers every caller that arrived while the previous one was on the wire. A read already sent is
 * never joined: it may have been answered by the database before the caller's arrival, from rows a commit has since
 * replaced.
 *
 * A query goes on a pool connection, or, when a member of the batch is in a transaction, on that transaction's
 * connection at once (held already: a transaction never waits for the pool, which transactions waiting here could
 * all be holding). That is only correct where each statement of a transaction sees every commit made before it
 * starts (PostgreSQL's READ COMMITTED, the default); callers elsewhere pass no transaction here.
 */
export class SharedRead<T> {
  private open: Batch<T> | undefined;
  /** Settles once the query sent last has been answered (its batch settled). */
  private answered: Promise<void> = Promise.resolve();

  constructor(private readonly query: (db: Db) => Promise<T>) {}

  read(db: Db): Promise<T> {
    let batch = this.open;
    if (!batch) {
      const b: Batch<T> = (batch = this.open = { waiters: [], sent: false, clear: false });
      void this.answered.then(() => {
        b.clear = true;
        this.dispatch(b);
      });
    }
    const b = batch;
    return new Promise<T>((resolve, reject) => {
      b.waiters.push({ db, resolve, reject });
      if (db.isTransaction && b.clear) this.dispatch(b);
    });
  }

  /** Sends the batch's query on a member transaction's connection if it has one, else once the pool gives one. */
  private dispatch(b: Batch<T>): void {
    if (b.sent) return;
    const trx = b.waiters.find((w) => w.db.isTransaction);
    if (trx) {
      void this.send(b, trx.db);
      return;
    }
    const pool = b.waiters[0]?.db;
    if (!pool) return;
    // The batch stays open (callers may join) until a connection is ours; a transaction joining meanwhile sends it.
    pool
      .connection()
      .execute(async (conn) => {
        if (!b.sent) await this.send(b, conn);
      })
      .catch((e: unknown) => {
        if (b.sent) return;
        this.close(b);
        for (const w of b.waiters.splice(0)) w.reject(e);
      });
  }

  private close(b: Batch<T>): void {
    b.sent = true;
    if (this.open === b) this.open = undefined;
  }

  private send(b: Batch<T>, db: Db): Promise<void> {
    this.close(b);
    const done = this.query(db).then(
      (value) => {
        for (const w of b.waiters.splice(0)) w.resolve(value);
      },
      (e: unknown) => this.failed(b, db, e),
    );
    this.answered = done;
    return done;
  }

  /**
   * A query that failed on a transaction's connection (that transaction aborted, say) is that caller's error alone:
   * the others are sent again (still after their arrival). A failure on a pool connection is every caller's.
   */
  private failed(b: Batch<T>, db: Db, e: unknown): Promise<void> | void {
    if (!db.isTransaction) {
      for (const w of b.waiters.splice(0)) w.reject(e);
      return;
    }
    for (const w of b.waiters.filter((x) => x.db === db)) w.reject(e);
    const rest = b.waiters.filter((x) => x.db !== db);
    if (!rest.length) return;
    const again: Batch<T> = { waiters: rest, sent: false, clear: true };
    const trx = rest.find((w) => w.db.isTransaction);
    if (trx) return this.send(again, trx.db);
    const pool = rest[0]!.db;
    return pool
      .connection()
      .execute((conn) => this.send(again, conn))
      .catch((e2: unknown) => {
        for (const w of again.waiters.splice(0)) w.reject(e2);
      });
  }
}
