import * as z from 'zod/mini';
import { country, text } from './common.js';

/**
 * A billing or shipping address. A module of its own (customer.ts re-exports it), so the browser's address form and
 * adapter import it without the customer resource's schema.
 */
export const addressSchema = z.strictObject({
  first_name: z.optional(text(150)),
  last_name: z.optional(text(150)),
  email: z.optional(z.email().check(z.maxLength(70))),
  company: z.optional(text(250)),
  phone: z.optional(text(50)),
  line1: z.optional(text(150)),
  line2: z.optional(text(150)),
  line3: z.optional(text(150)),
  city: z.optional(text(50)),
  /** ISO 3166-2 subdivision code without the country prefix: "CA" for California. */
  state_code: z.optional(text(50)),
  state: z.optional(text(50)),
  zip: z.optional(text(20)),
  country: z.optional(country),
  validation_status: z.optional(z.enum(['not_validated', 'valid', 'partially_valid', 'invalid'])),
  object: z.optional(z.enum(['billing_address', 'shipping_address'])),
});
export type Address = z.infer<typeof addressSchema>;
