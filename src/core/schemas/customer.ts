import * as z from 'zod/mini';
import { addressSchema, type Address } from './address.js';
import { currencyCode, id, metaData, text, timestamp } from './common.js';

export { addressSchema, type Address };

export const customerSchema = z.strictObject({
  id,
  first_name: z.optional(text(150)),
  last_name: z.optional(text(150)),
  email: z.optional(z.email().check(z.maxLength(70))),
  phone: z.optional(text(50)),
  company: z.optional(text(250)),
  locale: z.optional(text(50)),
  /** The customer's VAT number, as update_billing_info sets it (shown on their invoices' billing details). */
  vat_number: z.optional(text(20)),
  preferred_currency_code: z.optional(currencyCode),
  auto_collection: z._default(z.enum(['on', 'off']), 'on'),
  taxability: z._default(z.enum(['taxable', 'exempt']), 'taxable'),
  billing_address: z.optional(addressSchema),
  shipping_address: z.optional(addressSchema),
  promotional_credits: z._default(z.int().check(z.minimum(0)), 0),
  /** Credit from prorated downgrades, applied to the customer's next invoices. */
  refundable_credits: z._default(z.int().check(z.minimum(0)), 0),
  meta_data: z.optional(metaData),
  /** The card charged for renewals and one-time charges. */
  primary_payment_source_id: z.optional(id),
  card_status: z._default(z.enum(['no_card', 'valid', 'expiring', 'expired']), 'no_card'),
  deleted: z._default(z.boolean(), false),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  object: z._default(z.literal('customer'), 'customer'),
});
export type Customer = z.infer<typeof customerSchema>;
export type CustomerInput = z.input<typeof customerSchema>;
