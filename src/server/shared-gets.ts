import type { Db } from './db/transaction.js';

interface Waiter {
  readonly key: string;
  resolve(value: string | undefined): void;
  reject(error: unknown): void;
}

/**
 * Reads of rows by key, by callers outside any transaction, shared the way SharedRead shares the catalog's version:
 * the callers that arrive while one query is on the wire are answered together by the next, one query for all
 * their keys (`id in (...)`). A caller only takes the answer of a query sent after it arrived, never one already
 * sent (which may have read the rows before a commit the caller must see), so each still sees every commit made
 * before its arrival: as correct as reading alone, with no copy kept between queries.
 */
export class SharedGets {
  private open: Waiter[] | undefined;
  /** Settles once the query sent last has been answered. */
  private answered: Promise<void> = Promise.resolve();

  /** `query`: the stored text of the rows among `keys` that exist, by key. */
  constructor(private readonly query: (db: Db, keys: readonly string[]) => Promise<Map<string, string>>) {}

  get(db: Db, key: string): Promise<string | undefined> {
    if (db.isTransaction) throw new Error('SharedGets is for reads outside a transaction');
    let batch = this.open;
    if (!batch) {
      const b: Waiter[] = (batch = this.open = []);
      void this.answered.then(() => this.send(db, b));
    }
    const b = batch;
    return new Promise((resolve, reject) => b.push({ key, resolve, reject }));
  }

  private send(db: Db, b: Waiter[]): Promise<void> {
    // Closed before the query starts: whoever arrives from now on waits for the next one.
    if (this.open === b) this.open = undefined;
    const done = this.query(db, [...new Set(b.map((w) => w.key))]).then(
      (rows) => {
        for (const w of b) w.resolve(rows.get(w.key));
      },
      (e: unknown) => {
        for (const w of b) w.reject(e);
      },
    );
    this.answered = done;
    return done;
  }
}
