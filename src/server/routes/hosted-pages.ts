import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { FieldError } from '../../core/errors.js';
import { addPeriod } from '../../core/periods.js';
import type { ChangeParams } from '../billing/billing.js';
import { Checkout, monthBack } from '../billing/checkout.js';
import type { CheckoutRequest } from '../billing/records.js';
import { notFound, paramError } from '../http/errors.js';
import { readQuery, parseWith, readBody, toApiError } from '../http/params.js';
import { respond } from '../http/idempotency.js';
import type { Db } from '../db/transaction.js';
import {
  addonsParam, booleanParam, changeOptionParam, countParam, couponIdsParam, idParam, objectParam, timestampParam, urlParam,
} from '../http/schemas.js';
import { listBase, type ListQuery, parseQuery, stringFilter } from '../store.js';
import { changeOptionOf, renamed } from './billing.js';
import type { Deps } from '../context.js';

const pageFields = {
  redirect_url: urlParam.optional(),
  cancel_url: urlParam.optional(),
  pass_thru_content: z.string().max(2048, 'must be at most 2048 characters').optional(),
  embed: booleanParam.optional(),
  iframe_messaging: booleanParam.optional(),
  layout: z.enum(['in_app', 'full_page']).optional(),
};

const checkoutNewSchema = z
  .object({
    subscription: z
      .object({ id: idParam.optional(), plan_id: idParam, plan_quantity: countParam.optional(), trial_end: timestampParam.optional(), start_date: timestampParam.optional() })
      .strict(),
    addons: addonsParam.optional(),
    coupon_ids: couponIdsParam.optional(),
    billing_cycles: countParam.optional(),
    customer: objectParam.optional(),
    billing_address: objectParam.optional(),
    shipping_address: objectParam.optional(),
    ...pageFields,
  })
  .strict();

const checkoutExistingSchema = z
  .object({
    subscription: z.object({ id: idParam, plan_id: idParam.optional(), plan_quantity: countParam.optional() }).strict(),
    addons: addonsParam.optional(),
    replace_addon_list: booleanParam.optional(),
    coupon_ids: couponIdsParam.optional(),
    replace_coupon_list: booleanParam.optional(),
    reactivate: booleanParam.optional(),
    force_term_reset: booleanParam.optional(),
    terms_to_charge: countParam.optional(),
    change_option: changeOptionParam.optional(),
    changes_scheduled_at: timestampParam.optional(),
    end_of_term: booleanParam.optional(),
    ...pageFields,
  })
  .strict();

const checkoutForItemsSchema = z
  .object({
    subscription: z.object({ id: idParam, trial_end: timestampParam.optional() }).strict(),
    subscription_items: z.array(z.object({ item_price_id: idParam, quantity: countParam.optional() }).strict()).max(100).optional(),
    mandatory_items_to_remove: z.array(idParam).max(100).optional(),
    replace_items_list: booleanParam.optional(),
    invoice_date: timestampParam.optional(),
    invoice_immediately: booleanParam.optional(),
    billing_cycles: countParam.optional(),
    terms_to_charge: countParam.optional(),
    reactivate_from: timestampParam.optional(),
    billing_alignment_mode: z.enum(['immediate', 'delayed']).optional(),
    coupon_ids: couponIdsParam.optional(),
    replace_coupon_list: booleanParam.optional(),
    reactivate: booleanParam.optional(),
    force_term_reset: booleanParam.optional(),
    change_option: changeOptionParam.optional(),
    changes_scheduled_at: timestampParam.optional(),
    invoice_usages: booleanParam.optional(),
    allow_offline_payment_methods: booleanParam.optional(),
    ...pageFields,
  })
  .strict();

const listSchema = z
  .object({
    ...listBase,
    type: stringFilter(z.enum(['checkout_new', 'checkout_existing', 'checkout_existing_for_items'])).optional(),
    state: stringFilter(z.enum(['created', 'requested', 'succeeded', 'cancelled', 'acknowledged'])).optional(),
  })
  .strict();

/** The base of URLs given to browsers: PAYLIT_PUBLIC_URL, else the origin the request came to. */
export const baseUrl = (d: Deps, c: Context) => d.publicUrl ?? new URL(c.req.url).origin;

/** Checkout parameter names, as the route calls them, for errors raised by core (which speaks plain names). */
const newNames: Record<string, string> = { plan_id: 'subscription[plan_id]', plan_quantity: 'subscription[plan_quantity]', trial_end: 'subscription[trial_end]', start_date: 'subscription[start_date]' };
const rename = (names: Record<string, string>) => (p: string) => (Object.hasOwn(names, p) ? names[p]! : p);

/** Hosted pages: checkout_new, checkout_existing, checkout_existing_for_items, retrieve, acknowledge, list. */
export function hostedPageRoutes(d: Deps): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const checkout = new Checkout(d);
  const { billing } = checkout;

  app.post('/api/v2/hosted_pages/checkout_new', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(checkoutNewSchema, body, form);
    const request: CheckoutRequest = {
      kind: 'new',
      plan_id: p.subscription.plan_id,
      plan_quantity: p.subscription.plan_quantity,
      addons: p.addons ?? [],
      coupon_ids: p.coupon_ids ?? [],
      customer: p.customer,
      billing_address: p.billing_address,
      shipping_address: p.shipping_address,
      trial_end: p.subscription.trial_end,
      start_date: p.subscription.start_date,
      billing_cycles: p.billing_cycles,
    };
    return respond(c, db, async (trx) => {
      await checkout.checkNew(trx, request, rename(newNames));
      return { hosted_page: await checkout.create(trx, { type: 'checkout_new', request, baseUrl: baseUrl(d, c), ...pageOptions(p) }) };
    });
  });

  app.post('/api/v2/hosted_pages/checkout_existing', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(checkoutExistingSchema, body, form);
    const { subscription, end_of_term: _e, redirect_url: _r, cancel_url: _c, pass_thru_content: _p, embed: _m, iframe_messaging: _i, layout: _l, ...rest } = p;
    const change: ChangeParams = { ...rest, change_option: changeOptionOf(p), plan_id: subscription.plan_id, plan_quantity: subscription.plan_quantity };
    const names = rename({ plan_id: 'subscription[plan_id]', plan_quantity: 'subscription[plan_quantity]' });
    return respond(c, db, async (trx) => ({ hosted_page: await createExisting(trx, c, subscription.id, change, 'checkout_existing', p, names) }));
  });

  app.post('/api/v2/hosted_pages/checkout_existing_for_items', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(checkoutForItemsSchema, body, form);
    return respond(c, db, async (trx) => {
      const { change, names } = await forItems(trx, p);
      return { hosted_page: await createExisting(trx, c, p.subscription.id, change, 'checkout_existing_for_items', p, rename(names)) };
    });
  });

  async function createExisting(trx: Db, c: Context, subscriptionId: string, change: ChangeParams, type: 'checkout_existing' | 'checkout_existing_for_items', p: z.infer<z.ZodObject<typeof pageFields>>, names: (p: string) => string) {
    const sub = await billing.subscription(trx, subscriptionId);
    if (!sub) throw paramError('subscription[id]', `subscription "${subscriptionId}" does not exist`);
    const customer = await billing.customer(trx, sub.customer_id, 'subscription[id]');
    // Validate the change now, as Chargebee does, so a bad page is never handed to a customer.
    await renamed(names, () => billing.estimateChange(trx, sub, change, customer, d.clock.now()));
    const request: CheckoutRequest = { kind: 'existing', addons: [], coupon_ids: [], subscription_id: sub.id, change: { ...change } };
    return checkout.create(trx, { type, request, baseUrl: baseUrl(d, c), ...pageOptions(p) });
  }

  /**
   * checkout_existing_for_items, exactly as seed 004: the item list (a plan first), and every constraint on
   * invoice_date, reactivate_from, changes_scheduled_at, force_term_reset and invoice_usages, each a 400 naming it.
   */
  async function forItems(db: Db, p: z.infer<typeof checkoutForItemsSchema>): Promise<{ change: ChangeParams; names: Record<string, string> }> {
    const now = d.clock.now();
    const errors: FieldError[] = [];
    const sub = await billing.subscription(db, p.subscription.id);
    if (!sub) throw paramError('subscription[id]', `subscription "${p.subscription.id}" does not exist`);
    const items = p.subscription_items ?? [];
    const names: Record<string, string> = {};
    let planId: string | undefined;
    let planQuantity: number | undefined;
    const addons: Array<{ id: string; quantity?: number | undefined }> = [];
    for (const [i, item] of items.entries()) {
      const isPlan = !!(await d.stores.plans.get(db, item.item_price_id));
      const param = `subscription_items[item_price_id][${String(i)}]`;
      if (i === 0) {
        if (!isPlan) errors.push({ param, message: `the first item must be a plan; "${item.item_price_id}" is not one` });
        planId = item.item_price_id;
        planQuantity = item.quantity;
        names.plan_id = param;
        names.plan_quantity = `subscription_items[quantity][0]`;
      } else if (isPlan) {
        errors.push({ param, message: `"${item.item_price_id}" is a plan; only the first item may be a plan` });
      } else {
        const k = String(addons.length);
        names[`addons[id][${k}]`] = param;
        names[`addons[quantity][${k}]`] = `subscription_items[quantity][${String(i)}]`;
        addons.push({ id: item.item_price_id, quantity: item.quantity });
      }
    }
    const option = p.change_option;
    if (p.invoice_date !== undefined) {
      const why = (m: string) => errors.push({ param: 'invoice_date', message: m });
      if (p.invoice_immediately !== true) why('is allowed only with invoice_immediately=true');
      if (p.invoice_date >= now) why('must be in the past');
      else if (p.invoice_date < monthBack(now)) why('may be at most one calendar month in the past');
      if (p.changes_scheduled_at !== undefined && p.invoice_date < p.changes_scheduled_at) why('cannot be earlier than changes_scheduled_at');
      if (p.reactivate_from !== undefined && p.invoice_date < p.reactivate_from) why('cannot be earlier than reactivate_from');
      const trialEnd = p.subscription.trial_end ?? sub.trial_end;
      if (trialEnd !== undefined && p.invoice_date < trialEnd) why('cannot be earlier than trial_end');
    }
    if (p.reactivate_from !== undefined) {
      const why = (m: string) => errors.push({ param: 'reactivate_from', message: m });
      if (sub.status !== 'cancelled') why(`applies only to a cancelled subscription; this one is ${sub.status}`);
      if (p.changes_scheduled_at !== undefined) why('give either reactivate_from or changes_scheduled_at, not both');
      if (p.reactivate === false) why('cannot be given with reactivate=false');
      if (p.reactivate_from < now) {
        // Backdating: only before the month's accounting close day, not before the items last changed, and at
        // most one billing period of the plan back.
        const day = new Date(now * 1000).getUTCDate();
        if (day > d.backdatingDayLimit) why(`cannot be backdated after day ${String(d.backdatingDayLimit)} of the month (PAYLIT_BACKDATING_DAY_LIMIT)`);
        const plan = await d.stores.plans.get(db, planId ?? sub.plan_id);
        if (plan && p.reactivate_from < addPeriod(now, -plan.period, plan.period_unit)) {
          why(`may be backdated at most one billing period of the plan (${String(plan.period)} ${plan.period_unit})`);
        }
        const itemIds = [planId ?? sub.plan_id, ...addons.map((a) => a.id), ...sub.addons.map((a) => a.id)];
        let lastChange = 0;
        for (const id of itemIds) {
          const item = (await d.stores.plans.get(db, id)) ?? (await d.stores.addons.get(db, id));
          lastChange = Math.max(lastChange, item?.updated_at ?? 0);
        }
        if (p.reactivate_from < lastChange) why('cannot be earlier than the last change to the subscription\'s plan or addons');
      }
    }
    if (p.billing_alignment_mode !== undefined) {
      errors.push({ param: 'billing_alignment_mode', message: 'applies only to calendar billing, which this site does not use' });
    }
    if (p.force_term_reset === true && !['active', 'non_renewing', 'cancelled'].includes(sub.status)) {
      errors.push({ param: 'force_term_reset', message: `applies only to active, non-renewing or cancelled subscriptions; this one is ${sub.status}` });
    }
    if (p.reactivate === true && sub.status !== 'cancelled') {
      errors.push({ param: 'reactivate', message: `applies only to a cancelled subscription; this one is ${sub.status}` });
    }
    // This backend bills usage mid-term (usage-based billing with mid-term invoicing on), so seed 004's pairing applies.
    if ((p.force_term_reset !== undefined || p.invoice_usages !== undefined) && p.force_term_reset !== p.invoice_usages) {
      errors.push(
        p.invoice_usages === undefined
          ? { param: 'invoice_usages', message: 'must be given with the same value as force_term_reset' }
          : { param: 'force_term_reset', message: 'must be given with the same value as invoice_usages' },
      );
    }
    if (errors.length) throw toApiError(errors);
    const change: ChangeParams = {
      ...(planId !== undefined && { plan_id: planId }),
      ...(planQuantity !== undefined && { plan_quantity: planQuantity }),
      ...(items.length > 0 && { addons }),
      replace_addon_list: p.replace_items_list,
      mandatory_items_to_remove: p.mandatory_items_to_remove,
      coupon_ids: p.coupon_ids,
      replace_coupon_list: p.replace_coupon_list,
      change_option: option,
      changes_scheduled_at: p.changes_scheduled_at,
      force_term_reset: p.force_term_reset,
      terms_to_charge: p.terms_to_charge,
      reactivate: p.reactivate ?? (p.reactivate_from !== undefined ? true : undefined),
      invoice_date: p.invoice_date,
      reactivate_from: p.reactivate_from,
    };
    return { change, names };
  }

  app.get('/api/v2/hosted_pages', async (c) => {
    const q = parseQuery(listSchema, readQuery(c));
    const lq: ListQuery = { ...(q as unknown as ListQuery), columns: { type: q.type, status: q.state } };
    const { items, next_offset } = await d.stores.hostedPages.list(db, lq);
    return c.json({ list: items.map((h) => ({ hosted_page: h.page })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/hosted_pages/:id', async (c) => {
    const page = await d.stores.hostedPages.get(db, c.req.param('id'));
    if (!page) throw notFound('hosted_page', c.req.param('id'));
    return c.json({ hosted_page: page.page });
  });

  app.post('/api/v2/hosted_pages/:id/acknowledge', async (c) => {
    return respond(c, db, async (trx) => ({ hosted_page: await checkout.acknowledge(trx, c.req.param('id')) }));
  });

  return app;
}

function pageOptions(p: z.infer<z.ZodObject<typeof pageFields>>) {
  return { redirect_url: p.redirect_url, cancel_url: p.cancel_url, pass_thru_content: p.pass_thru_content, embed: p.embed, layout: p.layout };
}
