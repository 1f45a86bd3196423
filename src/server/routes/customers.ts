import { Hono } from 'hono';
import * as z from 'zod/mini';
import { customerSchema } from '../../core/schemas/customer.js';
import { addressParam, customerParam } from '../../core/params/checkout.js';
import { listParams, stringFilter } from '../../core/params/list.js';
import type { Deps } from '../context.js';
import { notFound } from '../errors.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readQuery } from '../http/params.js';
import type { Services } from '../services.js';
import { pageQuery } from '../store.js';

const customerCreate = z.strictObject({ ...customerParam.shape, billing_address: z.optional(addressParam) });
const customerUpdate = z.omit(customerParam, { id: true });
const billingInfo = z.strictObject({ billing_address: addressParam, vat_number: customerSchema.shape.vat_number });
const customerList = z.strictObject({ ...listParams, email: z.optional(stringFilter(z.string())), include_deleted: z.optional(z.enum(['true', 'false'])) });

/** Customers: Chargebee's /api/v2/customers. */
export function customerRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;

  app.post('/api/v2/customers', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(customerCreate, body, form, c);
    return respond(c, db, async (trx) => ({ customer: await s.customers.create(trx, p) }));
  });
  app.get('/api/v2/customers', async (c) => {
    const q = parseWith(customerList, readQuery(c), true, c);
    const { items, next_offset } = await d.stores.customers.list(db, pageQuery(q, { email: q.email }));
    return c.json({ list: items.map((customer) => ({ customer })), ...(next_offset && { next_offset }) });
  });
  app.get('/api/v2/customers/:id', noParams, async (c) => {
    const customer = await d.stores.customers.get(db, c.req.param('id'));
    if (!customer) throw notFound('customer', c.req.param('id'));
    return c.json({ customer });
  });
  app.post('/api/v2/customers/:id', async (c) => {
    const { body, form } = await readBody(c);
    const patch = parseWith(customerUpdate, body, form, c);
    return respond(c, db, async (trx) => ({ customer: await s.customers.update(trx, c.req.param('id'), patch) }));
  });
  app.post('/api/v2/customers/:id/update_billing_info', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(billingInfo, body, form, c);
    return respond(c, db, async (trx) => ({ customer: await s.customers.update(trx, c.req.param('id'), { billing_address: { ...p.billing_address, object: 'billing_address' }, ...(p.vat_number !== undefined && { vat_number: p.vat_number }) }) }));
  });

  return app;
}
