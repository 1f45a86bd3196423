import { describe, expect, it } from 'vitest';
import { priceLine, type PriceSpec } from '../../src/core/pricing.js';

const tiers = [
  { starting_unit: 1, ending_unit: 10, price: 500 },
  { starting_unit: 11, ending_unit: 100, price: 300 },
  { starting_unit: 101, price: 100 },
];
const spec = (s: Partial<PriceSpec>): PriceSpec => ({ pricing_model: 'flat_fee', price: 0, ...s });

describe('line amounts under every pricing model', () => {
  // Seed (plans): $2 per GB, 10 GB free, 100 GB subscribed -> 90 GB chargeable -> $180.
  it('per unit with free quantity: the seed example charges $180', () => {
    expect(priceLine(spec({ pricing_model: 'per_unit', price: 200, free_quantity: 10 }), 100, 'USD').amount).toBe(18000);
  });
  it('per unit with free quantity: a subscribed quantity at or below the free quantity is free', () => {
    const s = spec({ pricing_model: 'per_unit', price: 200, free_quantity: 10 });
    expect(priceLine(s, 10, 'USD').amount).toBe(0);
    expect(priceLine(s, 3, 'USD').amount).toBe(0);
    expect(priceLine(s, 11, 'USD').amount).toBe(200);
  });

  it.each([
    ['flat fee ignores quantity', spec({ pricing_model: 'flat_fee', price: 4900 }), 1, 4900],
    ['per unit: $29 per user, 3 users', spec({ pricing_model: 'per_unit', price: 2900 }), 3, 8700],
    ['volume: 10 units all at tier 1', spec({ pricing_model: 'volume', tiers }), 10, 5000],
    ['volume: 11 units all at tier 2', spec({ pricing_model: 'volume', tiers }), 11, 3300],
    ['volume: 150 units all at tier 3', spec({ pricing_model: 'volume', tiers }), 150, 15000],
    ['tiered: 10 units from tier 1', spec({ pricing_model: 'tiered', tiers }), 10, 5000],
    ['tiered: 11 units = 10×5 + 1×3', spec({ pricing_model: 'tiered', tiers }), 11, 5300],
    ['tiered: 150 units = 10×5 + 90×3 + 50×1', spec({ pricing_model: 'tiered', tiers }), 150, 5000 + 27000 + 5000],
    ['stairstep: 10 units -> flat tier 1 price', spec({ pricing_model: 'stairstep', tiers }), 10, 500],
    ['stairstep: 11 units -> flat tier 2 price', spec({ pricing_model: 'stairstep', tiers }), 11, 300],
    ['stairstep: 0 units -> nothing', spec({ pricing_model: 'stairstep', tiers }), 0, 0],
  ] as const)('%s', (_name, s, q, amount) => {
    expect(priceLine(s, q, 'USD').amount).toBe(amount);
  });

  it('reports the tiers a tiered line drew from', () => {
    expect(priceLine(spec({ pricing_model: 'tiered', tiers }), 12, 'USD').tiers).toEqual([
      { starting_unit: 1, ending_unit: 10, quantity_used: 10, unit_amount: 500 },
      { starting_unit: 11, ending_unit: 100, quantity_used: 2, unit_amount: 300 },
    ]);
  });

  it('applies an exact factor and rounds once, half away from zero', () => {
    // 1000 × 1/3 = 333.33 -> 333; 1000 × 2/3 = 666.67 -> 667; 5 × 1/2 = 2.5 -> 3
    const s = spec({ pricing_model: 'flat_fee', price: 1000 });
    expect(priceLine(s, 1, 'USD', { num: 1, den: 3 }).amount).toBe(333);
    expect(priceLine(s, 1, 'USD', { num: 2, den: 3 }).amount).toBe(667);
    expect(priceLine(spec({ price: 5 }), 1, 'USD', { num: 1, den: 2 }).amount).toBe(3);
    expect(priceLine(s, 1, 'USD', { num: 12, den: 1 }).amount).toBe(12000);
  });

  describe('multi-decimal', () => {
    it('prices a decimal quantity at a decimal price, rounding the line once', () => {
      // $0.0125 per unit × 1234.5 units = $15.43125 -> 1543 cents
      const line = priceLine(spec({ pricing_model: 'per_unit', price_in_decimal: '0.0125' }), '1234.5', 'USD');
      expect(line.amount).toBe(1543);
      expect(line.quantity_in_decimal).toBe('1234.5');
      expect(line.unit_amount_in_decimal).toBe('0.0125');
      expect(line.amount_in_decimal).toBe('15.43');
    });
    it('rounds to the currency minor unit: JPY 0 decimals, KWD 3', () => {
      const s = spec({ pricing_model: 'per_unit', price_in_decimal: '1.5' });
      expect(priceLine(s, '3', 'JPY').amount).toBe(5); // 4.5 yen -> 5
      expect(priceLine(spec({ pricing_model: 'per_unit', price_in_decimal: '0.0015' }), '3', 'KWD').amount).toBe(5); // 4.5 fils -> 5
    });
    it('free_quantity_in_decimal', () => {
      const s = spec({ pricing_model: 'per_unit', price: 200, free_quantity_in_decimal: '10.5' });
      expect(priceLine(s, '100', 'USD').amount).toBe(17900);
    });
    it('decimal quantities fall in the tier with starting_unit - 1 < q <= ending_unit', () => {
      expect(priceLine(spec({ pricing_model: 'volume', tiers }), '10.5', 'USD').amount).toBe(3150);
      expect(priceLine(spec({ pricing_model: 'tiered', tiers }), '10.5', 'USD').amount).toBe(5150);
      expect(priceLine(spec({ pricing_model: 'stairstep', tiers }), '10', 'USD').amount).toBe(500);
    });
    it('an integral decimal gives the same amount as the integer path', () => {
      for (const model of ['per_unit', 'volume', 'tiered', 'stairstep'] as const) {
        const s = spec({ pricing_model: model, price: 250, tiers: model === 'per_unit' ? undefined : tiers });
        for (const q of [1, 10, 11, 100, 101, 250]) {
          expect(priceLine(s, `${String(q)}.00`, 'USD').amount).toBe(priceLine(s, q, 'USD').amount);
        }
      }
    });
  });

  it('refuses a negative or fractional number quantity', () => {
    expect(() => priceLine(spec({ pricing_model: 'per_unit', price: 1 }), -1, 'USD')).toThrow(/quantity/);
    expect(() => priceLine(spec({ pricing_model: 'per_unit', price: 1 }), 1.5, 'USD')).toThrow(/quantity/);
  });
});
