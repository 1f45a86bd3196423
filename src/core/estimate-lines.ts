import type { ResolvedAddon } from './addon-choice.js';
import { periodFactor } from './applicability.js';
import { couponProblem } from './discounts.js';
import { type FieldError, invalid, type ParamNames, PaylitValidationError } from './errors.js';
import type { Charge, InvoiceOptions } from './invoice-builder.js';
import type { EstimateContext } from './estimate-types.js';
import { type Factor, ONE, priceLine, type Quantity } from './pricing.js';
import type { Addon } from './schemas/addon.js';
import { addonPricingModel } from './schemas/common.js';
import { addonSpec, planSpec } from './specs.js';
import type { Coupon } from './schemas/coupon.js';
import type { Plan } from './schemas/plan.js';
import type { Subscription } from './schemas/subscription.js';

/**
 * The lines estimates are made of: the charges of plans, addons, setup fees and one-time packs, and the checks of
 * quantities and coupons. Shared by the new-subscription, renewal and change estimates; not part of core's API.
 */
export const scale = (f: Factor, k: number): Factor => ({ num: f.num * k, den: f.den });

/**
 * An estimate's options for one invoice, as one literal: a spread of shared options plus the invoice's own keys was
 * built on V8's slow path (a sixth of a new subscription's estimate).
 */
export const invoiceOptions = (
  ctx: EstimateContext, currency: string, date: number, recurring: boolean, coupons?: readonly Coupon[], credits?: number, idPrefix?: string,
): InvoiceOptions => ({ currency, date, recurring, coupons, taxProfile: ctx.taxProfile, address: ctx.billingAddress, taxExempt: ctx.taxExempt, credits, idPrefix });

export interface Items {
  plan: Plan;
  planQuantity: Quantity;
  planUnitPrice?: number | undefined;
  planUnitPriceDecimal?: string | undefined;
  /** Recurring addons, with the unit price they are billed at. */
  addons: Array<{ addon: Addon; quantity: Quantity; periodFactor: number; unitPrice?: number | undefined; unitPriceDecimal?: string | undefined }>;
}

export function planCharge(items: Items, from: number, to: number, factor: Factor): Charge {
  const { plan } = items;
  return {
    entity_type: 'plan',
    entity_id: plan.id,
    description: plan.invoice_name ?? plan.name,
    pricing_model: plan.pricing_model,
    priced: priceLine(planSpec(plan, items.planUnitPrice, items.planUnitPriceDecimal), items.planQuantity, plan.currency_code, factor),
    date_from: from,
    date_to: to,
    taxable: plan.taxable,
  };
}

export function addonCharge(
  a: { addon: Addon; quantity: Quantity; periodFactor: number; unitPrice?: number | undefined; unitPriceDecimal?: string | undefined },
  currency: string,
  from: number,
  to: number,
  factor: Factor,
): Charge {
  return {
    entity_type: 'addon',
    entity_id: a.addon.id,
    description: a.addon.invoice_name ?? a.addon.name,
    pricing_model: addonPricingModel(a.addon.type),
    priced: priceLine(addonSpec(a.addon, a.unitPrice, a.unitPriceDecimal), a.quantity, currency, scale(factor, a.periodFactor)),
    date_from: from,
    date_to: to,
    taxable: a.addon.taxable,
  };
}

export function oneTimeCharges(items: ReadonlyArray<{ addon: Addon; quantity: Quantity }>, currency: string, at: number): Charge[] {
  // A literal, not a spread of the item (V8's slow path): only its addon and quantity count.
  return items.map((a) => addonCharge({ addon: a.addon, quantity: a.quantity, periodFactor: 1 }, currency, at, at, ONE));
}

export function setupCharge(plan: Plan, amount: number, at: number): Charge[] {
  if (amount <= 0) return [];
  return [
    {
      entity_type: 'plan_setup',
      entity_id: plan.id,
      description: `${plan.invoice_name ?? plan.name} Setup Fee`,
      pricing_model: 'flat_fee',
      priced: { amount, unit_amount: amount, quantity: 1 },
      date_from: at,
      date_to: at,
      taxable: plan.taxable,
    },
  ];
}

/** The charges of one full term (times `factor`) for the recurring items. */
export function termCharges(items: Items, from: number, to: number, factor: Factor = ONE): Charge[] {
  // concat, not a spread into a literal: the builtin copies in one go.
  return [planCharge(items, from, to, factor)].concat(items.addons.map((a) => addonCharge(a, items.plan.currency_code, from, to, factor)));
}

export function checkPlanQuantity(plan: Plan, q: Quantity | undefined, param = 'plan_quantity'): Quantity {
  if (q === undefined) return 1;
  if (typeof q === 'number' && (!Number.isSafeInteger(q) || q < 1)) throw invalid(param, 'must be a whole number of at least 1');
  if (typeof q === 'string' && (/^-/.test(q) || /^0+(\.0*)?$/.test(q))) throw invalid(param, 'must be greater than 0');
  if (plan.pricing_model === 'flat_fee' && String(q) !== '1') throw invalid(param, `plan "${plan.id}" is flat fee and has no quantity`);
  return q;
}

/** Coupons usable on a new invoice, or errors naming `coupon_ids[i]`. */
export function checkCoupons(coupons: readonly Coupon[], plan: Plan, now: number, names: ParamNames): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  coupons.forEach((c, i) => {
    const p = names(`coupon_ids[${String(i)}]`);
    if (seen.has(c.id)) errors.push({ param: p, message: `coupon "${c.id}" is given twice` });
    seen.add(c.id);
    const problem = couponProblem(c, plan.currency_code, now);
    if (problem) errors.push({ param: p, message: problem });
  });
  if (errors.length) throw new PaylitValidationError(errors);
}

/** A quantity as Chargebee shows it: the whole part, plus the exact decimal when it is one. */
export const quantityFields = (q: Quantity): { quantity: number; quantity_in_decimal?: string } =>
  typeof q === 'number' ? { quantity: q } : { quantity: Number.parseInt(q, 10), quantity_in_decimal: q };

/** The plan and recurring addons a subscription estimate shows. */
export function itemFields(plan: Plan, planQuantity: Quantity, recurring: readonly ResolvedAddon[]) {
  const q = quantityFields(planQuantity);
  return {
    plan_id: plan.id,
    plan_quantity: q.quantity,
    ...(q.quantity_in_decimal !== undefined && { plan_quantity_in_decimal: q.quantity_in_decimal }),
    addons: recurring.map((r) => ({ id: r.addon.id, ...quantityFields(r.quantity) })),
  };
}

export function itemsOf(sub: Subscription, plan: Plan, catalog: readonly Addon[]): Items {
  return {
    plan,
    planQuantity: sub.plan_quantity_in_decimal ?? sub.plan_quantity,
    planUnitPrice: sub.plan_unit_price,
    planUnitPriceDecimal: sub.plan_unit_price_in_decimal,
    addons: sub.addons.flatMap((a) => {
      const addon = catalog.find((x) => x.id === a.id);
      if (!addon) return [];
      // Not applicableAddons: it leaves out archived addons, which subscriptions already on them keep paying for.
      const f = periodFactor(plan, addon);
      const factor = 'factor' in f ? f.factor : 1;
      return [{ addon, quantity: a.quantity_in_decimal ?? a.quantity, periodFactor: factor, unitPrice: a.unit_price, unitPriceDecimal: a.unit_price_in_decimal }];
    }),
  };
}

/** A coupon on a subscription, with the catalog coupon it refers to. */
