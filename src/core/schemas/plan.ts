import * as z from 'zod/mini';
import {
  addonEvent, attachmentType, checkTiers, count, currencyCode, id, metaData, money, nonNegativeDecimal, periodUnit, positiveCount, pricingModel,
  requiredText, status, text, tier, timestamp,
} from './common.js';

export { addonEvent, attachmentType };

export type AddonEvent = z.infer<typeof addonEvent>;

export const attachedAddon = z.strictObject({
  id,
  quantity: z._default(positiveCount, 1),
  quantity_in_decimal: z.optional(nonNegativeDecimal),
  billing_cycles: z.optional(positiveCount),
  type: z._default(attachmentType, 'recommended'),
});
export type AttachedAddon = z.infer<typeof attachedAddon>;

export const eventBasedAddon = z.strictObject({
  id,
  quantity: z._default(positiveCount, 1),
  quantity_in_decimal: z.optional(nonNegativeDecimal),
  on_event: addonEvent,
  /** true: only the first time the event happens for the subscription; false: every time. */
  charge_once: z._default(z.boolean(), true),
});
export type EventBasedAddon = z.infer<typeof eventBasedAddon>;

/**
 * The plan resource: every attribute of the plans seed, with Chargebee v2 names.
 * `addon_required` is Paylit's one extension: a checkout must carry at least one customer-chosen addon.
 */
export const planSchema = z
  .strictObject({
    id,
    name: requiredText(50),
    invoice_name: z.optional(text(100)),
    description: z.optional(text(500)),
    price: z._default(money, 0),
    price_in_decimal: z.optional(nonNegativeDecimal),
    currency_code: z._default(currencyCode, 'USD'),
    period: z._default(positiveCount, 1),
    period_unit: z._default(periodUnit, 'month'),
    trial_period: z.optional(positiveCount),
    trial_period_unit: z.optional(z.enum(['day', 'month'])),
    /** Renewals including the first term; absent means forever. */
    billing_cycles: z.optional(positiveCount),
    pricing_model: z._default(pricingModel, 'flat_fee'),
    tiers: z.optional(z.array(tier).check(z.maxLength(100))),
    free_quantity: z._default(count, 0),
    free_quantity_in_decimal: z.optional(nonNegativeDecimal),
    setup_cost: z.optional(money),
    status: z._default(status, 'active'),
    archived_at: z.optional(timestamp),
    enabled_in_hosted_pages: z._default(z.boolean(), true),
    enabled_in_portal: z._default(z.boolean(), true),
    taxable: z._default(z.boolean(), true),
    tax_profile_id: z.optional(text(50)),
    giftable: z._default(z.boolean(), false),
    redirect_url: z.optional(z.url().check(z.maxLength(500))),
    invoice_notes: z.optional(text(2000)),
    show_description_in_invoices: z._default(z.boolean(), false),
    show_description_in_quotes: z._default(z.boolean(), false),
    is_shippable: z._default(z.boolean(), false),
    shipping_frequency_period: z.optional(positiveCount),
    shipping_frequency_period_unit: z.optional(periodUnit),
    sku: z.optional(text(100)),
    accounting_code: z.optional(text(100)),
    accounting_category1: z.optional(text(100)),
    accounting_category2: z.optional(text(100)),
    accounting_category3: z.optional(text(100)),
    accounting_category4: z.optional(text(100)),
    meta_data: z.optional(metaData),
    addon_applicability: z._default(z.enum(['all', 'restricted']), 'all'),
    applicable_addons: z.optional(z.array(z.strictObject({ id }))),
    attached_addons: z.optional(z.array(attachedAddon)),
    event_based_addons: z.optional(z.array(eventBasedAddon)),
    addon_required: z._default(z.boolean(), false),
    created_at: z.optional(timestamp),
    updated_at: z.optional(timestamp),
    resource_version: z.optional(z.int()),
    object: z._default(z.literal('plan'), 'plan'),
  })
  .check(
    z.superRefine((plan, ctx) => {
      const issue = (path: PropertyKey[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message, input: plan });
      checkTiers(plan.pricing_model, plan.tiers, issue);
      if ((plan.free_quantity > 0 || plan.free_quantity_in_decimal !== undefined) && plan.pricing_model !== 'per_unit') {
        issue(['free_quantity'], 'is only available with the per_unit pricing model');
      }
      if (plan.trial_period !== undefined && plan.trial_period_unit === undefined) {
        issue(['trial_period_unit'], 'is required when trial_period is set');
      }
      if (plan.trial_period === undefined && plan.trial_period_unit !== undefined) {
        issue(['trial_period'], 'is required when trial_period_unit is set');
      }
      if (plan.applicable_addons?.length && plan.addon_applicability !== 'restricted') {
        issue(['applicable_addons'], 'can only be given when addon_applicability is "restricted"');
      }
      if (plan.shipping_frequency_period !== undefined && !plan.is_shippable) {
        issue(['shipping_frequency_period'], 'is only allowed when is_shippable is true');
      }
      if (plan.giftable && plan.event_based_addons?.length) {
        issue(['event_based_addons'], 'are not allowed on gift plans; attach non-recurring addons on demand instead');
      }
      const seen = new Set<string>();
      (plan.attached_addons ?? []).forEach((a, i) => {
        if (seen.has(a.id)) issue(['attached_addons', i, 'id'], `"${a.id}" is attached twice`);
        seen.add(a.id);
      });
    }),
  );

export type Plan = z.infer<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
