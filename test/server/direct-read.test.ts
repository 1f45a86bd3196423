import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows } from '../../src/server/db/direct-read.js';
import { openStorage } from '../../src/server/db/index.js';
import { readOnly } from '../../src/server/db/read-only.js';

/** SQLite reads run directly on the idle connection (db/direct-read.ts), and never inside another's transaction. */
describe('direct reads on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-direct-'));
  let storage: Awaited<ReturnType<typeof openStorage>>;
  const versionOf = (site: string) => storage.db.selectFrom('catalog_versions').select('version').where('site_id', '=', site).compile();
  beforeAll(async () => {
    storage = await openStorage({ dataDir: dir });
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers at once (in the same turn) when no one holds the connection, readOnly(db) too', async () => {
    await storage.db.insertInto('catalog_versions').values({ site_id: 's1', version: 'v1' }).execute();
    let answered: unknown;
    const p = readRows(readOnly(storage.db), versionOf('s1')).then((r) => (answered = r));
    // Through Kysely's connection mutex this takes several promise turns; directly, one.
    await Promise.resolve();
    await Promise.resolve();
    expect(answered).toEqual([{ version: 'v1' }]);
    await p;
  });

  it("waits for a write transaction that is open and sees its commit, never its uncommitted rows", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const wrote = new Promise<void>((r) => (inserted = r));
    const trx = storage.db.transaction().execute(async (t) => {
      await t.insertInto('catalog_versions').values({ site_id: 's2', version: 'v2' }).execute();
      inserted();
      await gate;
    });
    await wrote;
    let seen: unknown;
    const read = readRows(storage.db, versionOf('s2')).then((r) => (seen = r));
    await new Promise((r) => setImmediate(r));
    expect(seen).toBeUndefined();
    release();
    await trx;
    await read;
    expect(seen).toEqual([{ version: 'v2' }]);
  });
});
