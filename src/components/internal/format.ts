import { addonSpec, planSpec } from '../../core/specs.js';
import { priceLine } from '../../core/pricing.js';
import type { Addon } from '../../core/schemas/addon.js';
import type { Plan } from '../../core/schemas/plan.js';
import type { LocaleController } from './localize.js';

/** "month", "3 months": a billing period in words. */
export function periodText(l: LocaleController, period: number, unit: 'day' | 'week' | 'month' | 'year'): string {
  return l.t(unit, { count: period });
}

/** A plan's price as a customer reads it: "$19.00 / month", "from $2.00 / month", "Free". */
export function planPrice(l: LocaleController, plan: Plan): string {
  const period = periodText(l, plan.period, plan.period_unit);
  const currency = plan.currency_code;
  if (plan.pricing_model === 'flat_fee') {
    const amount = priceLine(planSpec(plan), 1, currency).amount;
    return amount === 0 ? l.t('free') : l.t('perPeriod', { price: l.money(amount, currency), period });
  }
  if (plan.pricing_model === 'per_unit') {
    return l.t('perPeriod', { price: l.t('perUnit', { price: l.money(plan.price, currency) }), period });
  }
  const first = plan.tiers?.[0]?.price ?? 0;
  return l.t('perPeriod', { price: l.t('fromPrice', { price: l.money(first, currency) }), period });
}

/** An addon's unit price: "$45.00 each", "$49.00 / month". */
export function addonPrice(l: LocaleController, addon: Addon): string {
  const unit = priceLine(addonSpec(addon), 1, addon.currency_code).amount;
  const price = l.money(unit, addon.currency_code);
  if (addon.charge_type === 'recurring' && addon.period_unit !== 'not_applicable' && addon.period_unit !== undefined) {
    return l.t('perPeriod', { price, period: periodText(l, addon.period ?? 1, addon.period_unit) });
  }
  return addon.type === 'on_off' ? price : l.t('eachPer', { price });
}

export { packCredits } from '../../core/credits.js';

/** Quantity limits of an addon: `meta_data.min_quantity` / `max_quantity` when set, else 1 to 999; on/off is 1. */
export function quantityLimits(addon: Addon): { min: number; max: number } {
  if (addon.type === 'on_off') return { min: 1, max: 1 };
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : d);
  const min = n(addon.meta_data?.min_quantity, 1);
  return { min, max: Math.max(min, n(addon.meta_data?.max_quantity, 999)) };
}

export const capitalize = (s: string, locale: string) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);
