/**
 * PostgreSQL, confined to one schema. Several backends (and every test run) may share a database, each in its own
 * schema; Kysely's stock migrator would reach across all of them:
 * - its introspector reads every schema's tables and calls `has_schema_privilege(name, …)` on each, which fails with
 *   "schema … does not exist" when another schema is dropped while the query runs;
 * - its adapter takes one advisory lock for the whole database, so unrelated schemas migrate one after another.
 * This dialect introspects only its own schema and locks per schema and migration table.
 */
import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type DialectAdapter,
  type Kysely,
  PostgresAdapter,
  PostgresDialect,
  type PostgresDialectConfig,
  type SchemaMetadata,
  type TableMetadata,
  sql,
} from 'kysely';

/** A migration of one schema waits at most this long for another process migrating the same schema. */
const LOCK_TIMEOUT_MS = 10 * 60 * 1000;

class SchemaLockAdapter extends PostgresAdapter {
  constructor(private readonly schema: string) {
    super();
  }
  private key(lockTable: string) {
    // hashtext gives an int4; the lock is keyed by what it protects: this schema's migration table.
    return sql`hashtext(${`paylit migrations ${this.schema}.${lockTable}`})`;
  }
  override async acquireMigrationLock(db: Kysely<unknown>, opt: { lockTable: string }): Promise<void> {
    await sql`select set_config('lock_timeout', ${String(LOCK_TIMEOUT_MS)}, false)`.execute(db);
    await sql`select pg_advisory_lock(${this.key(opt.lockTable)})`.execute(db);
  }
  override async releaseMigrationLock(db: Kysely<unknown>, opt: { lockTable: string }): Promise<void> {
    await sql`select pg_advisory_unlock(${this.key(opt.lockTable)})`.execute(db);
    await sql`select set_config('lock_timeout', '0', false)`.execute(db);
  }
}

interface ColumnRow {
  table: string;
  table_type: string;
  column: string | null;
  type: string | null;
  not_null: boolean | null;
  has_default: boolean | null;
  auto_incrementing: boolean | null;
}

class SchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    // Catalog rows by the schema's oid only; no function here looks a name up, so a schema dropped meanwhile is harmless.
    const { rows } = await sql<ColumnRow>`
      select c.relname as table, c.relkind as table_type, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
             a.attnotnull as not_null, a.atthasdef as has_default, a.attidentity <> '' as auto_incrementing
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace and ns.nspname = ${this.schema}
      left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relkind in ('r', 'v', 'p')
      order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const r of rows) {
      let table = tables.get(r.table);
      if (!table) tables.set(r.table, (table = { name: r.table, schema: this.schema, isView: r.table_type === 'v', columns: [] }));
      if (r.column === null) continue;
      table.columns.push({
        name: r.column,
        dataType: r.type ?? '',
        dataTypeSchema: 'pg_catalog',
        isNullable: !r.not_null,
        isAutoIncrementing: r.auto_incrementing === true,
        hasDefaultValue: r.has_default === true,
      });
    }
    const all = [...tables.values()];
    return options.withInternalKyselyTables ? all : all.filter((t) => t.name !== DEFAULT_MIGRATION_TABLE && t.name !== DEFAULT_MIGRATION_LOCK_TABLE);
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables(options) };
  }
}

/** PostgreSQL through `pg`, whose migrations see and lock only `schema` (the pool's search_path must name it). */
export class SchemaPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }
  override createAdapter(): DialectAdapter {
    return new SchemaLockAdapter(this.schema);
  }
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.schema);
  }
}
