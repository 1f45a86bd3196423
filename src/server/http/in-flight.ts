/**
 * The requests whose handlers are still running. A client that hangs up does not stop its handler, which may still
 * be writing; a shutdown waits for them here before it closes the database, so their writes finish rather than meet
 * a closed pool.
 */
export class InFlight {
  private count = 0;
  private idle: Array<() => void> = [];

  /** Counts `answer` while it is pending; an answer already made is not counted. */
  track<T>(answer: T | Promise<T>): T | Promise<T> {
    if (!(answer instanceof Promise)) return answer;
    this.count++;
    return answer.finally(() => {
      if (--this.count === 0) for (const wake of this.idle.splice(0)) wake();
    });
  }

  get size(): number {
    return this.count;
  }

  /** Resolves when no handler runs, or after `ms` with how many still do. */
  settled(ms: number): Promise<number> {
    if (this.count === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.count), ms);
      this.idle.push(() => (clearTimeout(timer), resolve(0)));
    });
  }
}
