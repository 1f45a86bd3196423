import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../server/db/index.js';

/** The ledger's tables in the merchant's own database (credit_accounts, credit_entries, processed_events, seen_signatures). */
export const ledgerMigrations = (dialect: Dialect): Record<string, Migration> => ({
  '0001_ledger': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('credit_accounts')
        .addColumn('account_id', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('balance', 'bigint', (c) => c.notNull().check(sql`balance >= 0`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('credit_entries')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('account_id', 'varchar(100)', (c) => c.notNull().references('credit_accounts.account_id'))
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('balance_after', 'bigint', (c) => c.notNull().check(sql`balance_after >= 0`))
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('event_id', 'varchar(100)')
        .addColumn('invoice_id', 'varchar(100)')
        .addColumn('addon_id', 'varchar(100)')
        .addColumn('reference', 'varchar(200)')
        .addColumn('description', 'varchar(500)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('credit_entries_account').on('credit_entries').columns(['account_id', 'id']).execute();
      await db.schema.createIndex('credit_entries_reference').on('credit_entries').columns(['account_id', 'reference']).unique().execute();
      await db.schema
        .createTable('processed_events')
        .addColumn('event_id', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('event_type', 'varchar(100)', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('processed_at', 'bigint', (c) => c.notNull())
        .addColumn('outcome', 'varchar(1000)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('seen_signatures')
        .addColumn('signature', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('seen_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('seen_signatures_age').on('seen_signatures').columns(['seen_at']).execute();
    },
  },
});
