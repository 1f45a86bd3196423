import * as z from 'zod/mini';
import { id, metaData, requiredText, timestamp } from './common.js';

/**
 * Coupon codes and their sets: the server's (a code is given where a coupon id is asked for); left out of the core
 * bundle the browser loads, which has no use for them.
 */

/** A coupon code (Chargebee's coupon_code): one customer's way to a coupon, redeemed once. */
export const couponCodeSchema = z.strictObject({
  code: z.string().check(z.minLength(1), z.maxLength(50), z.regex(/^[A-Za-z0-9_\-.~@]+$/)),
  coupon_id: id,
  coupon_set_id: id,
  status: z._default(z.enum(['not_redeemed', 'redeemed', 'archived']), 'not_redeemed'),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  object: z._default(z.literal('coupon_code'), 'coupon_code'),
});
export type CouponCode = z.infer<typeof couponCodeSchema>;

/** A set of codes for one coupon (Chargebee's coupon_set). */
export const couponSetSchema = z.strictObject({
  id,
  coupon_id: id,
  name: requiredText(50),
  meta_data: z.optional(metaData),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  object: z._default(z.literal('coupon_set'), 'coupon_set'),
});
export type CouponSet = z.infer<typeof couponSetSchema>;
