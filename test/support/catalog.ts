import { parseOrThrow } from '../../src/core/errors.js';
import { type Addon, type AddonInput, addonSchema } from '../../src/core/schemas/addon.js';
import { type Coupon, type CouponInput, couponSchema } from '../../src/core/schemas/coupon.js';
import { type Plan, type PlanInput, planSchema } from '../../src/core/schemas/plan.js';
import { demoAddons, demoCoupons, demoPlans } from '../../src/server/seed/catalog.js';

export const plan = (p: PlanInput): Plan => parseOrThrow(planSchema, p);
export const addon = (a: AddonInput): Addon => parseOrThrow(addonSchema, a);
export const coupon = (c: CouponInput): Coupon => parseOrThrow(couponSchema, c);

export const addons: Addon[] = demoAddons.map(addon);
export const plans = new Map(demoPlans.map((p) => [p.id, plan(p)]));
export const coupons = new Map(demoCoupons.map((c) => [c.id, coupon(c)]));
export const getPlan = (id: string): Plan => {
  const p = plans.get(id);
  if (!p) throw new Error(`no demo plan ${id}`);
  return p;
};

/** 2025-01-31T00:00:00Z, a date that exercises month-end clamping. */
export const JAN31 = Date.UTC(2025, 0, 31) / 1000;
export const at = (iso: string): number => Date.parse(iso) / 1000;
