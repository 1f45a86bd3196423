import { type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

type Builder = CreateTableBuilder<string, string>;

// The two helpers below are used by migrations that have shipped: never change what they create. A new table shape
// gets a new helper.

/** A resource table: its JSON document plus the columns every list filters and sorts by, and `extra` columns. */
function resourceTable(db: Kysely<unknown>, name: string, extra: (t: Builder) => Builder = (t) => t) {
  return extra(
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
}

/** The indexes every resource table's lists use: by status, in creation order, by update time. */
async function resourceIndexes(db: Kysely<unknown>, table: string): Promise<void> {
  await db.schema.createIndex(`${table}_status`).on(table).columns(['site_id', 'status']).execute();
  await db.schema.createIndex(`${table}_order`).on(table).columns(['site_id', 'created_at', 'seq']).execute();
  await db.schema.createIndex(`${table}_updated`).on(table).columns(['site_id', 'updated_at']).execute();
}

/**
 * The one set of migrations, for SQLite and PostgreSQL alike, applied at start. Append only: never edit a
 * migration that has shipped.
 */
export const backendMigrations = (dialect: 'sqlite' | 'postgres'): Record<string, Migration> => ({
  '0001_catalog': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'varchar(50)', (c) => c.primaryKey())
        .addColumn('api_key', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('publishable_key', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      const resource = (name: string, extra?: (t: Builder) => Builder) => resourceTable(db, name, extra);

      await resource('plans', (t) =>
        t.addColumn('currency_code', 'varchar(3)', (c) => c.notNull()).addColumn('enabled_in_hosted_pages', 'integer', (c) => c.notNull()),
      );
      await resource('addons', (t) =>
        t.addColumn('currency_code', 'varchar(3)', (c) => c.notNull()).addColumn('charge_type', 'varchar(20)', (c) => c.notNull()),
      );
      await resource('coupons');
      await resource('customers', (t) => t.addColumn('email', 'varchar(70)'));

      // Every column a route filters or sorts by.
      for (const table of ['plans', 'addons', 'coupons', 'customers']) await resourceIndexes(db, table);
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
  '0002_billing': {
    async up(db: Kysely<unknown>) {
      // The site's tax profile (JSON): the widget prices with the same rates the invoices use.
      await db.schema.alterTable('sites').addColumn('tax_profile', 'text').execute();

      const resource = (name: string, extra?: (t: Builder) => Builder) => resourceTable(db, name, extra);

      // due_at: the next moment the subscription has something to do (renewal, trial end, start, scheduled change
      // or cancellation); null when nothing is ahead. The time machine and the scheduler look it up by index.
      await resource('subscriptions', (t) =>
        t.addColumn('customer_id', 'varchar(100)', (c) => c.notNull()).addColumn('due_at', 'bigint'),
      );
      await resource('invoices', (t) =>
        t.addColumn('customer_id', 'varchar(100)', (c) => c.notNull()).addColumn('subscription_id', 'varchar(100)'),
      );
      // The token that authorises a hosted page's browser routes is kept only as a SHA-256 hash.
      await resource('hosted_pages', (t) =>
        t
          .addColumn('type', 'varchar(40)', (c) => c.notNull())
          .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull()),
      );
      await resource('portal_sessions', (t) =>
        t
          .addColumn('customer_id', 'varchar(100)', (c) => c.notNull())
          .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('access_hash', 'varchar(64)')
          .addColumn('expires_at', 'bigint', (c) => c.notNull()),
      );
      for (const table of ['subscriptions', 'invoices', 'hosted_pages', 'portal_sessions']) await resourceIndexes(db, table);
      await db.schema.createIndex('subscriptions_customer').on('subscriptions').columns(['site_id', 'customer_id']).execute();
      await db.schema.createIndex('subscriptions_due').on('subscriptions').columns(['site_id', 'due_at']).execute();
      await db.schema.createIndex('invoices_customer').on('invoices').columns(['site_id', 'customer_id']).execute();
      await db.schema.createIndex('invoices_subscription').on('invoices').columns(['site_id', 'subscription_id']).execute();
      await db.schema.createIndex('hosted_pages_token').on('hosted_pages').columns(['token_hash']).execute();
      await db.schema.createIndex('portal_sessions_token').on('portal_sessions').columns(['token_hash']).execute();
      await db.schema.createIndex('portal_sessions_access').on('portal_sessions').columns(['access_hash']).execute();

      // Chargebee's time machine: the site's clock runs `offset_seconds` ahead of the server's.
      await db.schema
        .createTable('time_machines')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('name', 'varchar(50)', (c) => c.notNull())
        .addColumn('offset_seconds', 'bigint', (c) => c.notNull())
        .addColumn('genesis_time', 'bigint', (c) => c.notNull())
        .addColumn('destination_time', 'bigint', (c) => c.notNull())
        .addColumn('time_travel_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('failure_reason', 'text')
        .addPrimaryKeyConstraint('time_machines_pk', ['site_id', 'name'])
        .execute();
    },
  },
  '0003_list_sequence': {
    async up(db: Kysely<unknown>) {
      // On PostgreSQL the list tiebreak comes from a sequence: nextval never waits for another transaction, where
      // the counter row made every concurrent insert queue behind it. SQLite has one writer and keeps the row.
      if (dialect !== 'postgres') return;
      const row = await sql<{ value: number }>`select value from sequences where name = 'seq'`.execute(db);
      const start = Number(row.rows[0]?.value ?? 0) + 1;
      await sql.raw(`create sequence if not exists list_seq start with ${String(start)}`).execute(db);
    },
  },
  '0004_payments_events': {
    async up(db: Kysely<unknown>) {
      const resource = (name: string, extra?: (t: Builder) => Builder) => resourceTable(db, name, extra);

      // Dunning: an invoice whose payment failed is retried at retry_at (the site's clock).
      await db.schema.alterTable('invoices').addColumn('retry_at', 'bigint').execute();
      await db.schema.createIndex('invoices_retry').on('invoices').columns(['site_id', 'retry_at']).execute();

      await resource('payment_sources', (t) => t.addColumn('customer_id', 'varchar(100)', (c) => c.notNull()));
      await resource('transactions', (t) =>
        t
          .addColumn('customer_id', 'varchar(100)', (c) => c.notNull())
          .addColumn('subscription_id', 'varchar(100)')
          .addColumn('invoice_id', 'varchar(100)'),
      );
      await resource('webhook_endpoints');
      for (const table of ['payment_sources', 'transactions', 'webhook_endpoints']) await resourceIndexes(db, table);
      await db.schema.createIndex('payment_sources_customer').on('payment_sources').columns(['site_id', 'customer_id']).execute();
      await db.schema.createIndex('transactions_customer').on('transactions').columns(['site_id', 'customer_id']).execute();
      await db.schema.createIndex('transactions_subscription').on('transactions').columns(['site_id', 'subscription_id']).execute();
      await db.schema.createIndex('transactions_invoice').on('transactions').columns(['site_id', 'invoice_id']).execute();

      // The test gateway's own records. A card token holds what the frame tokenized: never the number or the CVC,
      // only brand, last four, expiry and which test behaviour the number selects.
      await db.schema
        .createTable('gateway_tokens')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('id', 'varchar(60)', (c) => c.notNull())
        .addColumn('brand', 'varchar(30)', (c) => c.notNull())
        .addColumn('last4', 'varchar(4)', (c) => c.notNull())
        .addColumn('expiry_month', 'integer', (c) => c.notNull())
        .addColumn('expiry_year', 'integer', (c) => c.notNull())
        .addColumn('behaviour', 'varchar(30)', (c) => c.notNull())
        .addColumn('authentication', 'varchar(20)', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('gateway_tokens_pk', ['site_id', 'id'])
        .execute();
      await db.schema
        .createTable('gateway_cards')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('id', 'varchar(60)', (c) => c.notNull())
        .addColumn('behaviour', 'varchar(30)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('gateway_cards_pk', ['site_id', 'id'])
        .execute();
      // One row per charge request: the same key never moves money twice.
      await db.schema
        .createTable('gateway_charges')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('id', 'varchar(60)', (c) => c.notNull())
        .addColumn('card_id', 'varchar(60)', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency_code', 'varchar(3)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('error_code', 'varchar(50)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('gateway_charges_pk', ['site_id', 'idempotency_key'])
        .execute();

      // The outbox: written in the transaction of the change it describes.
      await db.schema
        .createTable('events')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('id', 'varchar(70)', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('event_type', 'varchar(60)', (c) => c.notNull())
        .addColumn('source', 'varchar(20)', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['site_id', 'id'])
        .execute();
      await db.schema.createIndex('events_order').on('events').columns(['site_id', 'occurred_at', 'seq']).execute();
      await db.schema.createIndex('events_type').on('events').columns(['site_id', 'event_type', 'occurred_at']).execute();

      // One delivery per event and endpoint; `next_attempt_at` and `locked_until` are the server's own time in ms.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('id', 'varchar(60)', (c) => c.primaryKey())
        .addColumn('event_id', 'varchar(70)', (c) => c.notNull())
        .addColumn('endpoint_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('locked_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').columns(['site_id', 'event_id']).execute();
      // The log: one row per attempt, written when the attempt is claimed. Its key makes a second send of the same
      // attempt impossible, whichever instance tries.
      await db.schema
        .createTable('webhook_attempts')
        .addColumn('delivery_id', 'varchar(60)', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('instance', 'varchar(60)', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer')
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('next_retry_at', 'bigint')
        .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
        .execute();

      // Chargebee's idempotency keys: the first response to a key is kept 24 hours and replayed.
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('scope', 'varchar(80)', (c) => c.notNull())
        .addColumn('key', 'varchar(255)', (c) => c.notNull())
        .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('locked_until', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['site_id', 'scope', 'key'])
        .execute();
      await db.schema.createIndex('idempotency_keys_expiry').on('idempotency_keys').columns(['expires_at']).execute();
    },
  },
  '0005_gateway_refunds': {
    async up(db: Kysely<unknown>) {
      // The test gateway's refunds: one row per refund key, against a charge in gateway_charges.
      await db.schema
        .createTable('gateway_refunds')
        .addColumn('site_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('id', 'varchar(60)', (c) => c.notNull())
        .addColumn('charge_id', 'varchar(60)', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('gateway_refunds_pk', ['site_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('gateway_refunds_charge').on('gateway_refunds').columns(['site_id', 'charge_id']).execute();
    },
  },
  '0006_site_branding': {
    async up(db: Kysely<unknown>) {
      // Whom the customer pays (JSON of a core SiteBranding): the name, logo and accent the checkout and portal show.
      await db.schema.alterTable('sites').addColumn('branding', 'text').execute();
    },
  },
  '0007_coupon_codes': {
    async up(db: Kysely<unknown>) {
      // Coupon sets and their codes (seed: a coupon code may be given where a coupon id is expected).
      await resourceTable(db, 'coupon_sets', (t) => t.addColumn('coupon_id', 'varchar(100)', (c) => c.notNull()));
      await resourceTable(db, 'coupon_codes', (t) => t.addColumn('coupon_id', 'varchar(100)', (c) => c.notNull()).addColumn('coupon_set_id', 'varchar(100)', (c) => c.notNull()));
      for (const table of ['coupon_sets', 'coupon_codes']) await resourceIndexes(db, table);
    },
  },
  '0008_coupon_discount_type': {
    async up(db: Kysely<unknown>) {
      // Coupon lists filter by discount_type (Chargebee's discount_type[is]); the column is read from each document.
      await db.schema.alterTable('coupons').addColumn('discount_type', 'varchar(20)').execute();
      const loose = db as unknown as Kysely<{ coupons: { site_id: string; id: string; data: string; discount_type: string | null } }>;
      for (const row of await loose.selectFrom('coupons').select(['site_id', 'id', 'data']).execute()) {
        const { discount_type } = JSON.parse(row.data) as { discount_type?: string };
        await loose.updateTable('coupons').set({ discount_type: discount_type ?? null }).where('site_id', '=', row.site_id).where('id', '=', row.id).execute();
      }
    },
  },
  '0009_portal_settings': {
    async up(db: Kysely<unknown>) {
      // What the self-serve portal lets customers do (JSON of a core PortalSettings); null: the defaults.
      await db.schema.alterTable('sites').addColumn('portal', 'text').execute();
    },
  },
  '0010_catalog_version': {
    async up(db: Kysely<unknown>) {
      // Every write to a site's plans or addons sets a new version here, so each instance knows when the catalog it
      // holds in memory is out of date (catalog-store.ts).
      await db.schema
        .createTable('catalog_versions')
        .addColumn('site_id', 'varchar(50)', (c) => c.primaryKey())
        .addColumn('version', 'varchar(40)', (c) => c.notNull())
        .execute();
    },
  },
  '0011_drop_token_indexes': {
    async up(db: Kysely<unknown>) {
      // No query looks a page or a session up by its token's hash (each is read by id, then its token compared in
      // constant time), so these indexes only cost every new page and session an insert at a random place in a
      // B-tree. portal_sessions_access is used (the portal's key): kept.
      for (const index of ['hosted_pages_token', 'portal_sessions_token']) await db.schema.dropIndex(index).ifExists().execute();
    },
  },
});

class InCodeProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

/**
 * Applies what is missing. On PostgreSQL pass the schema in use, so the migration tables are looked for there; the
 * dialect (postgres-schema.ts) keeps the introspection and the lock to that schema.
 */
export async function migrate(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
  schema?: string,
  tables: { migrationTableName?: string; migrationLockTableName?: string } = {},
): Promise<void> {
  const migrator = new Migrator({ db, provider: new InCodeProvider(migrations), ...tables, ...(schema && { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error instanceof Error ? error.message : error)}`);
  }
}
