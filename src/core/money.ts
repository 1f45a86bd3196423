/**
 * Exact money arithmetic.
 *
 * Amounts are integer minor units (cents, yen, fils) held in JavaScript numbers that are always safe integers,
 * or exact decimals (`Decimal`, a BigInt mantissa with a base-10 scale) for multi-decimal prices and quantities.
 * No money value is ever a binary fraction.
 *
 * Rounding rule: a line amount is computed exactly (as a fraction of integers) and rounded once, to the
 * currency's minor unit, half away from zero (0.5 cent -> 1 cent, -0.5 cent -> -1 cent). Discounts and taxes
 * are each rounded once per line by the same rule. Totals are sums of rounded lines, never rounded again.
 */

/** Thrown when an amount leaves the range that integer minor units can represent exactly. */
export class MoneyRangeError extends RangeError {
  constructor(what: string) {
    super(`${what} exceeds the largest supported amount (${Number.MAX_SAFE_INTEGER} minor units)`);
    this.name = 'MoneyRangeError';
  }
}

const digitsCache = new Map<string, number>();

/**
 * The number of decimals of a currency's minor unit, from Intl (USD 2, JPY 0, KWD 3).
 * Throws a RangeError naming the code when it is not an ISO 4217 currency Intl knows.
 */
export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    if (!/^[A-Z]{3}$/.test(code)) throw new RangeError(`currency_code: "${currency}" is not an ISO 4217 code`);
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    digitsCache.set(code, digits);
  }
  return digits;
}

/** `n / d` rounded half away from zero. `d` must be positive. */
export function roundDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

/** Converts a BigInt amount back to a safe-integer number, or throws. */
export function toSafe(value: bigint, what = 'amount'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyRangeError(what);
  }
  return Number(value);
}

/** `a × b` for safe integers, exact, or a MoneyRangeError. */
export function mul(a: number, b: number, what = 'amount'): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) return p;
  return toSafe(BigInt(a) * BigInt(b), what);
}

/** Sums safe integers, exactly, or throws a MoneyRangeError. */
export function sum(values: readonly number[], what = 'total'): number {
  let total = 0;
  for (const v of values) {
    total += v;
    // Checked at every step: a partial sum past 2^53 may already have lost a unit.
    if (!Number.isSafeInteger(total)) throw new MoneyRangeError(what);
  }
  return total;
}

/**
 * `a × b / c` for safe integers, rounded half away from zero, exact.
 * Uses plain numbers while the product is a safe integer (the common case) and BigInt beyond.
 */
export function mulDivRound(a: number, b: number, c: number): number {
  if (c <= 0 || !Number.isSafeInteger(c)) throw new RangeError('mulDivRound: divisor must be a positive integer');
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    const q = Math.trunc(p / c);
    const r = p - q * c; // exact: |q*c| <= |p|
    if (Math.abs(r) * 2 >= c) return p < 0 ? q - 1 : q + 1;
    return q;
  }
  return toSafe(roundDiv(BigInt(a) * BigInt(b), BigInt(c)));
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Formats minor units as money in a locale, through Intl (one formatter per locale and currency, reused). */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const digits = minorDigits(currency);
  const key = `${locale}|${currency}`;
  let fmt = moneyFormats.get(key);
  if (!fmt) moneyFormats.set(key, (fmt = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  if (digits === 0) return fmt.format(minor);
  // Intl formats a decimal string exactly (no binary fraction involved).
  const neg = minor < 0;
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const str = `${neg ? '-' : ''}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return fmt.format(str as unknown as number);
}
