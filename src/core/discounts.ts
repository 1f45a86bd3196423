import { mulDivRound } from './money.js';
import { addPeriod } from './periods.js';
import type { Coupon } from './schemas/coupon.js';
import { percentFraction } from './tax.js';

/** The part of a line a coupon sees. */
export interface DiscountableLine {
  readonly entity_type: 'plan_setup' | 'plan' | 'addon' | 'adhoc';
  readonly entity_id?: string | undefined;
  /** What is left of the line after earlier coupons: never below zero. */
  remaining: number;
}

export interface CouponDiscount {
  coupon: Coupon;
  /** Per line, in the order of the lines given. */
  perLine: number[];
  total: number;
}

/** Why a coupon cannot be applied now, or undefined when it can. */
export function couponProblem(coupon: Coupon, currency: string, now: number): string | undefined {
  if (coupon.status !== 'active') return `coupon "${coupon.id}" is ${coupon.status}`;
  if (coupon.valid_till !== undefined && coupon.valid_till <= now) return `coupon "${coupon.id}" has expired`;
  if (coupon.max_redemptions !== undefined && coupon.redemptions >= coupon.max_redemptions) {
    return `coupon "${coupon.id}" has reached its maximum redemptions`;
  }
  if (coupon.discount_type === 'fixed_amount' && coupon.currency_code !== currency) {
    return `coupon "${coupon.id}" is in ${coupon.currency_code ?? '?'}, the plan is in ${currency}`;
  }
  return undefined;
}

/** Whether a coupon applied at `appliedAt` still applies to an invoice dated `at`. */
export function couponActiveAt(coupon: Coupon, appliedAt: number, at: number, firstInvoice: boolean): boolean {
  switch (coupon.duration_type) {
    case 'one_time':
      return firstInvoice;
    case 'forever':
      return true;
    case 'limited_period':
      return at < addPeriod(appliedAt, coupon.duration_month ?? 0, 'month');
  }
}

function eligible(coupon: Coupon, line: DiscountableLine): boolean {
  if (line.entity_type === 'adhoc') return true;
  if (line.entity_type === 'addon') {
    if (coupon.addon_constraint === 'none') return false;
    return coupon.addon_constraint === 'all' || (coupon.addon_ids ?? []).includes(line.entity_id ?? '');
  }
  if (coupon.plan_constraint === 'none') return false;
  return coupon.plan_constraint === 'all' || (coupon.plan_ids ?? []).includes(line.entity_id ?? '');
}

let scratch = new Float64Array(64);

/**
 * Splits `amount` over `weights` in proportion, exactly, by largest remainder (ties to the earlier line).
 * The parts add up to `amount`; none exceeds its weight when amount <= sum(weights).
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const parts: number[] = [];
  const rems: number[] = [];
  if (Number.isSafeInteger(amount * total)) {
    // Every product is a safe integer, so % and the division of an exact multiple are exact in doubles.
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
      // Remainders only order the lines; scaled to [0, 1) they compare like the exact ones, ties aside.
      rems.push(Number(((a * BigInt(w)) % t) * 1_000_000n / t));
    }
  }
  let left = amount - parts.reduce((x, y) => x + y, 0);
  if (left) {
    // The `left` largest remainders get a unit more, ties to the earlier line: the threshold from a native numeric
    // sort (a comparator sort of the indexes was the estimate's hottest line), then lines above it, then lines at it.
    // The sort runs in one scratch buffer, overwritten before each use: a new typed array per call was a tenth of an
    // estimate (its memory is allocated outside V8's heap).
    const n = rems.length;
    if (scratch.length < n) scratch = new Float64Array(n);
    scratch.set(rems);
    const at = scratch.subarray(0, n).sort()[n - left]!;
    for (let i = 0; i < rems.length; i++) if (rems[i]! > at) (parts[i]!++, left--);
    for (let i = 0; left > 0; i++) if (rems[i] === at) (parts[i]!++, left--);
  }
  return parts;
}

/**
 * Applies coupons to lines: percentage coupons first, then fixed amounts. Every discount is rounded once per line
 * and is capped by what is left of the line, so no line ever goes below zero. Mutates `remaining`.
 */
export function applyCoupons(coupons: readonly Coupon[], lines: DiscountableLine[]): CouponDiscount[] {
  const ordered = [...coupons].sort(
    (a, b) => (a.discount_type === 'percentage' ? 0 : 1) - (b.discount_type === 'percentage' ? 0 : 1),
  );
  const out: CouponDiscount[] = [];
  for (const coupon of ordered) {
    const perLine = lines.map(() => 0);
    const idx: number[] = [];
    lines.forEach((l, i) => eligible(coupon, l) && l.remaining > 0 && idx.push(i));
    if (coupon.discount_type === 'percentage') {
      const p = percentFraction(String(coupon.discount_percentage ?? 0));
      for (const i of idx) {
        const line = lines[i]!;
        perLine[i] = Math.min(line.remaining, mulDivRound(line.remaining, p.num, p.den));
      }
    } else if (coupon.apply_on === 'each_specified_item') {
      for (const i of idx) perLine[i] = Math.min(lines[i]!.remaining, coupon.discount_amount ?? 0);
    } else {
      const weights = idx.map((i) => lines[i]!.remaining);
      const pool = Math.min(coupon.discount_amount ?? 0, weights.reduce((a, b) => a + b, 0));
      allocate(pool, weights).forEach((part, k) => (perLine[idx[k]!] = part));
    }
    let total = 0;
    perLine.forEach((d, i) => {
      lines[i]!.remaining -= d;
      total += d;
    });
    out.push({ coupon, perLine, total });
  }
  return out;
}
