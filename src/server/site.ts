import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseOrThrow } from '../core/errors.js';
import { addonSchema } from '../core/schemas/addon.js';
import { couponSchema } from '../core/schemas/coupon.js';
import { planSchema } from '../core/schemas/plan.js';
import type { Clock } from './clock.js';
import type { Dialect } from './db/index.js';
import type { Db } from './db/transaction.js';
import type { Database, SiteRow } from './db/types.js';
import { type PortalSettings, portalSettingsSchema } from '../core/schemas/portal-settings.js';
import { type SiteBranding, siteBrandingSchema } from '../core/schemas/site.js';
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
  o: {
    site: string;
    apiKey?: string | undefined;
    publishableKey?: string | undefined;
    branding?: Partial<SiteBranding> | undefined;
    portal?: { [K in keyof PortalSettings]?: PortalSettings[K] | undefined } | undefined;
    clock: Clock;
  },
): Promise<SiteRow> {
  const given = Object.fromEntries(Object.entries(o.branding ?? {}).filter(([, v]) => v !== undefined));
  const givenPortal = Object.fromEntries(Object.entries(o.portal ?? {}).filter(([, v]) => v !== undefined));
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('sites').selectAll().where('id', '=', o.site).executeTakeFirst();
    if (!existing) {
      const row: SiteRow = {
        id: o.site,
        api_key: o.apiKey ?? key('test_sk'),
        publishable_key: o.publishableKey ?? key('test_pk'),
        created_at: o.clock.now(),
        tax_profile: null,
        branding: Object.keys(given).length ? JSON.stringify(brandingOf({ branding: null, id: o.site }, given)) : null,
        portal: Object.keys(givenPortal).length ? JSON.stringify(portalOf(null, givenPortal)) : null,
      };
      await trx.insertInto('sites').values(row).execute();
      return row;
    }
    const api_key = o.apiKey ?? existing.api_key;
    const publishable_key = o.publishableKey ?? existing.publishable_key;
    // Branding from the environment is applied as given (the API may change it afterwards).
    const branding = Object.keys(given).length ? JSON.stringify(brandingOf(existing, given)) : (existing.branding ?? null);
    const portal = Object.keys(givenPortal).length ? JSON.stringify(portalOf(existing.portal, givenPortal)) : (existing.portal ?? null);
    if (api_key !== existing.api_key || publishable_key !== existing.publishable_key || branding !== (existing.branding ?? null) || portal !== (existing.portal ?? null)) {
      await trx.updateTable('sites').set({ api_key, publishable_key, branding, portal }).where('id', '=', o.site).execute();
    }
    return { ...existing, api_key, publishable_key, branding, portal };
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

/** The site's branding, with `changes` applied (an empty string clears the logo or the accent); checked by the core. */
export function brandingOf(row: Pick<SiteRow, 'id' | 'branding'>, changes: Partial<Record<keyof SiteBranding, string | undefined>> = {}): SiteBranding {
  const current = row.branding ? (JSON.parse(row.branding) as SiteBranding) : { display_name: row.id };
  const next: Record<string, unknown> = { ...current, ...changes };
  for (const k of ['logo_url', 'accent_color']) if (next[k] === '' || next[k] === undefined) delete next[k];
  return parseOrThrow(siteBrandingSchema, next);
}

/** The branding as stored now (another instance may have changed it through the API). */
export async function readBranding(db: Db, siteId: string): Promise<SiteBranding> {
  const row = await db.selectFrom('sites').select(['id', 'branding']).where('id', '=', siteId).executeTakeFirstOrThrow();
  return brandingOf(row);
}

/** Applies branding changes (POST /api/v2/site) in the caller's transaction; returns the branding now. */
export async function saveBranding(trx: Db, siteId: string, changes: Partial<Record<keyof SiteBranding, string | undefined>>): Promise<SiteBranding> {
  const row = await trx.selectFrom('sites').select(['id', 'branding']).where('id', '=', siteId).executeTakeFirstOrThrow();
  const next = brandingOf(row, changes);
  await trx.updateTable('sites').set({ branding: JSON.stringify(next) }).where('id', '=', siteId).execute();
  return next;
}

/** The portal settings stored (JSON or null), with `changes` applied; checked by the core. */
function portalOf(stored: string | null | undefined, changes: Partial<PortalSettings> = {}): PortalSettings {
  return parseOrThrow(portalSettingsSchema, { ...(stored ? (JSON.parse(stored) as object) : {}), ...changes });
}

/** What the portal lets customers do, as stored now (another instance may have changed it through the API). */
export async function readPortalSettings(db: Db, siteId: string): Promise<PortalSettings> {
  const row = await db.selectFrom('sites').select('portal').where('id', '=', siteId).executeTakeFirstOrThrow();
  return portalOf(row.portal);
}

/** Applies portal setting changes (POST /api/v2/site) in the caller's transaction; returns the settings now. */
export async function savePortalSettings(trx: Db, siteId: string, changes: Partial<PortalSettings>): Promise<PortalSettings> {
  const row = await trx.selectFrom('sites').select('portal').where('id', '=', siteId).executeTakeFirstOrThrow();
  const next = portalOf(row.portal, changes);
  await trx.updateTable('sites').set({ portal: JSON.stringify(next) }).where('id', '=', siteId).execute();
  return next;
}
