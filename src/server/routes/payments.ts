import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { cardTokenParam } from '../../core/params/card.js';
import { booleanParam, idParam } from '../../core/params/common.js';
import { listParams, stringFilter } from '../../core/params/list.js';
import type { Deps } from '../context.js';
import { notFound, paramError } from '../errors.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readQuery } from '../http/params.js';
import type { Services } from '../services.js';
import { type ColumnFilter, pageQuery } from '../store.js';

const createSchema = z.strictObject({ customer_id: idParam, tmp_token: cardTokenParam, type: z.optional(z.literal('card')), replace_primary_payment_source: z.optional(booleanParam) });
const sourceList = z.strictObject({ ...listParams, customer_id: z.optional(stringFilter(z.string())), type: z.optional(stringFilter(z.literal('card'))) });
const transactionList = z.strictObject({
  ...listParams,
  customer_id: z.optional(stringFilter(z.string())),
  subscription_id: z.optional(stringFilter(z.string())),
  /** Paylit: the transactions of one invoice (Chargebee has GET /invoices/{id}/payments for it too). */
  invoice_id: z.optional(stringFilter(z.string())),
  status: z.optional(stringFilter(z.enum(['success', 'failure', 'in_progress', 'voided']))),
});
/** A list under a customer, subscription or invoice: the path fixes that filter, so it is not a parameter there. */
const scopedList = (fixed: 'customer_id' | 'subscription_id' | 'invoice_id') => z.strictObject(Object.fromEntries(Object.entries(transactionList.shape).filter(([k]) => k !== fixed)));
const scopedLists = { customer_id: scopedList('customer_id'), subscription_id: scopedList('subscription_id'), invoice_id: scopedList('invoice_id') };

/** payment_sources (saved cards) and transactions (every charge, successful or not). */
export function paymentRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;

  // ---------------------------------------------------------------- payment sources
  app.post('/api/v2/payment_sources/create_using_temp_token', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(createSchema, body, form, c);
    return respond(c, db, async (trx) => {
      const customer = await d.stores.customers.get(trx, p.customer_id);
      if (!customer) throw paramError('customer_id', `customer "${p.customer_id}" does not exist`);
      // Chargebee: the new card replaces the primary one only when asked (or when there is none).
      return s.payments.saveCard(trx, customer, p.tmp_token, d.clock.now(), 'api', { primary: p.replace_primary_payment_source ?? false });
    });
  });

  app.get('/api/v2/payment_sources', async (c) => {
    const q = parseWith(sourceList, readQuery(c), true, c);
    const { items, next_offset } = await d.stores.paymentSources.list(db, pageQuery(q, { customer_id: q.customer_id }));
    return c.json({ list: items.map((payment_source) => ({ payment_source })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/payment_sources/:id', noParams, async (c) => {
    const payment_source = await d.stores.paymentSources.get(db, c.req.param('id'));
    if (!payment_source) throw notFound('payment_source', c.req.param('id'));
    return c.json({ payment_source });
  });

  app.post('/api/v2/payment_sources/:id/delete', noParams, async (c) =>
    respond(c, db, async (trx) => {
      const ps = await d.stores.paymentSources.get(trx, c.req.param('id'));
      if (!ps) throw notFound('payment_source', c.req.param('id'));
      return s.payments.deleteSource(trx, ps, d.clock.now());
    }),
  );

  /** Chargebee's customer assign_payment_role: makes a card the primary one. */
  app.post('/api/v2/customers/:id/assign_payment_role', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(z.strictObject({ payment_source_id: idParam, role: z.enum(['primary']) }), body, form, c);
    return respond(c, db, async (trx) => {
      const customer = await d.stores.customers.get(trx, c.req.param('id'));
      if (!customer) throw notFound('customer', c.req.param('id'));
      const ps = await d.stores.paymentSources.get(trx, p.payment_source_id);
      if (!ps || ps.customer_id !== customer.id) throw paramError('payment_source_id', `payment source "${p.payment_source_id}" is not one of this customer's`);
      return s.payments.assignPrimary(trx, customer, ps, d.clock.now(), 'api');
    });
  });

  // ---------------------------------------------------------------- transactions
  const listTransactions = async (c: Context, fixed: Partial<Record<keyof typeof scopedLists, ColumnFilter>> = {}) => {
    const scope = Object.keys(fixed)[0] as keyof typeof scopedLists | undefined;
    const q = parseWith(scope ? scopedLists[scope] : transactionList, readQuery(c), true, c) as z.output<typeof transactionList>;
    const columns = { customer_id: q.customer_id, subscription_id: q.subscription_id, invoice_id: q.invoice_id, status: q.status, ...fixed };
    const { items, next_offset } = await d.stores.transactions.list(db, pageQuery(q, columns));
    return c.json({ list: items.map((transaction) => ({ transaction })), ...(next_offset && { next_offset }) });
  };
  app.get('/api/v2/transactions', (c) => listTransactions(c));
  app.get('/api/v2/customers/:id/transactions', (c) => listTransactions(c, { customer_id: { is: c.req.param('id') } }));
  app.get('/api/v2/subscriptions/:id/transactions', (c) => listTransactions(c, { subscription_id: { is: c.req.param('id') } }));
  app.get('/api/v2/invoices/:id/payments', (c) => listTransactions(c, { invoice_id: { is: c.req.param('id') } }));
  app.get('/api/v2/transactions/:id', noParams, async (c) => {
    const transaction = await d.stores.transactions.get(db, c.req.param('id'));
    if (!transaction) throw notFound('transaction', c.req.param('id'));
    return c.json({ transaction });
  });

  return app;
}
