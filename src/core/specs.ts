import type { PriceSpec } from './pricing.js';
import type { Addon } from './schemas/addon.js';
import { addonPricingModel } from './schemas/common.js';
import type { Plan } from './schemas/plan.js';

/** What priceLine needs of a plan: its model, price, tiers and free quantity (or an overridden unit price). */
export function planSpec(plan: Plan, unitPrice?: number, unitPriceDecimal?: string): PriceSpec {
  const overridden = unitPrice !== undefined || unitPriceDecimal !== undefined;
  return {
    pricing_model: plan.pricing_model,
    price: unitPrice ?? plan.price,
    price_in_decimal: overridden ? unitPriceDecimal : plan.price_in_decimal,
    tiers: plan.tiers,
    free_quantity: plan.free_quantity,
    free_quantity_in_decimal: plan.free_quantity_in_decimal,
  };
}

/** What priceLine needs of an addon. */
export function addonSpec(addon: Addon, unitPrice?: number, unitPriceDecimal?: string): PriceSpec {
  const overridden = unitPrice !== undefined || unitPriceDecimal !== undefined;
  return {
    pricing_model: addonPricingModel(addon.type),
    price: unitPrice ?? addon.price,
    price_in_decimal: overridden ? unitPriceDecimal : addon.price_in_decimal,
    tiers: addon.tiers,
  };
}
