import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseOrThrow } from '../core/errors.js';
import { addonSchema } from '../core/schemas/addon.js';
import { couponSchema } from '../core/schemas/coupon.js';
import { planSchema } from '../core/schemas/plan.js';
import type { Clock } from './clock.js';
import type { Dialect } from './db/index.js';
import type { Database, SiteRow } from './db/types.js';
import { taxProfileSchema } from '../core/tax.js';
import { demoAddons, demoCoupons, demoPlans, demoTaxProfile } from './seed/catalog.js';
import { Stores } from './stores.js';

const key = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url')}`;

/**
 * The site and its keys. Keys given in the environment are applied exactly (the site is created or updated with
 * them); otherwise they are generated once and kept in the database.
 */
export async function ensureSite(
  db: Kysely<Database>,
  o: { site: string; apiKey?: string | undefined; publishableKey?: string | undefined; clock: Clock },
): Promise<SiteRow> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('sites').selectAll().where('id', '=', o.site).executeTakeFirst();
    if (!existing) {
      const row: SiteRow = {
        id: o.site,
        api_key: o.apiKey ?? key('test_sk'),
        publishable_key: o.publishableKey ?? key('test_pk'),
        created_at: o.clock.now(),
        tax_profile: null,
      };
      await trx.insertInto('sites').values(row).execute();
      return row;
    }
    const api_key = o.apiKey ?? existing.api_key;
    const publishable_key = o.publishableKey ?? existing.publishable_key;
    if (api_key !== existing.api_key || publishable_key !== existing.publishable_key) {
      await trx.updateTable('sites').set({ api_key, publishable_key }).where('id', '=', o.site).execute();
    }
    return { ...existing, api_key, publishable_key };
  });
}

/** Seeds the demo catalog when the site's catalog is empty, in one transaction. Returns whether it seeded. */
export async function seedDemoCatalog(db: Kysely<Database>, dialect: Dialect, siteId: string, clock: Clock): Promise<boolean> {
  const stores = new Stores(siteId, dialect);
  return db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('plans').select('id').where('site_id', '=', siteId).limit(1).executeTakeFirst();
    const anyAddon = await trx.selectFrom('addons').select('id').where('site_id', '=', siteId).limit(1).executeTakeFirst();
    if (any || anyAddon) return false;
    const now = clock.now();
    const stamp = { created_at: now, updated_at: now, resource_version: now * 1000 };
    for (const a of demoAddons) await stores.addons.insert(trx, { ...parseOrThrow(addonSchema, a), ...stamp });
    for (const p of demoPlans) await stores.plans.insert(trx, { ...parseOrThrow(planSchema, p), ...stamp });
    for (const c of demoCoupons) await stores.coupons.insert(trx, { ...parseOrThrow(couponSchema, c), ...stamp });
    await trx.updateTable('sites').set({ tax_profile: JSON.stringify(parseOrThrow(taxProfileSchema, demoTaxProfile)) }).where('id', '=', siteId).execute();
    return true;
  });
}
