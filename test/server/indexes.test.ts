import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestServer } from './harness.js';

/**
 * The indexes of the tables every checkout and portal session writes a row to: each costs every insert, so each must
 * be one some query reads (pages and sessions are read by id, their tokens compared after; the portal's key by hash).
 */
describe.each(backends)('write-heavy tables keep only the indexes their reads use, on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start();
  });
  afterAll(() => s.close());

  const indexes = async (table: string): Promise<string[]> => {
    const rows =
      backend.kind === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(s.storage.db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = ${table} and schemaname = current_schema() and indexname <> ${`${table}_pk`}`.execute(s.storage.db);
    return rows.rows.map((r) => r.name).sort();
  };

  it('hosted_pages: by status, in creation order, by update time; none by token hash', async () => {
    expect(await indexes('hosted_pages')).toEqual(['hosted_pages_order', 'hosted_pages_status', 'hosted_pages_updated']);
  });

  it('portal_sessions: the portal key by hash, and the list indexes; none by token hash', async () => {
    expect(await indexes('portal_sessions')).toEqual(['portal_sessions_access', 'portal_sessions_order', 'portal_sessions_status', 'portal_sessions_updated']);
  });
});
