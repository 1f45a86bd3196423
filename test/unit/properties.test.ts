import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCoupons } from '../../src/core/discounts.js';
import { buildInvoice, type Charge } from '../../src/core/invoice-builder.js';
import { minorDigits, MoneyRangeError } from '../../src/core/money.js';
import { priceLine, type PriceSpec } from '../../src/core/pricing.js';
import type { Tier } from '../../src/core/schemas/common.js';
import { coupon } from '../support/catalog.js';

/** Contiguous tiers from 1, the last open, with random widths and prices. */
const tiersArb = fc
  .array(fc.record({ width: fc.integer({ min: 1, max: 50 }), price: fc.integer({ min: 0, max: 100_000 }) }), { minLength: 1, maxLength: 6 })
  .map((ts): Tier[] => {
    let start = 1;
    return ts.map((t, i) => {
      const tier: Tier = { starting_unit: start, price: t.price, ...(i < ts.length - 1 && { ending_unit: start + t.width - 1 }) };
      start += t.width;
      return tier;
    });
  });

const specArb: fc.Arbitrary<PriceSpec> = fc.oneof(
  fc.record({ pricing_model: fc.constant('flat_fee' as const), price: fc.integer({ min: 0, max: 10_000_000 }) }),
  fc.record({
    pricing_model: fc.constant('per_unit' as const),
    price: fc.integer({ min: 0, max: 10_000_000 }),
    free_quantity: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({ pricing_model: fc.constantFrom('tiered' as const, 'volume' as const, 'stairstep' as const), price: fc.constant(0), tiers: tiersArb }),
);

// ---- A deliberately naive BigInt reference, written from the seed's definitions, not from the engine. ----
function refExact(spec: PriceSpec, q: bigint): bigint {
  const tiers = spec.tiers ?? [];
  const tierOf = (x: bigint) => tiers.find((t) => BigInt(t.starting_unit) <= x && (t.ending_unit === undefined || x <= BigInt(t.ending_unit)));
  switch (spec.pricing_model) {
    case 'flat_fee':
      return BigInt(spec.price);
    case 'per_unit': {
      const chargeable = q - BigInt(spec.free_quantity ?? 0);
      return chargeable > 0n ? chargeable * BigInt(spec.price) : 0n;
    }
    case 'volume':
      return q === 0n ? 0n : BigInt(tierOf(q)!.price) * q;
    case 'stairstep':
      return q === 0n ? 0n : BigInt(tierOf(q)!.price);
    case 'tiered': {
      let total = 0n;
      for (let unit = 1n; unit <= q; unit++) total += BigInt(tierOf(unit)!.price); // unit by unit
      return total;
    }
  }
}
function refRound(n: bigint, d: bigint): bigint {
  // half away from zero, via doubling
  const sign = n < 0n ? -1n : 1n;
  const a = n * sign;
  return sign * ((2n * a + d) / (2n * d));
}

describe('pricing properties', () => {
  it('100,000 random checkouts agree with a BigInt reference to the minor unit', () => {
    const lineArb = fc.record({ spec: specArb, q: fc.integer({ min: 0, max: 300 }), num: fc.integer({ min: 1, max: 31_622_400 }), den: fc.integer({ min: 1, max: 31_622_400 }) });
    const checkoutArb = fc.record({
      lines: fc.array(lineArb, { minLength: 1, maxLength: 5 }),
      pct: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }), // basis points -> up to 2 decimals
      taxBp: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }),
      currency: fc.constantFrom('USD', 'JPY', 'KWD'),
    });
    fc.assert(
      fc.property(checkoutArb, ({ lines, pct, taxBp, currency }) => {
        const charges = (): Charge[] => lines.map((l, i) => ({
          entity_type: 'addon', entity_id: `a${String(i)}`, description: 'x', pricing_model: l.spec.pricing_model,
          priced: priceLine(l.spec, l.q, currency, { num: l.num, den: l.den }), date_from: 0, date_to: 0, taxable: true,
        }));
        const coupons = pct === undefined ? [] : [coupon({ id: 'P', name: 'P', discount_type: 'percentage', discount_percentage: pct / 100 })];
        const tax = taxBp === undefined ? undefined : { rates: [{ country: 'DE', rate: String(taxBp / 100), name: 'VAT' }] };
        const ref = lines.map((l) => {
          const amount = refRound(refExact(l.spec, BigInt(l.q)) * BigInt(l.num), BigInt(l.den));
          const discount = pct === undefined ? 0n : refRound(amount * BigInt(pct), 10_000n);
          const tax = taxBp === undefined ? 0n : refRound((amount - discount) * BigInt(taxBp), 10_000n);
          return { amount, discount, tax };
        });
        const total = ref.reduce((a, r) => a + r.amount - r.discount + r.tax, 0n);
        const subTotal = ref.reduce((a, r) => a + r.amount, 0n);
        const build = () => buildInvoice(charges(), { currency, date: 0, recurring: true, coupons, taxProfile: tax, address: { country: 'DE' } });
        // Beyond 2^53 - 1 minor units the engine refuses instead of rounding.
        if (total > BigInt(Number.MAX_SAFE_INTEGER) || subTotal > BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(build).toThrow(MoneyRangeError);
          return;
        }
        const inv = build();
        ref.forEach((r, i) => {
          const line = inv.line_items[i]!;
          expect(BigInt(line.amount)).toBe(r.amount);
          expect(BigInt(line.discount_amount)).toBe(r.discount);
          expect(BigInt(line.tax_amount)).toBe(r.tax);
        });
        expect(BigInt(inv.total)).toBe(total);
      }),
      { numRuns: 100_000 },
    );
  }, 120_000);

  it('the total is the sum of the lines', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ spec: specArb, q: fc.integer({ min: 0, max: 200 }) }), { minLength: 0, maxLength: 8 }), fc.integer({ min: 0, max: 50_000 }), (ls, fixed) => {
        const charges: Charge[] = ls.map((l) => ({ entity_type: 'plan', description: 'x', pricing_model: l.spec.pricing_model, priced: priceLine(l.spec, l.q, 'USD'), date_from: 0, date_to: 0, taxable: false }));
        const c = coupon({ id: 'F', name: 'F', discount_type: 'fixed_amount', discount_amount: fixed, currency_code: 'USD' });
        const inv = buildInvoice(charges, { currency: 'USD', date: 0, recurring: true, coupons: [c] });
        const sum = inv.line_items.reduce((a, l) => a + l.amount - l.discount_amount + l.tax_amount, 0);
        expect(inv.total).toBe(sum);
        expect(inv.sub_total).toBe(inv.line_items.reduce((a, l) => a + l.amount, 0));
        // A fixed coupon gives exactly its amount, or everything there is, and no line goes below zero.
        expect(inv.discount_total).toBe(Math.min(fixed, inv.sub_total));
        for (const l of inv.line_items) expect(l.amount - l.discount_amount).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('tiered amounts never decrease as quantity grows', () => {
    fc.assert(
      fc.property(tiersArb, fc.integer({ min: 0, max: 400 }), (tiers, q) => {
        const s: PriceSpec = { pricing_model: 'tiered', price: 0, tiers };
        expect(priceLine(s, q + 1, 'USD').amount).toBeGreaterThanOrEqual(priceLine(s, q, 'USD').amount);
      }),
    );
  });

  it('volume and stairstep use the tier a quantity falls in, right at the boundaries', () => {
    fc.assert(
      fc.property(tiersArb, fc.constantFrom('volume' as const, 'stairstep' as const), (tiers, model) => {
        const s: PriceSpec = { pricing_model: model, price: 0, tiers };
        for (const t of tiers) {
          const edges = [t.starting_unit, ...(t.ending_unit !== undefined ? [t.ending_unit] : [])];
          for (const q of edges) {
            const expected = model === 'volume' ? t.price * q : t.price;
            expect(priceLine(s, q, 'USD').amount).toBe(expected);
          }
        }
      }),
    );
  });

  it('percentage and fixed discounts never take a line below zero', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 5_000_000 }), (amounts, bp, fixed) => {
        const lines = amounts.map((a) => ({ entity_type: 'plan' as const, remaining: a }));
        applyCoupons(
          [
            coupon({ id: 'F', name: 'F', discount_type: 'fixed_amount', discount_amount: fixed, currency_code: 'USD' }),
            coupon({ id: 'P', name: 'P', discount_type: 'percentage', discount_percentage: bp / 100 }),
          ],
          lines,
        );
        for (const l of lines) expect(l.remaining).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('currencies with 0, 2 and 3 decimals round a decimal price to their own minor unit', () => {
    fc.assert(
      fc.property(fc.constantFrom('JPY', 'USD', 'KWD'), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000 }), (cur, priceMilli, q) => {
        // price in major units with 4 decimals: priceMilli / 10^4
        const priceStr = (priceMilli / 10_000).toFixed(4);
        const digits = minorDigits(cur);
        const amount = priceLine({ pricing_model: 'per_unit', price: 0, price_in_decimal: priceStr }, q, cur).amount;
        const exact = BigInt(priceMilli) * BigInt(q) * 10n ** BigInt(digits); // over 10^4
        expect(BigInt(amount)).toBe(refRound(exact, 10_000n));
      }),
    );
  });
});
