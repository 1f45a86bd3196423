/**
 * Backends sharing one PostgreSQL database, each in its own schema: one schema's migration neither waits for nor
 * trips over another's (the test runs do exactly this, dropping their schemas as they finish).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/server/db/index.js';

const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
const dir = mkdtempSync(join(tmpdir(), 'paylit-schemas-'));
const made: string[] = [];
let n = 0;
const fresh = () => {
  const name = `s_${String(process.pid)}_${String(Date.now())}_${String(n++)}`;
  made.push(name);
  return name;
};
const client = async () => {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  return c;
};
const tablesOf = async (schema: string) => {
  const c = await client();
  try {
    const { rows } = await c.query<{ n: string }>('select count(*) as n from pg_tables where schemaname = $1', [schema]);
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
};

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!pgUrl) return;
  const c = await client();
  for (const s of made) await c.query(`drop schema if exists ${s} cascade`);
  await c.end();
});

describe.skipIf(!pgUrl)('PostgreSQL schemas side by side', () => {
  it("migrates a schema while another process holds a different schema's migration lock", async () => {
    // Another process mid-migration: Kysely's database-wide lock key, and the key of another schema's lock.
    const other = await client();
    await other.query('select pg_advisory_lock(3853314791062309107)');
    await other.query(`select pg_advisory_lock(hashtext('paylit migrations ${fresh()}.kysely_migration_lock'))`);
    try {
      const schema = fresh();
      const storage = await openStorage({ databaseUrl: pgUrl, dataDir: dir, schema });
      await storage.close();
      expect(await tablesOf(schema)).toBeGreaterThan(20);
    } finally {
      await other.end();
    }
  }, 15_000);

  it('two processes migrating one new schema at once both start (the lock still holds within a schema)', async () => {
    const schema = fresh();
    const both = await Promise.all([openStorage({ databaseUrl: pgUrl, dataDir: dir, schema }), openStorage({ databaseUrl: pgUrl, dataDir: dir, schema })]);
    const applied = await both[0].db.selectFrom('kysely_migration' as never).select('name' as never).execute();
    for (const s of both) await s.close();
    expect(applied.length).toBeGreaterThan(5);
  }, 30_000);

  it('migrates while other schemas are created and dropped around it', async () => {
    // The churn the test runs make: schemas created and dropped while others migrate.
    const churn = await client();
    let stop = false;
    const churning = (async () => {
      for (let i = 0; !stop; i++) {
        const s = fresh();
        await churn.query(`create schema ${s}`);
        for (let t = 0; t < 20; t++) await churn.query(`create table ${s}.t${String(t)} (id int)`);
        await churn.query(`drop schema ${s} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 12; i++) {
        const schema = fresh();
        const storage = await openStorage({ databaseUrl: pgUrl, dataDir: dir, schema });
        await storage.close();
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  }, 60_000);
});
