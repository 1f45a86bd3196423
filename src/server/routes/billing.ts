import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { PaylitValidationError } from '../../core/errors.js';
import { metaData } from '../../core/schemas/common.js';
import { addressSchema, type Customer } from '../../core/schemas/customer.js';
import { subscriptionStatus } from '../../core/schemas/subscription.js';
import { Billing, type ChangeParams, newId, type NewSubscriptionParams } from '../billing/billing.js';
import { ApiError, duplicate, notFound, paramError } from '../http/errors.js';
import { readQuery, parseWith, readBody } from '../http/params.js';
import { respond } from '../http/idempotency.js';
import {
  addonsParam, booleanParam, changeOptionParam, countParam, couponIdsParam, idParam, newCustomer, objectParam,
  parseNested, timestampParam,
} from '../http/schemas.js';
import { listBase, type ListQuery, parseQuery, stringFilter } from '../store.js';
import type { Deps } from '../context.js';

/** Runs `fn`, renaming the params its errors name (core speaks `plan_id`; a route may call it `subscription[plan_id]`). */
export async function renamed<T>(rename: (param: string) => string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PaylitValidationError) throw new PaylitValidationError(e.errors.map((x) => ({ ...x, param: rename(x.param) })));
    if (e instanceof ApiError && e.param !== undefined) {
      const param = rename(e.param);
      throw new ApiError(e.status, e.apiErrorCode, e.message.replace(e.param, param), param, e.type, e.headers);
    }
    throw e;
  }
}

const subscriptionFields = {
  plan_id: idParam,
  plan_quantity: countParam.optional(),
  addons: addonsParam.optional(),
  coupon_ids: couponIdsParam.optional(),
  trial_end: timestampParam.optional(),
  billing_cycles: countParam.optional(),
  start_date: timestampParam.optional(),
  meta_data: z.record(z.string(), z.unknown()).optional(),
  shipping_address: objectParam.optional(),
};
const createSchema = z.object({ id: idParam.optional(), ...subscriptionFields, customer: objectParam.optional(), billing_address: objectParam.optional() }).strict();
const createForCustomerSchema = z.object({ id: idParam.optional(), ...subscriptionFields }).strict();

const changeFields = {
  plan_id: idParam.optional(),
  plan_quantity: countParam.optional(),
  addons: addonsParam.optional(),
  replace_addon_list: booleanParam.optional(),
  coupon_ids: couponIdsParam.optional(),
  replace_coupon_list: booleanParam.optional(),
  end_of_term: booleanParam.optional(),
  change_option: changeOptionParam.optional(),
  changes_scheduled_at: timestampParam.optional(),
  force_term_reset: booleanParam.optional(),
  reactivate: booleanParam.optional(),
  terms_to_charge: countParam.optional(),
};
const updateSchema = z.object(changeFields).strict();
const cancelSchema = z.object({ end_of_term: booleanParam.optional(), cancel_reason_code: z.string().max(100).optional() }).strict();
const reactivateSchema = z.object({}).strict();
const termEndChargeSchema = z.object({ addon_id: idParam, addon_quantity: countParam.optional() }).strict();
const chargeAddonSchema = z
  .object({ customer_id: idParam.optional(), subscription_id: idParam.optional(), addon_id: idParam, addon_quantity: countParam.optional() })
  .strict();

const estimateCreateSchema = z
  .object({
    subscription: z
      .object({ id: idParam.optional(), plan_id: idParam, plan_quantity: countParam.optional(), trial_end: timestampParam.optional(), start_date: timestampParam.optional() })
      .strict(),
    billing_cycles: countParam.optional(),
    addons: addonsParam.optional(),
    coupon_ids: couponIdsParam.optional(),
    billing_address: objectParam.optional(),
    customer: z.object({ taxability: z.enum(['taxable', 'exempt']).optional() }).strict().optional(),
  })
  .strict();
const estimateUpdateSchema = z
  .object({
    subscription: z.object({ id: idParam, plan_id: idParam.optional(), plan_quantity: countParam.optional() }).strict(),
    ...changeFields,
    plan_id: z.never().optional(),
    plan_quantity: z.never().optional(),
    billing_address: objectParam.optional(),
  })
  .strict();

const subscriptionListSchema = z
  .object({ ...listBase, customer_id: stringFilter(z.string()).optional(), status: stringFilter(subscriptionStatus as unknown as z.ZodType<string>).optional() })
  .strict();
const invoiceListSchema = z
  .object({
    ...listBase,
    customer_id: stringFilter(z.string()).optional(),
    subscription_id: stringFilter(z.string()).optional(),
    status: stringFilter(z.enum(['paid', 'posted', 'payment_due', 'not_paid', 'voided', 'pending'])).optional(),
  })
  .strict();

/** `end_of_term` is Chargebee's older spelling of `change_option=end_of_term`; both may not disagree. */
export function changeOptionOf(p: { end_of_term?: boolean | undefined; change_option?: ChangeParams['change_option'] }): ChangeParams['change_option'] {
  if (p.end_of_term !== undefined && p.change_option !== undefined && (p.change_option === 'end_of_term') !== p.end_of_term) {
    throw paramError('end_of_term', `disagrees with change_option=${p.change_option}; give one of them`);
  }
  return p.change_option ?? (p.end_of_term ? 'end_of_term' : undefined);
}

const withPrefix = (prefix: string, names: readonly string[]) => (p: string) => (names.includes(p) ? `${prefix}[${p}]` : p);

/** Subscriptions, invoices and estimates (Chargebee's API, product catalog 1.0 style). */
export function billingRoutes(d: Deps): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const s = d.stores;
  const billing = new Billing(d);

  const getSubscription = async (trx: Parameters<Billing['subscription']>[0], id: string) => {
    const sub = await billing.subscription(trx, id);
    if (!sub) throw notFound('subscription', id);
    return sub;
  };

  // ---------------------------------------------------------------- subscriptions
  app.post('/api/v2/subscriptions', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(createSchema, body, form);
    const now = d.clock.now();
    return respond(c, db, async (trx) => {
      const given = p.customer ?? {};
      const customerId = typeof given.id === 'string' ? given.id : newId('cus');
      if (await s.customers.get(trx, customerId)) {
        throw duplicate('customer[id]', `customer "${customerId}" already exists; create the subscription with POST /customers/${customerId}/subscriptions`);
      }
      const customer = newCustomer(customerId, given, p.billing_address, form, now);
      await s.customers.insert(trx, customer);
      await d.outbox.emit(trx, 'customer_created', { customer });
      return billing.createSubscription(trx, toNew(p, form), customer);
    });
  });

  app.post('/api/v2/customers/:id/subscriptions', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(createForCustomerSchema, body, form);
    return respond(c, db, async (trx) => {
      const customer = await s.customers.get(trx, c.req.param('id'));
      if (!customer) throw notFound('customer', c.req.param('id'));
      return billing.createSubscription(trx, toNew(p, form), customer);
    });
  });

  app.get('/api/v2/subscriptions', async (c) => {
    const q = parseQuery(subscriptionListSchema, readQuery(c));
    const lq: ListQuery = { ...(q as unknown as ListQuery), columns: { customer_id: q.customer_id, status: q.status } };
    const { items, next_offset } = await s.subscriptions.list(db, lq);
    const customers = new Map<string, Customer | undefined>();
    const list = [];
    for (const subscription of items) {
      if (!customers.has(subscription.customer_id)) customers.set(subscription.customer_id, await s.customers.get(db, subscription.customer_id));
      list.push({ subscription, customer: customers.get(subscription.customer_id) });
    }
    return c.json({ list, ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/customers/:id/subscriptions', async (c) => {
    const q = parseQuery(z.object(listBase).strict(), readQuery(c));
    const lq: ListQuery = { ...(q as unknown as ListQuery), columns: { customer_id: { is: c.req.param('id') } } };
    const { items, next_offset } = await s.subscriptions.list(db, lq);
    return c.json({ list: items.map((subscription) => ({ subscription })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/subscriptions/:id', async (c) => {
    const subscription = await getSubscription(db, c.req.param('id'));
    return c.json({ subscription, customer: await s.customers.get(db, subscription.customer_id) });
  });

  app.post('/api/v2/subscriptions/:id', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(updateSchema, body, form);
    const change_option = changeOptionOf(p);
    const { end_of_term: _e, ...rest } = p;
    return respond(c, db, async (trx) => {
      const sub = await getSubscription(trx, c.req.param('id'));
      const { estimate: _est, ...out } = await billing.changeSubscription(trx, sub, { ...rest, change_option });
      return out;
    });
  });

  app.post('/api/v2/subscriptions/:id/cancel', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(cancelSchema, body, form);
    return respond(c, db, async (trx) => billing.cancel(trx, await getSubscription(trx, c.req.param('id')), p));
  });

  app.post('/api/v2/subscriptions/:id/remove_scheduled_cancellation', async (c) => {
    const { body, form } = await readBody(c);
    parseWith(z.object({}).strict(), body, form);
    return respond(c, db, async (trx) => billing.removeScheduledCancellation(trx, await getSubscription(trx, c.req.param('id'))));
  });

  app.post('/api/v2/subscriptions/:id/reactivate', async (c) => {
    const { body, form } = await readBody(c);
    parseWith(reactivateSchema, body, form);
    return respond(c, db, async (trx) => {
      const sub = await getSubscription(trx, c.req.param('id'));
      if (sub.status !== 'cancelled') {
        throw new ApiError(400, 'invalid_state_for_request', `The subscription ${sub.id} is ${sub.status}; only a cancelled subscription can be reactivated (a non-renewing one: remove_scheduled_cancellation).`, undefined, 'invalid_request');
      }
      const { estimate: _est, ...out } = await billing.changeSubscription(trx, sub, { reactivate: true, change_option: 'immediately' });
      return out;
    });
  });

  app.post('/api/v2/subscriptions/:id/charge_addon_at_term_end', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(termEndChargeSchema, body, form);
    return respond(c, db, async (trx) => billing.chargeAddonAtTermEnd(trx, await getSubscription(trx, c.req.param('id')), p.addon_id, p.addon_quantity));
  });

  app.get('/api/v2/subscriptions/:id/renewal_estimate', async (c) => {
    const sub = await getSubscription(db, c.req.param('id'));
    const estimate = await billing.estimateRenewalOf(db, sub);
    if (!estimate) throw new ApiError(400, 'invalid_state_for_request', `The subscription ${sub.id} (${sub.status}) will not renew.`, undefined, 'invalid_request');
    return c.json({ estimate });
  });

  app.get('/api/v2/subscriptions/:id/invoices', async (c) => {
    const q = parseQuery(z.object(listBase).strict(), readQuery(c));
    const { items, next_offset } = await s.invoices.list(db, { ...(q as unknown as ListQuery), columns: { subscription_id: { is: c.req.param('id') } } });
    return c.json({ list: items.map((invoice) => ({ invoice })), ...(next_offset && { next_offset }) });
  });

  // ---------------------------------------------------------------- invoices
  app.post('/api/v2/invoices/charge_addon', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(chargeAddonSchema, body, form);
    if (!p.customer_id && !p.subscription_id) throw paramError('customer_id', 'give customer_id or subscription_id');
    return respond(c, db, async (trx) => {
      const subscription = p.subscription_id ? await billing.subscription(trx, p.subscription_id) : undefined;
      if (p.subscription_id && !subscription) throw paramError('subscription_id', `subscription "${p.subscription_id}" does not exist`);
      const customer = await billing.customer(trx, p.customer_id ?? subscription!.customer_id);
      if (subscription && subscription.customer_id !== customer.id) throw paramError('subscription_id', `subscription "${subscription.id}" belongs to another customer`);
      const { invoice } = await billing.chargeAddon(trx, { customer, subscription, addon_id: p.addon_id, addon_quantity: p.addon_quantity });
      return { invoice };
    });
  });

  app.get('/api/v2/invoices', async (c) => {
    const q = parseQuery(invoiceListSchema, readQuery(c));
    const lq: ListQuery = { ...(q as unknown as ListQuery), columns: { customer_id: q.customer_id, subscription_id: q.subscription_id, status: q.status } };
    const { items, next_offset } = await s.invoices.list(db, lq);
    return c.json({ list: items.map((invoice) => ({ invoice })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/customers/:id/invoices', async (c) => {
    const q = parseQuery(z.object(listBase).strict(), readQuery(c));
    const { items, next_offset } = await s.invoices.list(db, { ...(q as unknown as ListQuery), columns: { customer_id: { is: c.req.param('id') } } });
    return c.json({ list: items.map((invoice) => ({ invoice })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/invoices/:id', async (c) => {
    const invoice = await s.invoices.get(db, c.req.param('id'));
    if (!invoice) throw notFound('invoice', c.req.param('id'));
    return c.json({ invoice });
  });

  // ---------------------------------------------------------------- estimates
  app.post('/api/v2/estimates/create_subscription', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(estimateCreateSchema, body, form);
    const address = p.billing_address ? parseNested(addressSchema, p.billing_address, 'billing_address', form) : undefined;
    const rename = withPrefix('subscription', ['plan_id', 'plan_quantity', 'trial_end', 'start_date']);
    const { estimate } = await renamed(rename, () =>
      billing.estimateNew(db, { ...p.subscription, addons: p.addons, coupon_ids: p.coupon_ids, billing_cycles: p.billing_cycles }, { billing_address: address, taxability: p.customer?.taxability ?? 'taxable' }, d.clock.now()),
    );
    return c.json({ estimate });
  });

  app.post('/api/v2/estimates/update_subscription', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(estimateUpdateSchema, body, form);
    const change_option = changeOptionOf(p);
    const { subscription: sp, end_of_term: _e, billing_address, plan_id: _p, plan_quantity: _q, ...rest } = p;
    const sub = await billing.subscription(db, sp.id);
    if (!sub) throw paramError('subscription[id]', `subscription "${sp.id}" does not exist`);
    const customer = await billing.customer(db, sub.customer_id, 'subscription[id]');
    const address = billing_address ? parseNested(addressSchema, billing_address, 'billing_address', form) : customer.billing_address;
    const rename = withPrefix('subscription', ['plan_id', 'plan_quantity']);
    const { estimate } = await renamed(rename, () =>
      billing.estimateChange(db, sub, { ...rest, plan_id: sp.plan_id, plan_quantity: sp.plan_quantity, change_option }, { ...customer, billing_address: address }, d.clock.now()),
    );
    return c.json({ estimate });
  });

  return app;
}

/** The create parameters as the billing service takes them. */
function toNew(p: z.infer<typeof createForCustomerSchema>, form: boolean): NewSubscriptionParams {
  return {
    ...(p.id !== undefined && { id: p.id }),
    plan_id: p.plan_id,
    plan_quantity: p.plan_quantity,
    addons: p.addons,
    coupon_ids: p.coupon_ids,
    trial_end: p.trial_end,
    billing_cycles: p.billing_cycles,
    start_date: p.start_date,
    ...(p.meta_data && { meta_data: parseNested(metaData, p.meta_data, 'meta_data', false) }),
    ...(p.shipping_address && { shipping_address: parseNested(addressSchema, p.shipping_address, 'shipping_address', form) }),
  };
}
