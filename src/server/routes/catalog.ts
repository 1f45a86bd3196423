import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { applicableAddons } from '../../core/applicability.js';
import { type FieldError, fieldErrors } from '../../core/errors.js';
import { type Addon, addonSchema } from '../../core/schemas/addon.js';
import { couponSchema } from '../../core/schemas/coupon.js';
import { addressSchema, type Customer, customerSchema } from '../../core/schemas/customer.js';
import { type Plan, planSchema } from '../../core/schemas/plan.js';
import { status as statusEnum } from '../../core/schemas/common.js';
import { duplicate, invalidState, notFound, paramError } from '../http/errors.js';
import { coerceForm, readQuery, parseWith, readBody, toApiError } from '../http/params.js';
import { respond } from '../http/idempotency.js';
import { type ColumnFilter, listBase, type ListQuery, parseQuery, type ResourceStore, stringFilter } from '../store.js';
import { type Deps, nextVersion } from '../context.js';
import type { Db } from '../db/transaction.js';

/** Fields the server owns: a client may not send them. */
const SERVER_FIELDS = ['status', 'archived_at', 'created_at', 'updated_at', 'resource_version', 'object', 'deleted', 'redemptions', 'promotional_credits', 'refundable_credits'];

function rejectKeys(body: Record<string, unknown>, keys: readonly string[], why = 'is not a known parameter'): void {
  const errors: FieldError[] = keys.filter((k) => k in body).map((param) => ({ param, message: why }));
  if (errors.length) throw toApiError(errors);
}

/** Whether a subscription or invoice uses the item. Takes the caller's transaction (SQLite has one connection). */
const linked = async (db: Db, d: Deps, type: 'plan' | 'addon' | 'coupon', id: string) =>
  !!(await db
    .selectFrom('item_usages')
    .select('item_id')
    .where('site_id', '=', d.site.id)
    .where('item_type', '=', type)
    .where('item_id', '=', id)
    .limit(1)
    .executeTakeFirst());

// include_deleted is accepted for Chargebee compatibility; nothing is soft-deleted here, so it changes no result.
const listQuerySchema = <E extends z.ZodRawShape>(extra: E) =>
  z.object({ ...listBase, status: stringFilter(statusEnum as unknown as z.ZodType<string>).optional(), include_deleted: z.enum(['true', 'false']).optional(), ...extra }).strict();

/** The common list parameters plus the filters on named columns (`status` always). */
function toListQuery(q: Record<string, unknown>, columns: readonly string[]): ListQuery {
  const filters: Record<string, ColumnFilter | undefined> = {};
  for (const c of ['status', ...columns]) filters[c] = q[c] as ColumnFilter | undefined;
  return { ...(q as unknown as ListQuery), columns: filters };
}

// Built once: zod compiles a schema on first use, so a schema made per request would be compiled per request.
const addonListSchema = listQuerySchema({
  charge_type: stringFilter(z.enum(['recurring', 'non_recurring'])).optional(),
  currency_code: stringFilter(z.string()).optional(),
});
const planListSchema = listQuerySchema({
  currency_code: stringFilter(z.string()).optional(),
  enabled_in_hosted_pages: z.object({ is: z.enum(['true', 'false']) }).strict().optional(),
});
const couponListSchema = z
  .object({ ...listBase, status: stringFilter(z.enum(['active', 'expired', 'archived', 'deleted'])).optional(), discount_type: stringFilter(z.enum(['fixed_amount', 'percentage'])).optional() })
  .strict();
const customerListSchema = z.object({ ...listBase, email: stringFilter(z.string()).optional(), include_deleted: z.enum(['true', 'false']).optional() }).strict();
const planCopySchema = z
  .object({ from_site: z.string().min(1), id_at_from_site: z.string().min(1).max(100), id_at_to_site: z.string().min(1).max(100).optional(), for_site_merging: z.enum(['true', 'false']).optional() })
  .strict();

/** Plans, addons, coupons and customers: Chargebee's catalog API under /api/v2 (addons also under /api/v1). */
export function catalogRoutes(d: Deps): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const s = d.stores;

  /**
   * Inserts a new resource stamped with the server's times, refusing a duplicate id, in one transaction with
   * `check` (which reads what the resource refers to).
   */
  async function createNew<T extends { id: string }>(trx: Db, store: ResourceStore<T>, input: T, check?: (trx: Db) => Promise<void>, after?: (trx: Db, r: T) => Promise<unknown>): Promise<T> {
    const now = d.clock.now();
    const resource: T = { ...input, created_at: now, updated_at: now, resource_version: nextVersion(now) };
    await check?.(trx);
    if (await store.get(trx, resource.id)) throw duplicate('id', `The value ${resource.id} is already present.`);
    await store.insert(trx, resource);
    await after?.(trx, resource);
    return resource;
  }

  /**
   * Seed rule for plans, addons and coupons: an item that subscriptions or invoices use is archived, not purged
   * (those keep renewing); an unused one is removed and returned once more with status "deleted".
   */
  async function deleteOrArchive<T extends { id: string; status?: string; resource_version?: number }>(
    trx: Db,
    store: ResourceStore<T>,
    type: 'plan' | 'addon' | 'coupon',
    id: string,
    archived: (current: T, now: number) => T,
  ): Promise<T> {
    const current = await store.get(trx, id);
    if (!current) throw notFound(type, id);
    const now = d.clock.now();
    if (await linked(trx, d, type, id)) {
      if (current.status === 'archived') return current;
      return store.update(trx, { ...archived(current, now), updated_at: now, resource_version: nextVersion(now, current.resource_version) });
    }
    await store.remove(trx, id);
    return { ...current, status: 'deleted', updated_at: now };
  }

  // ---------------------------------------------------------------- addons
  const addonRoutes = new Hono();
  addonRoutes.post('/', async (c) => {
    const { body, form } = await readBody(c);
    rejectKeys(body, SERVER_FIELDS);
    const input = parseWith(addonSchema, body, form);
    return respond(c, db, async (trx) => ({ addon: await createNew(trx, s.addons, input) }));
  });

  addonRoutes.get('/', async (c) => {
    const q = parseQuery(addonListSchema, readQuery(c));
    const lq = toListQuery(q, ['charge_type', 'currency_code']);
    const { items, next_offset } = await s.addons.list(db, lq);
    return c.json({ list: items.map((addon) => ({ addon })), ...(next_offset && { next_offset }) });
  });

  addonRoutes.get('/:id', async (c) => {
    const addon = await s.addons.get(db, c.req.param('id'));
    if (!addon) throw notFound('addon', c.req.param('id'));
    return c.json({ addon });
  });

  addonRoutes.post('/:id', async (c) => {
    const id = c.req.param('id');
    const { body, form } = await readBody(c);
    rejectKeys(body, [...SERVER_FIELDS, 'id']);
    return respond(c, db, async (trx) => {
      const current = await s.addons.get(trx, id);
      if (!current) throw notFound('addon', id);
      if (current.status !== 'active') throw invalidState(`The addon ${id} is ${current.status} and cannot be edited.`);
      if (await linked(trx, d, 'addon', id)) {
        // Seed: once an invoice or a subscription uses the addon, only these may change.
        const allowed = new Set(['name', 'invoice_name', 'price', 'price_in_decimal']);
        const bad = Object.keys(body).filter((k) => !allowed.has(k));
        if (bad.length) {
          throw toApiError(bad.map((param) => ({ param, message: 'cannot be changed once the addon has subscriptions or invoices; only name, invoice_name and price can' })));
        }
      }
      const base: Record<string, unknown> = { ...current };
      for (const k of SERVER_FIELDS) delete base[k];
      // A change of charge type resets the period fields unless they are given again.
      if ('charge_type' in body && body.charge_type !== current.charge_type) {
        if (!('period' in body)) delete base.period;
        if (!('period_unit' in body)) delete base.period_unit;
      }
      const merged = parseWith(addonSchema, { ...base, ...(form ? coerceTo(addonSchema, body) : body) }, false);
      const now = d.clock.now();
      const next: Addon = { ...merged, status: current.status, created_at: current.created_at, updated_at: now, resource_version: nextVersion(now, current.resource_version) };
      return { addon: await s.addons.update(trx, next) };
    });
  });

  addonRoutes.post('/:id/delete', async (c) => {
    return respond(c, db, async (trx) => ({
      addon: await deleteOrArchive(trx, s.addons, 'addon', c.req.param('id'), (a, now) => ({ ...a, status: 'archived' as const, archived_at: now })),
    }));
  });

  app.route('/api/v2/addons', addonRoutes);
  app.route('/api/v1/addons', addonRoutes);

  // ---------------------------------------------------------------- plans
  /** Attached, applicable and event-based addons must exist and be attachable (archived ones are refused). */
  async function checkPlanAddons(tx: Db, plan: Plan): Promise<void> {
    const ids = new Set([...(plan.attached_addons ?? []), ...(plan.applicable_addons ?? []), ...(plan.event_based_addons ?? [])].map((a) => a.id));
    if (ids.size === 0) return;
    const catalog = (await s.addons.all(tx)).filter((a) => ids.has(a.id));
    const { unavailable } = applicableAddons(plan, catalog);
    const errors: FieldError[] = [];
    for (const u of unavailable) {
      for (const [list, entries] of [['attached_addons', plan.attached_addons], ['applicable_addons', plan.applicable_addons], ['event_based_addons', plan.event_based_addons]] as const) {
        (entries ?? []).forEach((e, i) => {
          if (e.id === u.id) errors.push({ param: `${list}[id][${String(i)}]`, message: u.reason });
        });
      }
    }
    if (errors.length) throw toApiError(errors);
  }

  app.post('/api/v2/plans', async (c) => {
    const { body, form } = await readBody(c);
    rejectKeys(body, SERVER_FIELDS);
    const input = parseWith(planSchema, body, form);
    return respond(c, db, async (trx) => ({ plan: await createNew(trx, s.plans, input, (tx) => checkPlanAddons(tx, input)) }));
  });

  app.get('/api/v2/plans', async (c) => {
    const q = parseQuery(planListSchema, readQuery(c));
    const lq = toListQuery(q, ['currency_code']);
    if (q.enabled_in_hosted_pages) lq.columns!.enabled_in_hosted_pages = { is: q.enabled_in_hosted_pages.is === 'true' ? 1 : 0 };
    const { items, next_offset } = await s.plans.list(db, lq);
    return c.json({ list: items.map((plan) => ({ plan })), ...(next_offset && { next_offset }) });
  });

  app.post('/api/v2/plans/copy', async (c) => {
    const { body } = await readBody(c);
    const p = planCopySchema.safeParse(body, { reportInput: true });
    if (!p.success) throw toApiError(fieldErrors(p.error));
    if (p.data.from_site !== d.site.id) throw paramError('from_site', `only this site (${d.site.id}) can be copied from`);
    return respond(c, db, async (trx) => {
      const source = await s.plans.get(trx, p.data.id_at_from_site);
      if (!source) throw notFound('plan', p.data.id_at_from_site);
      const newId = p.data.id_at_to_site ?? `${source.id}-copy`;
      if (await s.plans.get(trx, newId)) throw duplicate('id_at_to_site', `The value ${newId} is already present.`);
      const now = d.clock.now();
      const { archived_at: _a, ...rest } = source;
      const copy = parseWith(planSchema, { ...rest, id: newId, status: 'active', created_at: now, updated_at: now, resource_version: nextVersion(now) }, false);
      return { plan: await s.plans.insert(trx, copy) };
    });
  });

  app.get('/api/v2/plans/:id', async (c) => {
    const plan = await s.plans.get(db, c.req.param('id'));
    if (!plan) throw notFound('plan', c.req.param('id'));
    return c.json({ plan });
  });

  app.post('/api/v2/plans/:id', async (c) => {
    const id = c.req.param('id');
    const { body, form } = await readBody(c);
    rejectKeys(body, [...SERVER_FIELDS, 'id']);
    return respond(c, db, async (trx) => {
      const current = await s.plans.get(trx, id);
      if (!current) throw notFound('plan', id);
      if (current.status !== 'active') throw invalidState(`The plan ${id} is ${current.status} and cannot be edited.`);
      if (await linked(trx, d, 'plan', id)) {
        // Seed: with subscriptions, the billing shape is fixed; the price may change on flat fee and per unit only,
        // and a new price applies to new subscriptions (existing ones keep the price they were sold at).
        const fixed = ['currency_code', 'period', 'period_unit', 'pricing_model', 'tiers', 'free_quantity', 'free_quantity_in_decimal', 'giftable'];
        const errors: FieldError[] = fixed.filter((k) => k in body).map((param) => ({ param, message: 'cannot be changed once the plan has subscriptions' }));
        if (('price' in body || 'price_in_decimal' in body) && !['flat_fee', 'per_unit'].includes(current.pricing_model)) {
          errors.push({ param: 'price', message: 'can change on plans with subscriptions only under flat fee or per unit pricing' });
        }
        if (errors.length) throw toApiError(errors);
      }
      const base: Record<string, unknown> = { ...current };
      for (const k of SERVER_FIELDS) delete base[k];
      const merged = parseWith(planSchema, { ...base, ...(form ? coerceTo(planSchema, body) : body) }, false);
      await checkPlanAddons(trx, merged);
      const now = d.clock.now();
      return { plan: await s.plans.update(trx, { ...merged, status: current.status, created_at: current.created_at, updated_at: now, resource_version: nextVersion(now, current.resource_version) }) };
    });
  });

  app.post('/api/v2/plans/:id/delete', async (c) => {
    return respond(c, db, async (trx) => ({
      plan: await deleteOrArchive(trx, s.plans, 'plan', c.req.param('id'), (p, now) => ({ ...p, status: 'archived' as const, archived_at: now })),
    }));
  });

  // ---------------------------------------------------------------- coupons
  app.post('/api/v2/coupons', async (c) => {
    const { body, form } = await readBody(c);
    rejectKeys(body, SERVER_FIELDS);
    const input = parseWith(couponSchema, body, form);
    return respond(c, db, async (trx) => ({ coupon: await createNew(trx, s.coupons, input) }));
  });
  app.get('/api/v2/coupons', async (c) => {
    const q = parseQuery(couponListSchema, readQuery(c));
    if (q.discount_type) throw paramError('discount_type', 'filtering by discount_type is not supported yet');
    const { items, next_offset } = await s.coupons.list(db, toListQuery(q, []));
    return c.json({ list: items.map((coupon) => ({ coupon })), ...(next_offset && { next_offset }) });
  });
  app.get('/api/v2/coupons/:id', async (c) => {
    const coupon = await s.coupons.get(db, c.req.param('id'));
    if (!coupon) throw notFound('coupon', c.req.param('id'));
    return c.json({ coupon });
  });
  app.post('/api/v2/coupons/:id/delete', async (c) => {
    return respond(c, db, async (trx) => ({ coupon: await deleteOrArchive(trx, s.coupons, 'coupon', c.req.param('id'), (k) => ({ ...k, status: 'archived' as const })) }));
  });

  // ---------------------------------------------------------------- customers
  const customerUpdatable = ['first_name', 'last_name', 'email', 'phone', 'company', 'locale', 'preferred_currency_code', 'auto_collection', 'taxability', 'meta_data'];
  app.post('/api/v2/customers', async (c) => {
    const { body, form } = await readBody(c);
    rejectKeys(body, SERVER_FIELDS);
    const withId = { id: `cus_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`, ...body };
    const input = parseWith(customerSchema, withId, form);
    return respond(c, db, async (trx) => ({ customer: await createNew(trx, s.customers, input, undefined, (tx, r) => d.outbox.emit(tx, 'customer_created', { customer: r })) }));
  });
  app.get('/api/v2/customers', async (c) => {
    const q = parseQuery(customerListSchema, readQuery(c));
    const lq: ListQuery = { ...(q as unknown as ListQuery), columns: { email: q.email } };
    const { items, next_offset } = await s.customers.list(db, lq);
    return c.json({ list: items.map((customer) => ({ customer })), ...(next_offset && { next_offset }) });
  });
  app.get('/api/v2/customers/:id', async (c) => {
    const customer = await s.customers.get(db, c.req.param('id'));
    if (!customer) throw notFound('customer', c.req.param('id'));
    return c.json({ customer });
  });
  const updateCustomer = (fields: (body: Record<string, unknown>, form: boolean, current: Customer) => Record<string, unknown>) => async (c: Context) => {
    const id = c.req.param('id')!;
    const { body, form } = await readBody(c);
    return respond(c, db, async (trx) => {
      const current = await s.customers.get(trx, id);
      if (!current) throw notFound('customer', id);
      const { created_at, updated_at: _u, resource_version, object: _o, ...base } = current;
      const merged = parseWith(customerSchema, { ...base, ...fields(body, form, current) }, false);
      const now = d.clock.now();
      const next = await s.customers.update(trx, { ...merged, created_at, updated_at: now, resource_version: nextVersion(now, resource_version) });
      await d.outbox.emit(trx, 'customer_changed', { customer: next });
      return { customer: next };
    });
  };
  app.post('/api/v2/customers/:id', updateCustomer((body, form) => {
    rejectKeys(body, [...SERVER_FIELDS, 'id', 'billing_address']);
    const unknown = Object.keys(body).filter((k) => !customerUpdatable.includes(k));
    if (unknown.length) throw toApiError(unknown.map((param) => ({ param, message: 'is not a known parameter' })));
    return form ? (coerceTo(customerSchema, body) as Record<string, unknown>) : body;
  }));
  const billingInfo = zm.strictObject({
    billing_address: addressSchema,
    vat_number: zm.optional(zm.string().check(zm.maxLength(20))),
  });
  app.post('/api/v2/customers/:id/update_billing_info', updateCustomer((body, form) => {
    const { billing_address } = parseWith(billingInfo, body, form);
    return { billing_address: { ...billing_address, object: 'billing_address' } };
  }));

  return app;
}

/** Form strings turned into the types a schema expects; the merged document is validated as a whole after. */
function coerceTo(schema: Parameters<typeof coerceForm>[0], body: Record<string, unknown>): Record<string, unknown> {
  return coerceForm(schema, body) as Record<string, unknown>;
}
