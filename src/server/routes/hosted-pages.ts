import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { changeFieldsUnderSubscription, changeParams, itemsChangeParams } from '../../core/params/change.js';
import { addressParam, cartParams, customerParam, pageParams, subscriptionParams, termParams, underSubscription } from '../../core/params/checkout.js';
import { idParam } from '../../core/params/common.js';
import { listParams, stringFilter } from '../../core/params/list.js';
import type { NewPage } from '../billing/checkout.js';
import { itemsChange } from '../billing/items-change.js';
import type { Deps } from '../context.js';
import { notFound } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { respond, respondGrouped } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readQuery, refuseKeys } from '../http/params.js';
import type { Services } from '../services.js';
import { pageQuery } from '../store.js';
import { changeOf, UNDER_SUBSCRIPTION } from './change-params.js';

/** checkout_new: the cart's plan fields under `subscription[...]`, as Chargebee spells them. */
const checkoutNewSchema = z.strictObject({
  subscription: z.strictObject({ id: z.optional(idParam), ...subscriptionParams }),
  addons: cartParams.addons,
  coupon_ids: cartParams.coupon_ids,
  billing_cycles: termParams.billing_cycles,
  customer: z.optional(customerParam),
  billing_address: z.optional(addressParam),
  shipping_address: z.optional(addressParam),
  ...pageParams,
});
const checkoutExistingSchema = z.strictObject({
  ...changeFieldsUnderSubscription,
  subscription: z.strictObject({ id: idParam, plan_id: changeParams.plan_id, plan_quantity: changeParams.plan_quantity }),
  ...pageParams,
});
const forItemsSchema = z.extend(itemsChangeParams, pageParams);
const listSchema = z.strictObject({
  ...listParams,
  type: z.optional(stringFilter(z.enum(['checkout_new', 'checkout_existing', 'checkout_existing_for_items']))),
  state: z.optional(stringFilter(z.enum(['created', 'requested', 'succeeded', 'cancelled', 'acknowledged']))),
});


const pageOf = (d: Deps, c: Context, type: NewPage['type'], p: z.output<z.ZodMiniObject<typeof pageParams>>): Omit<NewPage, 'request'> => ({
  type,
  baseUrl: baseUrl(d, c),
  redirect_url: p.redirect_url,
  cancel_url: p.cancel_url,
  pass_thru_content: p.pass_thru_content,
  embed: p.embed,
  layout: p.layout,
});

/** Hosted pages: checkout_new, checkout_existing, checkout_existing_for_items, retrieve, acknowledge, list. */
export function hostedPageRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const { checkout } = s;

  app.post('/api/v2/hosted_pages/checkout_new', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(checkoutNewSchema, body, form, c);
    const request = { kind: 'new' as const, ...p.subscription, addons: p.addons, coupon_ids: p.coupon_ids, billing_cycles: p.billing_cycles, customer: p.customer, billing_address: p.billing_address, shipping_address: p.shipping_address };
    const page = { ...pageOf(d, c, 'checkout_new', p), request };
    return respondGrouped(c, db, async (on) => ({ hosted_page: await checkout.createNew(on, page, underSubscription) }));
  });

  app.post('/api/v2/hosted_pages/checkout_existing', async (c) => {
    const { body, form } = await readBody(c);
    refuseKeys(body, ['plan_id', 'plan_quantity'], UNDER_SUBSCRIPTION);
    const p = parseWith(checkoutExistingSchema, body, form, c);
    const { subscription, redirect_url: _r, cancel_url: _c, pass_thru_content: _p, embed: _m, iframe_messaging: _i, layout: _l, ...rest } = p;
    const change = { ...changeOf(rest), plan_id: subscription.plan_id, plan_quantity: subscription.plan_quantity };
    return respond(c, db, async (trx) => ({
      hosted_page: await checkout.createExisting(trx, subscription.id, change, pageOf(d, c, 'checkout_existing', p), underSubscription),
    }));
  });

  app.post('/api/v2/hosted_pages/checkout_existing_for_items', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(forItemsSchema, body, form, c);
    return respond(c, db, async (trx) => {
      const { change, names } = await itemsChange(d, trx, p);
      return { hosted_page: await checkout.createExisting(trx, p.subscription.id, change, pageOf(d, c, 'checkout_existing_for_items', p), names) };
    });
  });

  app.get('/api/v2/hosted_pages', async (c) => {
    const q = parseWith(listSchema, readQuery(c), true, c);
    const { items, next_offset } = await d.stores.hostedPages.list(db, pageQuery(q, { type: q.type, status: q.state }));
    return c.json({ list: items.map((h) => ({ hosted_page: h.page })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/hosted_pages/:id', noParams, async (c) => {
    const page = await d.stores.hostedPages.get(db, c.req.param('id'));
    if (!page) throw notFound('hosted_page', c.req.param('id'));
    return c.json({ hosted_page: page.page });
  });

  app.post('/api/v2/hosted_pages/:id/acknowledge', noParams, async (c) => respond(c, db, async (trx) => ({ hosted_page: await checkout.acknowledge(trx, c.req.param('id')) })));

  return app;
}
