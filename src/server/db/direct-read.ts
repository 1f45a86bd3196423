import type SQLite from 'better-sqlite3';
import { type CompiledQuery, type Driver, type Kysely, SqliteDialect } from 'kysely';
import { databaseChanged, TurnMemo } from '../turn-read.js';

/**
 * SQLite reads outside a transaction, run directly on the idle connection: better-sqlite3 is synchronous, so when
 * no one holds the connection (no transaction open, no query in flight) a read started and finished in one call
 * cannot interleave with anything, and skips Kysely's connection mutex and its promise hops. When the connection is
 * held (a write transaction is open: a read there would see its uncommitted rows), the read queues as before.
 */
interface Direct {
  /** Whether some caller holds the connection (between Kysely's acquire and release). */
  held(): boolean;
  prepare(sql: string): SQLite.Statement;
  /** The rows read this turn by SQL text and parameters (turn-read.ts). */
  readonly turn: TurnMemo<readonly unknown[]>;
}

const directOf = new WeakMap<object, Direct>();

/** The SQLite dialect that counts who holds its one connection, for direct reads. */
export class CountingSqliteDialect extends SqliteDialect {
  private holders = 0;

  get held(): boolean {
    return this.holders > 0;
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    return new Proxy(inner, {
      get: (target, prop) => {
        if (prop === 'acquireConnection') {
          return async () => {
            const c = await target.acquireConnection();
            this.holders++;
            return c;
          };
        }
        if (prop === 'releaseConnection') {
          return (c: Parameters<Driver['releaseConnection']>[0]) => {
            this.holders--;
            // Whatever the holder did (a commit, a rollback, a statement on its own) may have changed rows.
            databaseChanged();
            return target.releaseConnection(c);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

/** Lets `db` (a Kysely instance on `dialect`, without plugins that change results) read directly. */
export function enableDirectReads(db: object, dialect: CountingSqliteDialect, prepare: (sql: string) => SQLite.Statement): void {
  directOf.set(db, { held: () => dialect.held, prepare, turn: new TurnMemo() });
}

/** `derived` (readOnly(db), say) reads directly as `db` does. */
export function shareDirectReads(db: object, derived: object): void {
  const d = directOf.get(db);
  if (d) directOf.set(derived, d);
}

/**
 * Runs a compiled SELECT: directly on SQLite's idle connection when `db` may (not a transaction, nobody holding the
 * connection), else through Kysely. A direct read is shared by the requests of the same turn until anything is
 * written (turn-read.ts), so the rows are read-only: they may be another request's too.
 */
export async function readRows<R>(db: Kysely<any>, query: CompiledQuery<R>): Promise<readonly R[]> {
  const d = db.isTransaction ? undefined : directOf.get(db);
  if (d && !d.held()) {
    const key = JSON.stringify(query.parameters);
    const held = d.turn.get(query.sql, key);
    if (held) return held as R[];
    const stmt = d.prepare(query.sql);
    if (stmt.reader) {
      const rows = Object.freeze(stmt.all(query.parameters as unknown[]) as R[]);
      for (const r of rows) Object.freeze(r);
      d.turn.set(query.sql, key, rows);
      return rows;
    }
  }
  return (await db.executeQuery(query)).rows;
}
