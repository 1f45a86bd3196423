import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { listParams, stringFilter } from '../../core/params/list.js';
import { idParam } from '../../core/params/common.js';
import { addonSchema } from '../../core/schemas/addon.js';
import { status } from '../../core/schemas/common.js';
import { type CouponCode, couponCodeSchema, couponSetSchema } from '../../core/schemas/coupon-code.js';
import { couponSchema } from '../../core/schemas/coupon.js';
import { planSchema } from '../../core/schemas/plan.js';
import { SERVER_FIELDS } from '../catalog/catalog.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { notFound, paramError } from '../errors.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readPatch, readQuery, refuseKeys } from '../http/params.js';
import type { Services } from '../services.js';
import { pageQuery } from '../store.js';

// include_deleted is accepted for Chargebee compatibility; nothing is soft-deleted here, so it changes no result.
const itemList = { ...listParams, status: z.optional(stringFilter(status)), include_deleted: z.optional(z.enum(['true', 'false'])) };
const addonList = z.strictObject({ ...itemList, charge_type: z.optional(stringFilter(z.enum(['recurring', 'non_recurring']))), currency_code: z.optional(stringFilter(z.string())) });
const planList = z.strictObject({ ...itemList, currency_code: z.optional(stringFilter(z.string())), enabled_in_hosted_pages: z.optional(z.strictObject({ is: z.enum(['true', 'false']) })) });
const couponList = z.strictObject({
  ...listParams,
  status: z.optional(stringFilter(z.enum(['active', 'expired', 'archived', 'deleted']))),
  discount_type: z.optional(stringFilter(z.enum(['fixed_amount', 'percentage']))),
});
const planCopy = z.strictObject({
  from_site: z.string().check(z.minLength(1)),
  id_at_from_site: idParam,
  id_at_to_site: z.optional(idParam),
  for_site_merging: z.optional(z.enum(['true', 'false'])),
});

const addCodes = z.strictObject({ code: z.array(couponCodeSchema.shape.code).check(z.minLength(1), z.maxLength(250)) });

/** `{ "list": [{ "plan": ... }], "next_offset": ... }` from records' stored JSON text, spliced as it is. */
const listBody = (name: string) => (page: { items: string[]; next_offset?: string }): string => {
  const list = page.items.map((json) => `{"${name}":${json}}`).join(',');
  const next = page.next_offset === undefined ? '' : `,"next_offset":${JSON.stringify(page.next_offset)}`;
  return `{"list":[${list}]${next}}`;
};
const jsonBody = (c: Context, body: string): Response => c.body(body, 200, { 'content-type': 'application/json' });
/** The query string as sent (what a list answer is kept under for the catalog version). */
const rawQuery = (c: Context): string => {
  const at = c.req.url.indexOf('?');
  return at < 0 ? '' : c.req.url.slice(at + 1);
};

/** `{ "plan": ... }` from a record's stored JSON text, spliced as it is. */
const jsonOne = (c: Context, name: string, json: string): Response => c.body(`{"${name}":${json}}`, 200, { 'content-type': 'application/json' });

/** Catalog fields of features this backend does not have: refused by name rather than stored and ignored. */
const NOT_BUILT = ['tax_profile_id'];
const PER_ITEM_TAX = 'is not supported: the site has one tax profile, whose rates apply to every taxable item';

/** Plans, addons and coupons: Chargebee's catalog API under /api/v2 (addons also under /api/v1, as the v1 seed). */
export function catalogRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const { catalog } = s;
  /** A coupon code as Chargebee shows it: the code is its id, and it names its set. */
  const codeView = async (trx: Db, { id: _id, ...code }: CouponCode & { id: string }) => {
    const set = await d.stores.couponSets.get(trx, code.coupon_set_id);
    return { ...code, ...(set && { coupon_set_name: set.name }) };
  };

  // ---------------------------------------------------------------- addons
  const addons = new Hono();
  addons.post('/', async (c) => {
    const { body, form } = await readBody(c);
    refuseKeys(body, SERVER_FIELDS);
    refuseKeys(body, NOT_BUILT, PER_ITEM_TAX);
    const input = parseWith(addonSchema, body, form, c);
    // The seed's v1 API: charge_type is required (the schema's default is for records made before it was).
    if (!Object.hasOwn(body, 'charge_type')) throw paramError('charge_type', 'is required: recurring or non_recurring');
    return respond(c, db, async (trx) => ({ addon: await catalog.createAddon(trx, input) }));
  });
  addons.get('/', async (c) => {
    const parse = () => {
      const q = parseWith(addonList, readQuery(c), true, c);
      return pageQuery(q, { status: q.status, charge_type: q.charge_type, currency_code: q.currency_code });
    };
    return jsonBody(c, await d.stores.catalog.listBody(db, 'addons', rawQuery(c), parse, listBody('addon')));
  });
  addons.get('/:id', noParams, async (c) => {
    const addon = await d.stores.catalog.json(db, 'addons', c.req.param('id'));
    if (addon === undefined) throw notFound('addon', c.req.param('id'));
    return jsonOne(c, 'addon', addon);
  });
  addons.post('/:id', async (c) => {
    const patch = await readPatch(c, addonSchema, [...SERVER_FIELDS, 'id']);
    refuseKeys(patch, NOT_BUILT, PER_ITEM_TAX);
    return respond(c, db, async (trx) => ({ addon: await catalog.updateAddon(trx, c.req.param('id'), patch) }));
  });
  addons.post('/:id/delete', noParams, async (c) => respond(c, db, async (trx) => ({ addon: await catalog.deleteAddon(trx, c.req.param('id')) })));
  app.route('/api/v2/addons', addons);
  app.route('/api/v1/addons', addons);

  // ---------------------------------------------------------------- plans
  app.post('/api/v2/plans', async (c) => {
    const { body, form } = await readBody(c);
    refuseKeys(body, SERVER_FIELDS);
    refuseKeys(body, NOT_BUILT, PER_ITEM_TAX);
    const input = parseWith(planSchema, body, form, c);
    return respond(c, db, async (trx) => ({ plan: await catalog.createPlan(trx, input) }));
  });
  app.get('/api/v2/plans', async (c) => {
    const parse = () => {
      const q = parseWith(planList, readQuery(c), true, c);
      const enabled = q.enabled_in_hosted_pages && { is: q.enabled_in_hosted_pages.is === 'true' ? 1 : 0 };
      return pageQuery(q, { status: q.status, currency_code: q.currency_code, enabled_in_hosted_pages: enabled });
    };
    return jsonBody(c, await d.stores.catalog.listBody(db, 'plans', rawQuery(c), parse, listBody('plan')));
  });
  app.post('/api/v2/plans/copy', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(planCopy, body, form, c);
    if (p.from_site !== d.site.id) throw paramError('from_site', `only this site (${d.site.id}) can be copied from`);
    return respond(c, db, async (trx) => ({ plan: await catalog.copyPlan(trx, p.id_at_from_site, p.id_at_to_site) }));
  });
  app.get('/api/v2/plans/:id', noParams, async (c) => {
    const plan = await d.stores.catalog.json(db, 'plans', c.req.param('id'));
    if (plan === undefined) throw notFound('plan', c.req.param('id'));
    return jsonOne(c, 'plan', plan);
  });
  app.post('/api/v2/plans/:id', async (c) => {
    const patch = await readPatch(c, planSchema, [...SERVER_FIELDS, 'id']);
    refuseKeys(patch, NOT_BUILT, PER_ITEM_TAX);
    return respond(c, db, async (trx) => ({ plan: await catalog.updatePlan(trx, c.req.param('id'), patch) }));
  });
  app.post('/api/v2/plans/:id/delete', noParams, async (c) => respond(c, db, async (trx) => ({ plan: await catalog.deletePlan(trx, c.req.param('id')) })));

  // ---------------------------------------------------------------- coupons
  app.post('/api/v2/coupons', async (c) => {
    const { body, form } = await readBody(c);
    refuseKeys(body, SERVER_FIELDS);
    const input = parseWith(couponSchema, body, form, c);
    return respond(c, db, async (trx) => ({ coupon: await catalog.createCoupon(trx, input) }));
  });
  app.get('/api/v2/coupons', async (c) => {
    const q = parseWith(couponList, readQuery(c), true, c);
    const { items, next_offset } = await d.stores.coupons.list(db, pageQuery(q, { status: q.status, discount_type: q.discount_type }));
    return c.json({ list: items.map((coupon) => ({ coupon })), ...(next_offset && { next_offset }) });
  });
  app.get('/api/v2/coupons/:id', noParams, async (c) => {
    const coupon = await d.stores.coupons.get(db, c.req.param('id'));
    if (!coupon) throw notFound('coupon', c.req.param('id'));
    return c.json({ coupon });
  });
  // ---------------------------------------------------------------- coupon sets and codes
  app.post('/api/v2/coupon_sets', async (c) => {
    const { body, form } = await readBody(c);
    refuseKeys(body, SERVER_FIELDS);
    const input = parseWith(couponSetSchema, body, form, c);
    return respond(c, db, async (trx) => ({ coupon_set: await catalog.createCouponSet(trx, input) }));
  });
  app.get('/api/v2/coupon_sets/:id', noParams, async (c) => {
    const set = await d.stores.couponSets.get(db, c.req.param('id'));
    if (!set) throw notFound('coupon_set', c.req.param('id'));
    return c.json({ coupon_set: set });
  });
  app.post('/api/v2/coupon_sets/:id/add_coupon_codes', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(addCodes, body, form, c);
    return respond(c, db, async (trx) => ({ coupon_set: await catalog.addCouponCodes(trx, c.req.param('id'), p.code) }));
  });
  app.get('/api/v2/coupon_codes/:code', noParams, async (c) => {
    const code = await d.stores.couponCodes.get(db, c.req.param('code'));
    if (!code) throw notFound('coupon_code', c.req.param('code'));
    return c.json({ coupon_code: await codeView(db, code) });
  });
  app.post('/api/v2/coupon_codes/:code/archive', noParams, async (c) => respond(c, db, async (trx) => ({ coupon_code: await codeView(trx, await catalog.archiveCouponCode(trx, c.req.param('code'))) })));

  app.post('/api/v2/coupons/:id/delete', noParams, async (c) => respond(c, db, async (trx) => ({ coupon: await catalog.deleteCoupon(trx, c.req.param('id')) })));

  return app;
}
