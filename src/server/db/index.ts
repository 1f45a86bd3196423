import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import { Kysely, type Migration, type SqliteDatabase } from 'kysely';
import { CountingSqliteDialect, enableDirectReads } from './direct-read.js';
import type pg from 'pg';
import { backendMigrations, migrate } from './migrations.js';
import { SchemaPostgresDialect } from './postgres-schema.js';
import type { Database } from './types.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** PostgreSQL URL; without it, SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  readonly schema?: string | undefined;
}

/** A database driver (an optional peer dependency of the package) that is not installed. */
export class MissingDriverError extends Error {}

/**
 * The drivers load by dialect when a database opens, so importing Paylit (to verify a webhook, say) loads no native
 * code, and a project that uses only one database installs only its driver.
 */
async function loadDriver<T>(name: 'better-sqlite3' | 'pg', load: () => Promise<{ default: T }>, why: string): Promise<T> {
  try {
    return (await load()).default;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if ((err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') && err.message.includes(`'${name}'`)) {
      throw new MissingDriverError(`${why} needs the ${name} package, which is not installed: npm install ${name}`);
    }
    throw e;
  }
}

// node-postgres returns BIGINT as strings; our bigints are Unix seconds and counters, safe as numbers.
const pgTypes = (types: typeof pg.types) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
});

/**
 * Kysely prepares every statement anew; preparing costs more than running a small query on SQLite. Keep the most
 * recent statements by SQL text (bounded, since `in (...)` lists make many texts).
 */
function cachingPrepare(file: SQLite.Database): { database: SqliteDatabase; prepare(text: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (text: string): SQLite.Statement => {
    let stmt = cache.get(text);
    if (stmt) {
      cache.delete(text);
    } else {
      stmt = file.prepare(text);
      if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
    }
    cache.set(text, stmt);
    return stmt;
  };
  return { database: { close: () => file.close(), prepare } as SqliteDatabase, prepare };
}

export interface DatabaseOptions extends StorageOptions {
  /** The SQLite file's name in `dataDir`. */
  readonly fileName: string;
  /** The migrations, by dialect; applied in name order at open. */
  readonly migrations: (dialect: Dialect) => Record<string, Migration>;
  /** Kysely's bookkeeping table; distinct per library so two sets of migrations can share one database. */
  readonly migrationTable?: string | undefined;
}

/**
 * Opens a database (SQLite by default, PostgreSQL by URL) and applies its migrations: the one storage layer the
 * backend and `paylit/merchant` both stand on.
 */
export async function openDatabase<DB>(o: DatabaseOptions): Promise<{ db: Kysely<DB>; dialect: Dialect; close(): Promise<void> }> {
  const tables = { ...(o.migrationTable && { migrationTableName: o.migrationTable, migrationLockTableName: `${o.migrationTable}_lock` }) };
  if (o.databaseUrl) {
    const pg = await loadDriver('pg', () => import('pg'), 'PostgreSQL (a database URL)');
    if (o.schema) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(o.schema)) throw new Error(`bad schema name ${o.schema}`);
      const client = new pg.Client({ connectionString: o.databaseUrl });
      await client.connect();
      try {
        await client.query(`create schema if not exists ${o.schema}`);
      } catch (e) {
        // Two processes creating the same schema at once: the loser sees a unique violation; the schema exists.
        if ((e as { code?: string }).code !== '23505') throw e;
      } finally {
        await client.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: o.databaseUrl,
      max: 10,
      types: pgTypes(pg.types),
      ...(o.schema && { options: `-c search_path=${o.schema}` }),
    });
    const db = new Kysely<DB>({ dialect: new SchemaPostgresDialect({ pool }, o.schema ?? 'public') });
    await migrate(db as Kysely<unknown>, o.migrations('postgres'), o.schema ?? 'public', tables);
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const SQLite = await loadDriver('better-sqlite3', () => import('better-sqlite3'), 'SQLite (the embedded database, used when no database URL is given)');
  mkdirSync(o.dataDir, { recursive: true });
  const file = new SQLite(join(o.dataDir, o.fileName));
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = NORMAL');
  const { database, prepare } = cachingPrepare(file);
  const dialect = new CountingSqliteDialect({ database });
  const db = new Kysely<DB>({ dialect });
  enableDirectReads(db, dialect, prepare);
  await migrate(db as Kysely<unknown>, o.migrations('sqlite'), undefined, tables);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Opens the backend's database (SQLite by default, PostgreSQL by URL) and applies the migrations. */
export async function openStorage(o: StorageOptions): Promise<Storage> {
  return openDatabase<Database>({ ...o, fileName: 'paylit.sqlite', migrations: backendMigrations });
}
