import * as z from 'zod/mini';
import { currencyCode, id, metaData, money, positiveCount, requiredText, text, timestamp } from './common.js';

/** A percentage with at most 4 decimals, 0.01 to 100, kept exact as its decimal digits. */
const percentage = z.number().check(
  z.minimum(0.01),
  z.maximum(100),
  z.refine((n) => /^\d{1,3}(\.\d{1,4})?$/.test(String(n)), { message: 'must have at most 4 decimals' }),
);

export const couponSchema = z
  .strictObject({
    id,
    name: requiredText(50),
    invoice_name: z.optional(text(100)),
    discount_type: z.enum(['fixed_amount', 'percentage']),
    discount_amount: z.optional(money),
    discount_percentage: z.optional(percentage),
    currency_code: z.optional(currencyCode),
    duration_type: z._default(z.enum(['one_time', 'forever', 'limited_period']), 'forever'),
    /** For limited_period: how many months from the first application the coupon keeps applying. */
    duration_month: z.optional(z.int().check(z.minimum(1), z.maximum(240))),
    valid_till: z.optional(timestamp),
    max_redemptions: z.optional(positiveCount),
    redemptions: z._default(z.int().check(z.minimum(0)), 0),
    status: z._default(z.enum(['active', 'expired', 'archived', 'deleted']), 'active'),
    apply_on: z._default(z.enum(['invoice_amount', 'each_specified_item']), 'invoice_amount'),
    plan_constraint: z._default(z.enum(['none', 'all', 'specific']), 'all'),
    addon_constraint: z._default(z.enum(['none', 'all', 'specific']), 'all'),
    plan_ids: z.optional(z.array(id)),
    addon_ids: z.optional(z.array(id)),
    invoice_notes: z.optional(text(1000)),
    meta_data: z.optional(metaData),
    created_at: z.optional(timestamp),
    updated_at: z.optional(timestamp),
    resource_version: z.optional(z.int()),
    object: z._default(z.literal('coupon'), 'coupon'),
  })
  .check(
    z.superRefine((c, ctx) => {
      const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message, input: c });
      if (c.discount_type === 'fixed_amount') {
        if (c.discount_amount === undefined) issue(['discount_amount'], 'is required for a fixed_amount coupon');
        if (c.currency_code === undefined) issue(['currency_code'], 'is required for a fixed_amount coupon');
        if (c.discount_percentage !== undefined) issue(['discount_percentage'], 'is only for percentage coupons');
      } else {
        if (c.discount_percentage === undefined) issue(['discount_percentage'], 'is required for a percentage coupon');
        if (c.discount_amount !== undefined) issue(['discount_amount'], 'is only for fixed_amount coupons');
      }
      if (c.duration_type === 'limited_period' && c.duration_month === undefined) {
        issue(['duration_month'], 'is required when duration_type is limited_period');
      }
      if (c.duration_type !== 'limited_period' && c.duration_month !== undefined) {
        issue(['duration_month'], 'is only for limited_period coupons');
      }
      if (c.plan_constraint === 'specific' && !c.plan_ids?.length) issue(['plan_ids'], 'are required when plan_constraint is specific');
      if (c.addon_constraint === 'specific' && !c.addon_ids?.length) issue(['addon_ids'], 'are required when addon_constraint is specific');
    }),
  );

export type Coupon = z.infer<typeof couponSchema>;
export type CouponInput = z.input<typeof couponSchema>;
