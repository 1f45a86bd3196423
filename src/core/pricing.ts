import { type Decimal, formatDecimal, parseDecimal } from './decimal.js';
import { MoneyRangeError, minorDigits, mul, mulDivRound, roundDiv, toSafe } from './money.js';
import type { PricingModel, Tier } from './schemas/common.js';

/** What a price is made of: the catalog fields of a plan or addon that set its amount. */
export interface PriceSpec {
  readonly pricing_model: PricingModel;
  /** Minor units; for stairstep and flat fee the whole price, otherwise per unit. */
  readonly price: number;
  /** Major units as an exact decimal string; when present it wins over `price`. */
  readonly price_in_decimal?: string | undefined;
  readonly tiers?: readonly Tier[] | undefined;
  readonly free_quantity?: number | undefined;
  readonly free_quantity_in_decimal?: string | undefined;
}

/** A quantity: a whole number, or an exact decimal string for multi-decimal sites. */
export type Quantity = number | string;

/** An exact multiplier applied before the single rounding: period scaling, proration, terms charged. */
export interface Factor {
  readonly num: number;
  readonly den: number;
}
export const ONE: Factor = { num: 1, den: 1 };

export interface TierUse {
  starting_unit: number;
  ending_unit?: number;
  quantity_used: number;
  unit_amount: number;
  quantity_used_in_decimal?: string;
}

export interface PricedLine {
  /** Minor units, rounded once. */
  amount: number;
  /** Minor units: the per-unit price, or for flat fee and stairstep the flat charge. */
  unit_amount: number;
  quantity: number;
  quantity_in_decimal?: string;
  unit_amount_in_decimal?: string;
  amount_in_decimal?: string;
  tiers?: TierUse[];
}

function isDecimalInput(spec: PriceSpec, quantity: Quantity): boolean {
  return (
    typeof quantity === 'string' ||
    spec.price_in_decimal !== undefined ||
    spec.free_quantity_in_decimal !== undefined ||
    (spec.tiers?.some((t) => t.price_in_decimal !== undefined) ?? false)
  );
}

/** Index of the tier a quantity falls in (starting_unit - 1 < q <= ending_unit), or -1 for q <= 0. */
function tierIndexInt(tiers: readonly Tier[], q: number): number {
  if (q <= 0) return -1;
  for (let i = 0; i < tiers.length; i++) {
    const end = tiers[i]!.ending_unit;
    if (end === undefined || q <= end) return i;
  }
  return tiers.length - 1;
}

/**
 * The exact amount of a line, in minor units, for a quantity under the spec's pricing model, times `factor`,
 * rounded once half away from zero. Integer inputs take a fast path on safe integers; multi-decimal inputs are
 * computed as exact fractions with BigInt.
 */
export function priceLine(spec: PriceSpec, quantity: Quantity, currency: string, factor: Factor = ONE): PricedLine {
  if (isDecimalInput(spec, quantity)) return priceLineDecimal(spec, quantity, currency, factor);
  const q = quantity as number;
  if (!Number.isSafeInteger(q) || q < 0) throw new RangeError(`quantity: ${String(q)} is not a whole number >= 0`);
  const tiers = spec.tiers ?? [];
  let exact: number;
  let unit = spec.price;
  let uses: TierUse[] | undefined;
  switch (spec.pricing_model) {
    case 'flat_fee':
      exact = spec.price;
      break;
    case 'per_unit':
      exact = mul(spec.price, Math.max(0, q - (spec.free_quantity ?? 0)));
      break;
    case 'volume': {
      const i = tierIndexInt(tiers, q);
      unit = i < 0 ? 0 : tiers[i]!.price;
      exact = mul(unit, q);
      break;
    }
    case 'stairstep': {
      const i = tierIndexInt(tiers, q);
      unit = i < 0 ? 0 : tiers[i]!.price;
      exact = unit;
      break;
    }
    case 'tiered': {
      exact = 0;
      uses = [];
      for (const t of tiers) {
        if (q < t.starting_unit) break;
        const used = Math.min(q, t.ending_unit ?? q) - t.starting_unit + 1;
        exact += mul(t.price, used);
        // Two literals, not a spread of the optional key: a spread after other keys takes V8's slow path.
        uses.push(
          t.ending_unit === undefined
            ? { starting_unit: t.starting_unit, quantity_used: used, unit_amount: t.price }
            : { starting_unit: t.starting_unit, ending_unit: t.ending_unit, quantity_used: used, unit_amount: t.price },
        );
      }
      if (!Number.isSafeInteger(exact)) throw new MoneyRangeError('amount');
      unit = exact;
      break;
    }
  }
  const amount = factor.num === factor.den ? exact : mulDivRound(exact, factor.num, factor.den);
  return { amount, unit_amount: unit, quantity: q, ...(uses && { tiers: uses }) };
}

/** Minor units as an exact decimal: a major-unit decimal string, or an integer of minor units. */
function minorPrice(price: number, priceInDecimal: string | undefined, digits: number): Decimal {
  if (priceInDecimal === undefined) return { m: BigInt(price), s: 0 };
  const d = parseDecimal(priceInDecimal, 'price_in_decimal');
  // major -> minor: shift the point `digits` places right.
  return d.s >= digits ? { m: d.m, s: d.s - digits } : { m: d.m * 10n ** BigInt(digits - d.s), s: 0 };
}

function toDecimal(q: Quantity, field: string): Decimal {
  return typeof q === 'number' ? { m: BigInt(q), s: 0 } : parseDecimal(q, field);
}

/** a × b, exact. */
function dmul(a: Decimal, b: Decimal): Decimal {
  return { m: a.m * b.m, s: a.s + b.s };
}
function dadd(a: Decimal, b: Decimal): Decimal {
  if (a.s === b.s) return { m: a.m + b.m, s: a.s };
  return a.s > b.s ? { m: a.m + b.m * 10n ** BigInt(a.s - b.s), s: a.s } : { m: a.m * 10n ** BigInt(b.s - a.s) + b.m, s: b.s };
}
function dsub(a: Decimal, b: Decimal): Decimal {
  return dadd(a, { m: -b.m, s: b.s });
}
function dmin(a: Decimal, b: Decimal): Decimal {
  return dsub(a, b).m < 0n ? a : b;
}
function dpos(a: Decimal): Decimal {
  return a.m < 0n ? { m: 0n, s: 0 } : a;
}
const int = (n: number): Decimal => ({ m: BigInt(n), s: 0 });

/** Rounds an exact minor-unit decimal × factor to whole minor units, once. */
function roundMinor(exact: Decimal, factor: Factor): number {
  return toSafe(roundDiv(exact.m * BigInt(factor.num), 10n ** BigInt(exact.s) * BigInt(factor.den)));
}

function priceLineDecimal(spec: PriceSpec, quantity: Quantity, currency: string, factor: Factor): PricedLine {
  const digits = minorDigits(currency);
  const q = toDecimal(quantity, 'quantity');
  if (q.m < 0n) throw new RangeError('quantity: must not be negative');
  const tiers = spec.tiers ?? [];
  const tierPrice = (t: Tier) => minorPrice(t.price, t.price_in_decimal, digits);
  // Tier membership for decimal quantities: starting_unit - 1 < q <= ending_unit.
  const inTier = (t: Tier) => dsub(q, int(t.starting_unit - 1)).m > 0n && (t.ending_unit === undefined || dsub(q, int(t.ending_unit)).m <= 0n);
  let exact: Decimal;
  let unit = minorPrice(spec.price, spec.price_in_decimal, digits);
  let uses: TierUse[] | undefined;
  switch (spec.pricing_model) {
    case 'flat_fee':
      exact = unit;
      break;
    case 'per_unit': {
      const free =
        spec.free_quantity_in_decimal !== undefined
          ? parseDecimal(spec.free_quantity_in_decimal, 'free_quantity_in_decimal')
          : int(spec.free_quantity ?? 0);
      exact = dmul(unit, dpos(dsub(q, free)));
      break;
    }
    case 'volume':
    case 'stairstep': {
      const t = tiers.find(inTier) ?? (q.m > 0n ? tiers[tiers.length - 1] : undefined);
      unit = t ? tierPrice(t) : int(0);
      exact = spec.pricing_model === 'volume' ? dmul(unit, q) : unit;
      break;
    }
    case 'tiered': {
      exact = int(0);
      uses = [];
      for (const t of tiers) {
        const lower = int(t.starting_unit - 1);
        if (dsub(q, lower).m <= 0n) break;
        const upper = t.ending_unit === undefined ? q : dmin(q, int(t.ending_unit));
        const used = dsub(upper, lower);
        const p = tierPrice(t);
        exact = dadd(exact, dmul(p, used));
        uses.push({
          starting_unit: t.starting_unit,
          ...(t.ending_unit !== undefined && { ending_unit: t.ending_unit }),
          quantity_used: Number(used.m / 10n ** BigInt(used.s)),
          quantity_used_in_decimal: formatDecimal(used),
          unit_amount: roundMinor(p, ONE),
        });
      }
      unit = exact;
      break;
    }
  }
  const amount = roundMinor(exact, factor);
  const wholeQuantity = Number(q.m / 10n ** BigInt(q.s));
  return {
    amount,
    unit_amount: roundMinor(unit, ONE),
    quantity: wholeQuantity,
    quantity_in_decimal: formatDecimal(q),
    unit_amount_in_decimal: formatDecimal({ m: unit.m, s: unit.s + digits }, digits),
    amount_in_decimal: formatDecimal({ m: BigInt(amount), s: digits }, digits),
    ...(uses && { tiers: uses }),
  };
}
