// The cart every estimate bench prices (bench/estimate.bench.ts times it, bench/estimate-count.mjs counts its
// instructions): a $49 flat plan, a 12.5 % and a $7 coupon, New York's tax, and `lines - 1` addons (every third
// tiered), parsed by the given core build's own schemas.
export const NOW = Date.UTC(2025, 0, 31) / 1000;
export const TAX_PROFILE = { rates: [{ country: 'US', region: 'NY', rate: '8.875', name: 'NY' }] };
export const BILLING_ADDRESS = { country: 'US', state_code: 'NY' };

export function benchCart(core) {
  const { addonSchema, couponSchema, parseOrThrow, planSchema } = core;
  const plan = parseOrThrow(planSchema, { id: 'bench', name: 'Bench', price: 4900, pricing_model: 'flat_fee' });
  const coupons = [
    parseOrThrow(couponSchema, { id: 'P', name: 'P', discount_type: 'percentage', discount_percentage: 12.5 }),
    parseOrThrow(couponSchema, { id: 'F', name: 'F', discount_type: 'fixed_amount', discount_amount: 700, currency_code: 'USD' }),
  ];
  const lines = (n) => {
    const addons = Array.from({ length: n - 1 }, (_, i) =>
      parseOrThrow(addonSchema, {
        id: `a${String(i)}`, name: `Addon ${String(i)}`, type: i % 3 === 0 ? 'tiered' : 'quantity', price: 100 + i,
        ...(i % 3 === 0 && { tiers: [{ starting_unit: 1, ending_unit: 10, price: 300 }, { starting_unit: 11, price: 200 }] }),
      }),
    );
    return { addons, chosen: addons.map((a, i) => ({ id: a.id, quantity: 1 + (i % 17) })) };
  };
  return { plan, coupons, lines };
}
