/**
 * Exact decimals for multi-decimal prices and quantities ("0.0125", "2.5").
 * A value is `m / 10^s` with a BigInt mantissa: no binary fractions anywhere.
 */
export interface Decimal {
  readonly m: bigint;
  readonly s: number;
}

/** Up to 12 integer and 10 fractional digits, as Chargebee's multi-decimal fields allow. */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,10})?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL_PATTERN.test(value);
}

export function parseDecimal(value: string, field = 'value'): Decimal {
  if (!DECIMAL_PATTERN.test(value)) throw new RangeError(`${field}: "${value}" is not a decimal number`);
  const neg = value.startsWith('-');
  const body = neg ? value.slice(1) : value;
  const dot = body.indexOf('.');
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const s = dot < 0 ? 0 : body.length - dot - 1;
  const m = BigInt(digits);
  return { m: neg ? -m : m, s };
}

export function decimalFromInt(n: number | bigint): Decimal {
  return { m: BigInt(n), s: 0 };
}

/** Both values at the larger scale. */
export function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.s === b.s) return [a.m, b.m, a.s];
  if (a.s > b.s) return [a.m, b.m * 10n ** BigInt(a.s - b.s), a.s];
  return [a.m * 10n ** BigInt(b.s - a.s), b.m, b.s];
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function subDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(a, b);
  return { m: x - y, s };
}

export function isInteger(d: Decimal): boolean {
  return d.s === 0 || d.m % 10n ** BigInt(d.s) === 0n;
}

/** The canonical string: no trailing zeros after the point, at least `minScale` decimals. */
export function formatDecimal(d: Decimal, minScale = 0): string {
  let { m, s } = d;
  while (s > minScale && m % 10n === 0n) {
    m /= 10n;
    s -= 1;
  }
  while (s < minScale) {
    m *= 10n;
    s += 1;
  }
  const neg = m < 0n;
  const abs = (neg ? -m : m).toString().padStart(s + 1, '0');
  const str = s === 0 ? abs : `${abs.slice(0, -s)}.${abs.slice(-s)}`;
  return neg ? `-${str}` : str;
}
