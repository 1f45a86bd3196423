import type SQLite from 'better-sqlite3';
import { type CompiledQuery, type Driver, type Kysely, SqliteDialect } from 'kysely';

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
  directOf.set(db, { held: () => dialect.held, prepare });
}

/** `derived` (readOnly(db), say) reads directly as `db` does. */
export function shareDirectReads(db: object, derived: object): void {
  const d = directOf.get(db);
  if (d) directOf.set(derived, d);
}

/**
 * Runs a compiled SELECT: directly on SQLite's idle connection when `db` may (not a transaction, nobody holding the
 * connection), else through Kysely.
 */
export async function readRows<R>(db: Kysely<any>, query: CompiledQuery<R>): Promise<R[]> {
  const d = db.isTransaction ? undefined : directOf.get(db);
  if (d && !d.held()) {
    const stmt = d.prepare(query.sql);
    if (stmt.reader) return stmt.all(query.parameters as unknown[]) as R[];
  }
  return (await db.executeQuery(query)).rows;
}
