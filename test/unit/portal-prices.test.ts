import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/core/money.js';
import { type PlanInput, planSchema } from '../../src/core/schemas/plan.js';
import { planPrice } from '../../src/hosted/portal/edit.js';

/** The portal's Change plan names each plan's price as the checkout does; a tiered plan has no `price` to read. */
const ctx = { money: (n: number, c: string) => formatMoney(n, c, 'en-US') };
const plan = (p: Partial<PlanInput>) => planSchema.parse({ id: 'p', name: 'P', currency_code: 'USD', period: 1, period_unit: 'month', ...p });

describe('portal plan prices', () => {
  it('flat fee, free, per unit, and every tiered model from its first band', () => {
    expect(planPrice(ctx, plan({ price: 4900, pricing_model: 'flat_fee' }))).toBe('$49.00 / month');
    expect(planPrice(ctx, plan({ price: 47000, pricing_model: 'flat_fee', period: 1, period_unit: 'year' }))).toBe('$470.00 / year');
    expect(planPrice(ctx, plan({ price: 0, pricing_model: 'flat_fee' }))).toBe('Free');
    expect(planPrice(ctx, plan({ price: 200, pricing_model: 'per_unit', period: 3 }))).toBe('$2.00 per unit / 3 months');
    const tiers = [{ starting_unit: 1, ending_unit: 10, price: 500 }, { starting_unit: 11, price: 300 }];
    for (const pricing_model of ['tiered', 'volume', 'stairstep'] as const) {
      expect(planPrice(ctx, plan({ pricing_model, tiers }))).toBe('from $5.00 / month');
    }
  });
});
