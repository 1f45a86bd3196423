import { type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

type Builder = CreateTableBuilder<string, string>;

/**
 * The one set of migrations, for SQLite and PostgreSQL alike, applied at start. Append only: never edit a
 * migration that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_catalog': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'varchar(50)', (c) => c.primaryKey())
        .addColumn('api_key', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('publishable_key', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      const resource = (name: string, extra: (t: Builder) => Builder = (t) => t) =>
        extra(
          db.schema
            .createTable(name)
            .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
            .addColumn('id', 'varchar(100)', (c) => c.notNull())
            .addColumn('seq', 'bigint', (c) => c.notNull())
            .addColumn('status', 'varchar(20)', (c) => c.notNull())
            .addColumn('created_at', 'bigint', (c) => c.notNull())
            .addColumn('updated_at', 'bigint', (c) => c.notNull())
            .addColumn('resource_version', 'bigint', (c) => c.notNull())
            .addColumn('data', 'text', (c) => c.notNull()) as Builder,
        )
          .addPrimaryKeyConstraint(`${name}_pk`, ['site_id', 'id'])
          .execute();

      await resource('plans', (t) =>
        t.addColumn('currency_code', 'varchar(3)', (c) => c.notNull()).addColumn('enabled_in_hosted_pages', 'integer', (c) => c.notNull()),
      );
      await resource('addons', (t) =>
        t.addColumn('currency_code', 'varchar(3)', (c) => c.notNull()).addColumn('charge_type', 'varchar(20)', (c) => c.notNull()),
      );
      await resource('coupons');
      await resource('customers', (t) => t.addColumn('email', 'varchar(70)'));

      // Every column a route filters or sorts by.
      for (const table of ['plans', 'addons', 'coupons', 'customers']) {
        await db.schema.createIndex(`${table}_status`).on(table).columns(['site_id', 'status']).execute();
        await db.schema.createIndex(`${table}_order`).on(table).columns(['site_id', 'created_at', 'seq']).execute();
        await db.schema.createIndex(`${table}_updated`).on(table).columns(['site_id', 'updated_at']).execute();
      }
      await db.schema.createIndex('plans_currency').on('plans').columns(['site_id', 'currency_code']).execute();
      await db.schema.createIndex('addons_currency').on('addons').columns(['site_id', 'currency_code']).execute();
      await db.schema.createIndex('addons_charge_type').on('addons').columns(['site_id', 'charge_type']).execute();
      await db.schema.createIndex('customers_email').on('customers').columns(['site_id', 'email']).execute();

      await db.schema
        .createTable('item_usages')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('item_type', 'varchar(20)', (c) => c.notNull())
        .addColumn('item_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('resource_type', 'varchar(20)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(100)', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_usages_pk', ['site_id', 'item_type', 'item_id', 'resource_type', 'resource_id'])
        .execute();

      // A site-wide counter gives list order a tiebreak that is stable across instances.
      await db.schema
        .createTable('sequences')
        .addColumn('name', 'varchar(50)', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into sequences (name, value) values ('seq', 0)`.execute(db);
    },
  },
};

class InCodeProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/**
 * Applies what is missing. On PostgreSQL pass the schema in use: Kysely looks for its own tables by name across
 * schemas, so without it another schema's migration tables would be taken for ours.
 */
export async function migrate(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new InCodeProvider(), ...(schema && { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error instanceof Error ? error.message : error)}`);
  }
}
