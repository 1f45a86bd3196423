import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/discounts.js';

/** The largest-remainder split as it was written before (an index sort), kept here as the reference. */
function reference(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const parts: number[] = [];
  const rems: number[] = [];
  if (Number.isSafeInteger(amount * total)) {
    for (const w of weights) {
      const r = (amount * w) % total;
      parts.push((amount * w - r) / total);
      rems.push(r);
    }
  } else {
    const a = BigInt(amount);
    const t = BigInt(total);
    for (const w of weights) {
      parts.push(Number((a * BigInt(w)) / t));
      rems.push(Number(((a * BigInt(w)) % t) * 1_000_000n / t));
    }
  }
  let left = amount - parts.reduce((x, y) => x + y, 0);
  const order = weights.map((_, i) => i).sort((i, j) => rems[j]! - rems[i]! || i - j);
  for (const i of order) {
    if (left === 0) break;
    parts[i] = parts[i]! + 1;
    left -= 1;
  }
  return parts;
}

describe('allocate', () => {
  it('gives the leftover units to the largest remainders, ties to the earlier line', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(5, [1, 3, 1, 3])).toEqual([1, 2, 0, 2]);
    expect(allocate(7, [2, 1, 2, 1, 2])).toEqual([2, 1, 2, 1, 1]);
  });

  it('matches the sort-based split on small weights (many ties) large ones and past safe products', () => {
    const weightsArb = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 1_000_000_000_000 }), { minLength: 1, maxLength: 40 }),
    );
    fc.assert(
      fc.property(weightsArb, fc.integer({ min: 0, max: 1_000_000 }), (weights, cap) => {
        const amount = Math.min(cap, weights.reduce((a, b) => a + b, 0));
        expect(allocate(amount, weights)).toEqual(reference(amount, weights));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches it past the safe-integer products too (the BigInt path)', () => {
    const weights = [3_000_000_000_001, 2_999_999_999_999, 1, 3_000_000_000_000];
    const amount = 8_999_999_999_999;
    expect(allocate(amount, weights)).toEqual(reference(amount, weights));
  });
});
