import * as z from 'zod/mini';
import { DECIMAL_PATTERN } from '../decimal.js';

/** Chargebee ids: letters, digits and `_-.~@`, at most 100 characters (seed: addon id <= 100). */
export const id = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_\-.~@]+$/));
/** A catalog item's name for customers: its invoice name where it has one, else its name (which is the merchant's). */
export const customerName = (item: { name: string; invoice_name?: string | undefined }): string => item.invoice_name || item.name;

export const text = (max: number) => z.string().check(z.maxLength(max));
export const requiredText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** Integer minor units, never negative. */
export const money = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
export const count = z.int().check(z.minimum(0));
export const positiveCount = z.int().check(z.minimum(1));
/** Unix timestamp in seconds, as Chargebee sends them. */
export const timestamp = z.int().check(z.minimum(0));

/** An exact decimal as a string ("0.0125"), for multi-decimal prices and quantities. */
export const decimalString = z.string().check(z.regex(DECIMAL_PATTERN, 'must be a decimal number such as "12.50"'));
export const nonNegativeDecimal = decimalString.check(
  z.refine((v) => !v.startsWith('-'), { message: 'must not be negative' }),
);

export const currencyCode = z.string().check(
  z.regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as "USD"'),
);
export const country = z.string().check(z.regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 code such as "US"'));

/**
 * A free-form JSON object (meta_data, a completed hosted page's content): any keys, any values, `__proto__` dropped from
 * the copy. A loose object that declares no keys checks what `z.record(z.string(), z.unknown())` did (an object, not a
 * list), without the record's code in the browser (about 0.8 KB gzip); the server's form decoder reads a JSON document
 * from a form field into it (src/server/http/params.ts, `isFreeFormObject`).
 */
export const freeFormObject = z.looseObject({});
export const metaData = freeFormObject;

export const status = z.enum(['active', 'archived', 'deleted']);
export type Status = z.infer<typeof status>;

export const periodUnit = z.enum(['day', 'week', 'month', 'year']);
export type PeriodUnit = z.infer<typeof periodUnit>;

export const pricingModel = z.enum(['flat_fee', 'per_unit', 'tiered', 'volume', 'stairstep']);
export type PricingModel = z.infer<typeof pricingModel>;

/**
 * A price tier over whole units. `ending_unit` is absent on the last tier only. Stairstep prices are flat per tier.
 * A multi-decimal quantity q falls in the tier with starting_unit - 1 < q <= ending_unit.
 */
export const tier = z.strictObject({
  starting_unit: positiveCount,
  ending_unit: z.optional(positiveCount),
  price: money,
  price_in_decimal: z.optional(nonNegativeDecimal),
});
export type Tier = z.infer<typeof tier>;

/**
 * The pricing model an addon type stands for: on_off is a flat fee, quantity is per unit. Here rather than in
 * addon.ts, so the browser's estimates import it without the addon resource's schema (schemas/browser.ts).
 */
export function addonPricingModel(type: 'on_off' | 'quantity' | 'tiered' | 'volume' | 'stairstep'): PricingModel {
  return type === 'on_off' ? 'flat_fee' : type === 'quantity' ? 'per_unit' : type;
}

export const TIERED_MODELS: readonly PricingModel[] = ['tiered', 'volume', 'stairstep'];

/** Tiers start at 1, follow each other without gaps or overlaps, and only the last is open-ended. */
export type AddIssue = (path: PropertyKey[], message: string) => void;

export function checkTiers(model: PricingModel, tiers: readonly Tier[] | undefined, push: AddIssue): void {
  const tiered = TIERED_MODELS.includes(model);
  if (!tiered) {
    if (tiers && tiers.length > 0) push(['tiers'], `are only allowed with the tiered, volume or stairstep pricing model`);
    return;
  }
  if (!tiers || tiers.length === 0) {
    push(['tiers'], `are required for the ${model} pricing model`);
    return;
  }
  tiers.forEach((t, i) => {
    const expectedStart = i === 0 ? 1 : (tiers[i - 1]?.ending_unit ?? NaN) + 1;
    if (t.starting_unit !== expectedStart) {
      push(
        ['tiers', i, 'starting_unit'],
        i === 0
          ? 'the first tier must start at unit 1'
          : `must be ${String(expectedStart)}, right after the previous tier's ending unit (no gaps or overlaps)`,
      );
    }
    const last = i === tiers.length - 1;
    if (last && t.ending_unit !== undefined) push(['tiers', i, 'ending_unit'], 'the last tier must have no ending unit');
    if (!last && t.ending_unit === undefined) push(['tiers', i, 'ending_unit'], 'is required on every tier but the last');
    if (t.ending_unit !== undefined && t.ending_unit < t.starting_unit) {
      push(['tiers', i, 'ending_unit'], 'must not be below starting_unit');
    }
  });
}

// The resources' enumerations, here so the full schemas (plan.ts, addon.ts, …) and the browser's views (browser.ts)
// check the same values: one schema each.
export const addonType = z.enum(['on_off', 'quantity', 'tiered', 'volume', 'stairstep']);
export const addonPeriodUnit = z.enum(['day', 'week', 'month', 'year', 'not_applicable']);
export const attachmentType = z.enum(['mandatory', 'recommended']);
export const addonEvent = z.enum(['subscription_creation', 'subscription_trial_start', 'plan_activation', 'subscription_activation']);
export const subscriptionStatus = z.enum(['future', 'in_trial', 'active', 'non_renewing', 'paused', 'cancelled']);
export const hostedPageType = z.enum(['checkout_new', 'checkout_existing', 'checkout_existing_for_items', 'update_payment_method', 'manage_payment_sources']);
