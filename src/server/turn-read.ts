/**
 * Reads shared by the requests of one turn of the event loop, for SQLite: its one connection is in-process and
 * synchronous, so there a request never waits on the database, and the requests that the loop read in one poll phase
 * are handled one after the other within that phase. A read made then may answer the same read of every request
 * handled after it in the same phase, as long as nothing has been written since:
 *
 * - A turn opens when a request arrives (`requestArrived`, called first by the app) and closes at the end of that
 *   poll phase (a setImmediate, which runs in the check phase right after it). Outside an open turn nothing is
 *   kept or shared: the scheduler's timers, the group commit's setImmediate and code outside any request read for
 *   themselves.
 * - A request handled in an open turn arrived before the loop's poll returned, so before any read of that turn was
 *   made: a read it shares was made after it arrived, and so saw every commit made before that (the rule
 *   SharedRead keeps on PostgreSQL).
 * - Every write and every end of a transaction or statement on any SQLite connection of this process
 *   (`databaseChanged`, called by the dialect as it releases a connection, which every write through Kysely does)
 *   drops what every turn holds at once, so no request, this one or another on a second connection to the same file, is
 *   answered from before a commit made in this process.
 *
 * What it does not see: a commit by another process on the same SQLite file is seen from the next turn on, not by
 * a request that the same poll phase picked up after that commit (a client pipelining a request behind another on one
 * connection, or more than 1,024 sockets ready at once, which makes libuv poll again within the phase). Several
 * instances share PostgreSQL, where none of this is used.
 */

let open = false;
let turn = 0;
let epoch = 0;

const close = (): void => {
  open = false;
  turn++;
};

/** A request arrived: opens the turn (closed at the end of this poll phase) if it is not open already. */
export function requestArrived(): void {
  if (open) return;
  open = true;
  setImmediate(close);
}

/** Something was written, or a transaction or statement ended, on a connection of this process: every turn read is dropped. */
export function databaseChanged(): void {
  epoch++;
}

/** The most values one memo keeps in one turn (a turn of many different reads keeps the first ones). */
export const TURN_KEYS = 256;

/**
 * Values by a statement's text and its parameters, read in the open turn since the last change; empty outside an
 * open turn. Two levels, so a lookup hashes the statement's text (the same string every time, whose hash V8 keeps)
 * and a short key, not a new string of both.
 */
export class TurnMemo<V> {
  private readonly values = new Map<string, Map<string, V>>();
  private size = 0;
  private turn = -1;
  private epoch = -1;

  get(statement: string, key: string): V | undefined {
    return open && this.turn === turn && this.epoch === epoch ? this.values.get(statement)?.get(key) : undefined;
  }

  /** Keeps `value` for the rest of the turn, or until the next change; a value read outside an open turn is not kept. */
  set(statement: string, key: string, value: V): void {
    if (!open) return;
    if (this.turn !== turn || this.epoch !== epoch) {
      this.values.clear();
      this.size = 0;
      this.turn = turn;
      this.epoch = epoch;
    }
    if (this.size >= TURN_KEYS) return;
    let byKey = this.values.get(statement);
    if (!byKey) this.values.set(statement, (byKey = new Map()));
    if (!byKey.has(key)) this.size++;
    byKey.set(key, value);
  }
}
