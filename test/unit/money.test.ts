import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, mul, mulDivRound, roundDiv, sum } from '../../src/core/money.js';
import { formatDecimal, parseDecimal } from '../../src/core/decimal.js';

describe('money', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('takes the minor unit of %s from Intl: %i decimals', (code, digits) => {
    expect(minorDigits(code)).toBe(digits);
  });

  it('refuses a currency code that is not ISO 4217, naming the field', () => {
    expect(() => minorDigits('dollars')).toThrow(/currency_code/);
  });

  it.each([
    [5n, 2n, 3n], // 2.5 -> 3
    [-5n, 2n, -3n], // -2.5 -> -3 (half away from zero)
    [7n, 3n, 2n], // 2.33 -> 2
    [8n, 3n, 3n], // 2.67 -> 3
    [-7n, 3n, -2n],
    [1n, 2n, 1n],
    [0n, 5n, 0n],
  ])('roundDiv(%i, %i) = %i, half away from zero', (n, d, q) => {
    expect(roundDiv(n, d)).toBe(q);
  });

  it('mulDivRound agrees with BigInt beyond the safe-integer range', () => {
    const a = 9_000_000_000_000;
    const b = 31_536_000;
    const c = 31_622_400;
    expect(mulDivRound(a, b, c)).toBe(Number((BigInt(a) * BigInt(b) * 2n + BigInt(c)) / (2n * BigInt(c))));
    expect(mulDivRound(15, 1, 2)).toBe(8);
    expect(mulDivRound(-15, 1, 2)).toBe(-8);
  });

  it('refuses amounts it cannot represent exactly instead of losing cents', () => {
    expect(() => mul(Number.MAX_SAFE_INTEGER, 2)).toThrow(/largest supported amount/);
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1])).toThrow(/largest supported amount/);
  });

  it('formats through Intl in the locale and currency, exactly', () => {
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(123456, 'JPY', 'ja-JP')).toMatch(/123,456/);
    expect(formatMoney(1005, 'KWD', 'en-US')).toMatch(/1\.005/);
    expect(formatMoney(-5, 'USD', 'en-US')).toBe('-$0.05');
    // 2^53 - 1 cents formats to the cent: no binary fraction on the way.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('parses and prints exact decimals', () => {
    expect(parseDecimal('12.345')).toEqual({ m: 12345n, s: 3 });
    expect(parseDecimal('-0.5')).toEqual({ m: -5n, s: 1 });
    expect(formatDecimal({ m: 12300n, s: 3 })).toBe('12.3');
    expect(formatDecimal({ m: 5n, s: 0 }, 2)).toBe('5.00');
    expect(() => parseDecimal('1e5', 'price_in_decimal')).toThrow(/price_in_decimal/);
    expect(() => parseDecimal('0.1.2')).toThrow();
  });
});
