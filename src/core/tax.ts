import * as z from 'zod/mini';
import { compareDecimal, formatDecimal, parseDecimal } from './decimal.js';
import { mulDivRound } from './money.js';
import { country, decimalString } from './schemas/common.js';
import type { Address } from './schemas/address.js';

const HUNDRED = { m: 100n, s: 0 };

/**
 * A simple tax profile: a rate by country, optionally by region (state_code), applied tax-exclusive to taxable
 * lines. Enough to show tax lines; a real tax engine is out of scope.
 */
export const taxRateSchema = z.strictObject({
  country,
  region: z.optional(z.string().check(z.minLength(1), z.maxLength(10))),
  /** Percent as an exact decimal string: "20", "8.875". */
  rate: decimalString.check(
    z.refine((r) => !r.startsWith('-') && compareDecimal(parseDecimal(r), HUNDRED) <= 0, { message: 'must be between 0 and 100' }),
  ),
  name: z.string().check(z.minLength(1), z.maxLength(50)),
});
export const taxProfileSchema = z.strictObject({ rates: z.array(taxRateSchema) });
export type TaxRate = z.infer<typeof taxRateSchema>;
export type TaxProfile = z.infer<typeof taxProfileSchema>;

/** The rate for an address: the region's own rate when there is one, else the country's, else none. */
export function taxRateFor(profile: TaxProfile | undefined, address: Address | undefined): TaxRate | undefined {
  if (!profile || !address?.country) return undefined;
  let countryRate: TaxRate | undefined;
  for (const r of profile.rates) {
    if (r.country !== address.country) continue;
    if (r.region !== undefined) {
      if (r.region === address.state_code) return r;
    } else countryRate ??= r;
  }
  return countryRate;
}

const fractions = new Map<string, { num: number; den: number; text: string }>();

/** A percent string as an exact fraction, parsed once: "8.875" -> 8875 / 100000, text "8.875". */
export function percentFraction(percent: string): { num: number; den: number; text: string } {
  let f = fractions.get(percent);
  if (!f) {
    const d = parseDecimal(percent, 'rate');
    f = { num: Number(d.m), den: 100 * 10 ** d.s, text: formatDecimal(d) };
    fractions.set(percent, f);
  }
  return f;
}

/** Tax on a taxable amount, tax-exclusive, rounded once half away from zero. */
export function taxOn(taxable: number, rate: TaxRate): number {
  const f = percentFraction(rate.rate);
  return mulDivRound(taxable, f.num, f.den);
}
