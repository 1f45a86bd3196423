import { Hono } from 'hono';
import * as z from 'zod/mini';
import { changeFieldsUnderSubscription, changeParams } from '../../core/params/change.js';
import { addonsParam, addressParam, couponIdsParam, customerParam, newSubscriptionParams, subscriptionParams, termParams, underSubscription } from '../../core/params/checkout.js';
import { countParam, idParam, timestampParam } from '../../core/params/common.js';
import { listParams, stringFilter } from '../../core/params/list.js';
import { subscriptionStatus } from '../../core/schemas/subscription.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { invalidState, notFound, paramError } from '../errors.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readQuery, refuseKeys } from '../http/params.js';
import type { Services } from '../services.js';
import { baseUrl } from '../http/base-url.js';
import { changeOf, UNDER_SUBSCRIPTION, updateSchema } from './change-params.js';
import { pageQuery } from '../store.js';

const createSchema = z.extend(newSubscriptionParams, { customer: z.optional(customerParam), billing_address: z.optional(addressParam) });
const cancelSchema = z.strictObject({ end_of_term: changeParams.end_of_term, cancel_reason_code: z.optional(z.string().check(z.maxLength(100))) });
const nothing = z.strictObject({});
const termEndChargeSchema = z.strictObject({ addon_id: idParam, addon_quantity: z.optional(countParam) });
const chargeAddonSchema = z.strictObject({ customer_id: z.optional(idParam), subscription_id: z.optional(idParam), addon_id: idParam, addon_quantity: z.optional(countParam) });

/** estimates/create_subscription: the plan fields under `subscription[...]`, as Chargebee spells them. */
const estimateCreateSchema = z.strictObject({
  subscription: z.strictObject({ id: z.optional(idParam), ...subscriptionParams }),
  billing_cycles: termParams.billing_cycles,
  addons: z.optional(addonsParam),
  coupon_ids: z.optional(couponIdsParam),
  billing_address: z.optional(addressParam),
  customer: z.optional(z.strictObject({ taxability: z.optional(z.enum(['taxable', 'exempt'])) })),
});
const estimateUpdateSchema = z.strictObject({
  ...changeFieldsUnderSubscription,
  subscription: z.strictObject({ id: idParam, plan_id: changeParams.plan_id, plan_quantity: changeParams.plan_quantity }),
  billing_address: z.optional(addressParam),
});

const subscriptionList = z.strictObject({ ...listParams, customer_id: z.optional(stringFilter(z.string())), status: z.optional(stringFilter(subscriptionStatus)) });
const invoiceList = z.strictObject({
  ...listParams,
  customer_id: z.optional(stringFilter(z.string())),
  subscription_id: z.optional(stringFilter(z.string())),
  status: z.optional(stringFilter(z.enum(['paid', 'posted', 'payment_due', 'not_paid', 'voided', 'pending']))),
});
const plainList = z.strictObject(listParams);

/** Subscriptions, invoices and estimates (Chargebee's API, product catalog 1.0 style). */
export function billingRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;

  const subscription = async (trx: Db, id: string) => {
    const sub = await s.lookups.subscription(trx, id);
    if (!sub) throw notFound('subscription', id);
    return sub;
  };
  const page = <T>(key: string, r: { items: T[]; next_offset?: string }) => ({ list: r.items.map((x) => ({ [key]: x })), ...(r.next_offset && { next_offset: r.next_offset }) });

  // ---------------------------------------------------------------- subscriptions
  app.post('/api/v2/subscriptions', async (c) => {
    const { body, form } = await readBody(c);
    const { customer, billing_address, ...p } = parseWith(createSchema, body, form, c);
    return respond(c, db, (trx) => s.customers.createWithSubscription(trx, p, customer ?? {}, billing_address));
  });

  app.post('/api/v2/customers/:id/subscriptions', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(newSubscriptionParams, body, form, c);
    return respond(c, db, async (trx) => {
      const customer = await d.stores.customers.get(trx, c.req.param('id'));
      if (!customer) throw notFound('customer', c.req.param('id'));
      return s.subscriptions.create(trx, p, customer);
    });
  });

  app.get('/api/v2/subscriptions', async (c) => {
    const q = parseWith(subscriptionList, readQuery(c), true, c);
    const { items, next_offset } = await d.stores.subscriptions.list(db, pageQuery(q, { customer_id: q.customer_id, status: q.status }));
    const customers = new Map(await Promise.all([...new Set(items.map((x) => x.customer_id))].map(async (id) => [id, await d.stores.customers.get(db, id)] as const)));
    return c.json({ list: items.map((subscription) => ({ subscription, customer: customers.get(subscription.customer_id) })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/customers/:id/subscriptions', async (c) => {
    const q = parseWith(plainList, readQuery(c), true, c);
    return c.json(page('subscription', await d.stores.subscriptions.list(db, pageQuery(q, { customer_id: { is: c.req.param('id') } }))));
  });

  app.get('/api/v2/subscriptions/:id', noParams, async (c) => {
    const sub = await subscription(db, c.req.param('id'));
    return c.json({ subscription: sub, customer: await d.stores.customers.get(db, sub.customer_id) });
  });

  app.post('/api/v2/subscriptions/:id', async (c) => {
    const { body, form } = await readBody(c);
    const change = changeOf(parseWith(updateSchema, body, form, c));
    return respond(c, db, async (trx) => {
      const { estimate: _e, ...out } = await s.changes.change(trx, await subscription(trx, c.req.param('id')), change);
      return out;
    });
  });

  app.post('/api/v2/subscriptions/:id/cancel', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(cancelSchema, body, form, c);
    return respond(c, db, async (trx) => s.changes.cancel(trx, await subscription(trx, c.req.param('id')), p));
  });

  app.post('/api/v2/subscriptions/:id/remove_scheduled_cancellation', async (c) => {
    const { body, form } = await readBody(c);
    parseWith(nothing, body, form, c);
    return respond(c, db, async (trx) => s.changes.removeScheduledCancellation(trx, await subscription(trx, c.req.param('id'))));
  });

  app.post('/api/v2/subscriptions/:id/reactivate', async (c) => {
    const { body, form } = await readBody(c);
    parseWith(nothing, body, form, c);
    return respond(c, db, async (trx) => {
      const { estimate: _e, ...out } = await s.changes.reactivate(trx, await subscription(trx, c.req.param('id')));
      return out;
    });
  });

  app.post('/api/v2/subscriptions/:id/remove_scheduled_changes', async (c) => {
    const { body, form } = await readBody(c);
    parseWith(nothing, body, form, c);
    return respond(c, db, async (trx) => s.changes.removeScheduledChanges(trx, await subscription(trx, c.req.param('id'))));
  });

  app.post('/api/v2/subscriptions/:id/charge_addon_at_term_end', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(termEndChargeSchema, body, form, c);
    return respond(c, db, async (trx) => s.changes.chargeAddonAtTermEnd(trx, await subscription(trx, c.req.param('id')), p.addon_id, p.addon_quantity));
  });

  app.get('/api/v2/subscriptions/:id/renewal_estimate', noParams, async (c) => {
    const sub = await subscription(db, c.req.param('id'));
    const estimate = await s.estimates.renewalOf(db, sub);
    if (!estimate) throw invalidState(`The subscription ${sub.id} (${sub.status}) will not renew.`);
    return c.json({ estimate });
  });

  app.get('/api/v2/subscriptions/:id/invoices', async (c) => {
    const q = parseWith(plainList, readQuery(c), true, c);
    return c.json(page('invoice', await d.stores.invoices.list(db, pageQuery(q, { subscription_id: { is: c.req.param('id') } }))));
  });

  // ---------------------------------------------------------------- invoices
  app.post('/api/v2/invoices/charge_addon', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(chargeAddonSchema, body, form, c);
    if (!p.customer_id && !p.subscription_id) throw paramError('customer_id', 'give customer_id or subscription_id');
    return respond(c, db, async (trx) => {
      const sub = p.subscription_id ? await s.lookups.subscription(trx, p.subscription_id) : undefined;
      if (p.subscription_id && !sub) throw paramError('subscription_id', `subscription "${p.subscription_id}" does not exist`);
      const customer = await s.lookups.customer(trx, p.customer_id ?? sub!.customer_id);
      if (sub && sub.customer_id !== customer.id) throw paramError('subscription_id', `subscription "${sub.id}" belongs to another customer`);
      const { invoice } = await s.invoices.chargeAddon(trx, { customer, subscription: sub, addon_id: p.addon_id, addon_quantity: p.addon_quantity });
      return { invoice };
    });
  });

  app.get('/api/v2/invoices', async (c) => {
    const q = parseWith(invoiceList, readQuery(c), true, c);
    return c.json(page('invoice', await d.stores.invoices.list(db, pageQuery(q, { customer_id: q.customer_id, subscription_id: q.subscription_id, status: q.status }))));
  });

  app.get('/api/v2/customers/:id/invoices', async (c) => {
    const q = parseWith(plainList, readQuery(c), true, c);
    return c.json(page('invoice', await d.stores.invoices.list(db, pageQuery(q, { customer_id: { is: c.req.param('id') } }))));
  });

  const invoice = async (trx: Db, id: string) => {
    const found = await d.stores.invoices.get(trx, id);
    if (!found) throw notFound('invoice', id);
    return found;
  };

  /** Chargebee's invoice.pdf: a short-lived link to the invoice's PDF. */
  app.post('/api/v2/invoices/:id/pdf', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(z.strictObject({ disposition_type: z.optional(z.enum(['attachment', 'inline'])) }), body, form, c);
    return c.json({ download: s.invoiceDocuments.link(await invoice(db, c.req.param('id')), baseUrl(d, c), p.disposition_type) });
  });

  /** Chargebee's collect_payment: charges a payment_due or not_paid invoice now with the customer's primary card. */
  app.post('/api/v2/invoices/:id/collect_payment', async (c) => {
    const { body, form } = await readBody(c);
    parseWith(nothing, body, form, c);
    return respond(c, db, async (trx) => {
      const found = await invoice(trx, c.req.param('id'));
      const { invoice: paid, transaction } = await s.invoices.collect(trx, found, await s.lookups.customer(trx, found.customer_id), 'api');
      return { invoice: paid, ...(transaction && { transaction }) };
    });
  });

  app.get('/api/v2/invoices/:id', noParams, async (c) => {
    const invoice = await d.stores.invoices.get(db, c.req.param('id'));
    if (!invoice) throw notFound('invoice', c.req.param('id'));
    return c.json({ invoice });
  });

  // ---------------------------------------------------------------- estimates
  app.post('/api/v2/estimates/create_subscription', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(estimateCreateSchema, body, form, c);
    const { id, ...sub } = p.subscription;
    const { estimate } = await s.estimates.newSubscription(db, { ...sub, addons: p.addons, coupon_ids: p.coupon_ids, billing_cycles: p.billing_cycles }, { billing_address: p.billing_address, taxability: p.customer?.taxability ?? 'taxable' }, d.clock.now(), { names: underSubscription });
    return c.json({ estimate: id === undefined ? estimate : { ...estimate, subscription_estimate: { id, ...estimate.subscription_estimate } } });
  });

  app.post('/api/v2/estimates/update_subscription', async (c) => {
    const { body, form } = await readBody(c);
    refuseKeys(body, ['plan_id', 'plan_quantity'], UNDER_SUBSCRIPTION);
    const { subscription: sp, billing_address, ...rest } = parseWith(estimateUpdateSchema, body, form, c);
    const change = changeOf(rest);
    const sub = await s.lookups.subscription(db, sp.id);
    if (!sub) throw paramError('subscription[id]', `subscription "${sp.id}" does not exist`);
    const customer = await s.lookups.customer(db, sub.customer_id, 'subscription[id]');
    const { estimate } = await s.estimates.change(db, sub, { ...change, plan_id: sp.plan_id, plan_quantity: sp.plan_quantity }, { ...customer, billing_address: billing_address ?? customer.billing_address }, d.clock.now(), underSubscription);
    return c.json({ estimate });
  });

  return app;
}
