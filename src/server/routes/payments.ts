import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Transaction } from '../../core/schemas/payment.js';
import { Payments } from '../payments/payments.js';
import { notFound, paramError } from '../http/errors.js';
import { readQuery, parseWith, readBody } from '../http/params.js';
import { respond } from '../http/idempotency.js';
import { idParam } from '../http/schemas.js';
import { type ListQuery, listBase, parseQuery, stringFilter } from '../store.js';
import { cardTokenId } from './browser.js';
import type { Deps } from '../context.js';

const sourceListSchema = z.object({ ...listBase, customer_id: stringFilter(z.string()).optional(), type: stringFilter(z.literal('card')).optional() }).strict();
const transactionListSchema = z
  .object({
    ...listBase,
    customer_id: stringFilter(z.string()).optional(),
    subscription_id: stringFilter(z.string()).optional(),
    /** Paylit: the transactions of one invoice (Chargebee has GET /invoices/{id}/payments for it too). */
    invoice_id: stringFilter(z.string()).optional(),
    status: stringFilter(z.enum(['success', 'failure', 'in_progress', 'voided'])).optional(),
  })
  .strict();

/** payment_sources (saved cards) and transactions (every charge, successful or not). */
export function paymentRoutes(d: Deps): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const s = d.stores;
  const payments = new Payments(d);

  // ---------------------------------------------------------------- payment sources
  app.post('/api/v2/payment_sources/create_using_temp_token', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(
      z.object({ customer_id: idParam, tmp_token: cardTokenId, type: z.literal('card').optional(), replace_primary_payment_source: z.boolean().optional() }).strict(),
      body,
      form,
    );
    return respond(c, db, async (trx) => {
      const customer = await s.customers.get(trx, p.customer_id);
      if (!customer) throw paramError('customer_id', `customer "${p.customer_id}" does not exist`);
      // Chargebee: the new card replaces the primary one only when asked (or when there is none).
      return payments.saveCard(trx, customer, p.tmp_token, d.clock.now(), 'api', { primary: p.replace_primary_payment_source ?? false });
    });
  });

  app.get('/api/v2/payment_sources', async (c) => {
    const q = parseQuery(sourceListSchema, readQuery(c));
    const lq: ListQuery = { ...(q as unknown as ListQuery), columns: { customer_id: q.customer_id } };
    const { items, next_offset } = await s.paymentSources.list(db, lq);
    return c.json({ list: items.map((payment_source) => ({ payment_source })), ...(next_offset && { next_offset }) });
  });

  app.get('/api/v2/payment_sources/:id', async (c) => {
    const payment_source = await s.paymentSources.get(db, c.req.param('id'));
    if (!payment_source) throw notFound('payment_source', c.req.param('id'));
    return c.json({ payment_source });
  });

  app.post('/api/v2/payment_sources/:id/delete', async (c) => {
    return respond(c, db, async (trx) => {
      const ps = await s.paymentSources.get(trx, c.req.param('id'));
      if (!ps) throw notFound('payment_source', c.req.param('id'));
      return payments.deleteSource(trx, ps, d.clock.now());
    });
  });

  // ---------------------------------------------------------------- transactions
  const listTransactions = async (c: Context, fixed: Record<string, { is: string }> = {}) => {
    const q = parseQuery(transactionListSchema, readQuery(c));
    const columns = { customer_id: q.customer_id, subscription_id: q.subscription_id, invoice_id: q.invoice_id, status: q.status, ...fixed };
    const { items, next_offset } = await s.transactions.list(db, { ...(q as unknown as ListQuery), columns });
    return c.json({ list: items.map((transaction: Transaction) => ({ transaction })), ...(next_offset && { next_offset }) });
  };
  app.get('/api/v2/transactions', (c) => listTransactions(c));
  app.get('/api/v2/customers/:id/transactions', (c) => listTransactions(c, { customer_id: { is: c.req.param('id') } }));
  app.get('/api/v2/subscriptions/:id/transactions', (c) => listTransactions(c, { subscription_id: { is: c.req.param('id') } }));
  app.get('/api/v2/invoices/:id/payments', (c) => listTransactions(c, { invoice_id: { is: c.req.param('id') } }));
  app.get('/api/v2/transactions/:id', async (c) => {
    const transaction = await s.transactions.get(db, c.req.param('id'));
    if (!transaction) throw notFound('transaction', c.req.param('id'));
    return c.json({ transaction });
  });

  return app;
}
