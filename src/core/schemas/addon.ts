import * as z from 'zod/mini';
import {
  addonPeriodUnit, addonPricingModel, addonType, checkTiers, currencyCode, id, metaData, money, nonNegativeDecimal, positiveCount, requiredText, status,
  text, tier, timestamp,
} from './common.js';

export { addonPeriodUnit, addonType };

export type AddonType = z.infer<typeof addonType>;

export { addonPricingModel };

/**
 * The addon resource: every field and limit of the addons API seed (v1), plus `currency_code` and tiers from v2.
 * Defaults follow the seed: type on_off, charge_type recurring, status active, enabled_in_portal and taxable true.
 */
export const addonSchema = z
  .pipe(
    z.strictObject({
      id,
      name: requiredText(50),
      invoice_name: z.optional(text(100)),
      description: z.optional(text(500)),
      type: z._default(addonType, 'on_off'),
      charge_type: z._default(z.enum(['recurring', 'non_recurring']), 'recurring'),
      price: z._default(money, 0),
      price_in_decimal: z.optional(nonNegativeDecimal),
      currency_code: z._default(currencyCode, 'USD'),
      period: z.optional(positiveCount),
      period_unit: z.optional(addonPeriodUnit),
      unit: z.optional(text(30)),
      tiers: z.optional(z.array(tier).check(z.maxLength(100))),
      status: z._default(status, 'active'),
      archived_at: z.optional(timestamp),
      enabled_in_portal: z._default(z.boolean(), true),
      invoice_notes: z.optional(text(1000)),
      taxable: z._default(z.boolean(), true),
      tax_profile_id: z.optional(text(50)),
      meta_data: z.optional(metaData),
      sku: z.optional(text(100)),
      accounting_code: z.optional(text(100)),
      show_description_in_invoices: z.optional(z.boolean()),
      show_description_in_quotes: z.optional(z.boolean()),
      created_at: z.optional(timestamp),
      updated_at: z.optional(timestamp),
      resource_version: z.optional(z.int()),
      object: z._default(z.literal('addon'), 'addon'),
    }),
    z.transform((a) => {
      // A recurring addon bills every `period period_unit` (default 1 month); a non-recurring one has no period.
      if (a.charge_type === 'recurring') {
        return { ...a, period: a.period ?? 1, period_unit: a.period_unit ?? 'month' };
      }
      return { ...a, period_unit: a.period_unit ?? 'not_applicable' };
    }),
  )
  .check(
    z.superRefine((addon, ctx) => {
      const issue = (path: PropertyKey[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message, input: addon });
      checkTiers(addonPricingModel(addon.type), addon.tiers, issue);
      if (addon.charge_type === 'recurring' && addon.period_unit === 'not_applicable') {
        issue(['period_unit'], 'must be day, week, month or year for a recurring addon');
      }
      if (addon.charge_type === 'non_recurring') {
        if (addon.period !== undefined) issue(['period'], 'is applicable only for recurring addons');
        if (addon.period_unit !== 'not_applicable') issue(['period_unit'], 'is applicable only for recurring addons');
      }
      if (addon.unit !== undefined && addon.type === 'on_off') {
        issue(['unit'], 'is applicable only for quantity-based addons');
      }
    }),
  );

export type Addon = z.infer<typeof addonSchema>;
export type AddonInput = z.input<typeof addonSchema>;
