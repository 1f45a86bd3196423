import * as z from 'zod/mini';
import { currencyCode, id, money, timestamp } from './common.js';

/** A saved card, as the gateway describes it: never the number or the CVC. */
export const cardSchema = z.strictObject({
  brand: z.string(),
  last4: z.string().check(z.regex(/^\d{4}$/)),
  expiry_month: z.int().check(z.minimum(1), z.maximum(12)),
  expiry_year: z.int().check(z.minimum(2000), z.maximum(2200)),
  masked_number: z.string(),
  funding_type: z._default(z.enum(['credit', 'debit', 'prepaid', 'not_known']), 'not_known'),
  object: z._default(z.literal('card'), 'card'),
});

export const paymentSourceSchema = z.strictObject({
  id,
  customer_id: id,
  type: z.literal('card'),
  reference_id: z.string(),
  status: z.enum(['valid', 'expiring', 'expired', 'invalid']),
  gateway: z.string(),
  gateway_account_id: z.string(),
  card: cardSchema,
  created_at: timestamp,
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  deleted: z._default(z.boolean(), false),
  object: z._default(z.literal('payment_source'), 'payment_source'),
});
export type PaymentSource = z.infer<typeof paymentSourceSchema>;

export const transactionSchema = z.strictObject({
  id,
  customer_id: id,
  subscription_id: z.optional(id),
  payment_source_id: z.optional(id),
  payment_method: z.literal('card'),
  gateway: z.string(),
  gateway_account_id: z.string(),
  id_at_gateway: z.optional(z.string()),
  type: z.enum(['payment', 'refund', 'authorization']),
  date: timestamp,
  amount: money,
  currency_code: currencyCode,
  status: z.enum(['success', 'failure', 'in_progress', 'voided']),
  error_code: z.optional(z.string()),
  error_text: z.optional(z.string()),
  masked_card_number: z.optional(z.string()),
  linked_invoices: z.array(
    z.strictObject({
      invoice_id: z.string(),
      applied_amount: money,
      applied_at: timestamp,
      invoice_date: timestamp,
      invoice_total: money,
      invoice_status: z.string(),
    }),
  ),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  deleted: z._default(z.boolean(), false),
  object: z._default(z.literal('transaction'), 'transaction'),
});
export type Transaction = z.infer<typeof transactionSchema>;
