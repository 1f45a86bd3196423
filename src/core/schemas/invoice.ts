import * as z from 'zod/mini';
import { currencyCode, decimalString, id, pricingModel, timestamp } from './common.js';
import { addressSchema } from './customer.js';

const amount = z.int();

export const lineItemTierSchema = z.strictObject({
  starting_unit: z.int(),
  ending_unit: z.optional(z.int()),
  quantity_used: z.int(),
  unit_amount: amount,
  quantity_used_in_decimal: z.optional(decimalString),
});

export const lineItemSchema = z.strictObject({
  id: z.string(),
  subscription_id: z.optional(id),
  date_from: timestamp,
  date_to: timestamp,
  unit_amount: amount,
  quantity: z.int(),
  amount,
  pricing_model: pricingModel,
  is_taxable: z.boolean(),
  tax_amount: amount,
  tax_rate: z.optional(decimalString),
  discount_amount: amount,
  item_level_discount_amount: amount,
  description: z.string(),
  entity_description: z.optional(z.string()),
  entity_type: z.enum(['plan_setup', 'plan', 'addon', 'adhoc']),
  entity_id: z.optional(id),
  customer_id: z.optional(id),
  unit_amount_in_decimal: z.optional(decimalString),
  quantity_in_decimal: z.optional(decimalString),
  amount_in_decimal: z.optional(decimalString),
  tiers: z.optional(z.array(lineItemTierSchema)),
  object: z._default(z.literal('line_item'), 'line_item'),
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const discountSchema = z.strictObject({
  amount,
  description: z.string(),
  entity_type: z.enum(['item_level_coupon', 'document_level_coupon', 'promotional_credits', 'prorated_credits']),
  entity_id: z.optional(z.string()),
  line_item_id: z.optional(z.string()),
  object: z._default(z.literal('discount'), 'discount'),
});
export type Discount = z.infer<typeof discountSchema>;

export const taxSchema = z.strictObject({
  name: z.string(),
  amount,
  description: z.optional(z.string()),
  object: z._default(z.literal('tax'), 'tax'),
});
export type Tax = z.infer<typeof taxSchema>;

export const lineItemTaxSchema = z.strictObject({
  line_item_id: z.string(),
  tax_name: z.string(),
  tax_rate: decimalString,
  tax_amount: amount,
  taxable_amount: amount,
  tax_juris_code: z.optional(z.string()),
  object: z._default(z.literal('line_item_tax'), 'line_item_tax'),
});

export const invoiceSchema = z.strictObject({
  id,
  customer_id: id,
  subscription_id: z.optional(id),
  recurring: z.boolean(),
  status: z.enum(['paid', 'posted', 'payment_due', 'not_paid', 'voided', 'pending']),
  price_type: z._default(z.enum(['tax_exclusive', 'tax_inclusive']), 'tax_exclusive'),
  date: timestamp,
  due_date: z.optional(timestamp),
  paid_at: z.optional(timestamp),
  currency_code: currencyCode,
  sub_total: amount,
  total: amount,
  tax: amount,
  amount_paid: amount,
  amount_adjusted: z._default(amount, 0),
  credits_applied: amount,
  amount_due: amount,
  line_items: z.array(lineItemSchema),
  discounts: z.array(discountSchema),
  taxes: z.array(taxSchema),
  line_item_taxes: z.array(lineItemTaxSchema),
  line_item_discounts: z.optional(
    z.array(
      z.strictObject({
        line_item_id: z.string(),
        discount_type: z.enum(['item_level_coupon', 'document_level_coupon']),
        coupon_id: z.optional(z.string()),
        discount_amount: amount,
        object: z._default(z.literal('line_item_discount'), 'line_item_discount'),
      }),
    ),
  ),
  billing_address: z.optional(addressSchema),
  /** Payments applied to the invoice (Chargebee's linked_payments). */
  linked_payments: z.optional(
    z.array(
      z.strictObject({
        txn_id: z.string(),
        applied_amount: amount,
        applied_at: timestamp,
        txn_status: z.enum(['success', 'failure', 'in_progress']),
        txn_date: timestamp,
        txn_amount: amount,
      }),
    ),
  ),
  /** Dunning: failed payment retries, and when the next one runs. */
  dunning_status: z.optional(z.enum(['in_progress', 'exhausted', 'stopped', 'success'])),
  dunning_attempts: z.optional(z.int()),
  next_retry_at: z.optional(timestamp),
  first_invoice: z.optional(z.boolean()),
  generated_at: z.optional(timestamp),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  deleted: z._default(z.boolean(), false),
  object: z._default(z.literal('invoice'), 'invoice'),
});
export type Invoice = z.infer<typeof invoiceSchema>;
