import { describe, expect, it } from 'vitest';
import { CARD_REASONS } from '../../src/core/card-reasons.js';
import { checkCard } from '../../src/core/card.js';
import ar from '../../src/components/internal/locales/ar.js';
import de from '../../src/components/internal/locales/de.js';
import { checkoutEnglish } from '../../src/components/internal/locales/en-checkout.js';
import es from '../../src/components/internal/locales/es.js';
import fr from '../../src/components/internal/locales/fr.js';
import ja from '../../src/components/internal/locales/ja.js';

// 2026-06-15: a card good to 12/34 is in date, one to 01/20 is not.
const NOW = Date.UTC(2026, 5, 15) / 1000;
const reasons = (number: string, expiry: [number, number], cvc: string) => {
  const r = checkCard({ number, expiry_month: expiry[0], expiry_year: expiry[1], cvc }, NOW);
  return r.ok ? [] : r.errors.map((e) => [e.param, e.reason]);
};

describe('checkCard: each field\'s problem with its reason, in the fields\' order', () => {
  it('a whole number failing Luhn is invalid; a short one incomplete (under its brand\'s shortest length too); one of no brand invalid', () => {
    expect(reasons('4242 4242 4242 4241', [12, 34], '123')).toEqual([['number', 'invalid_number']]);
    expect(reasons('4242 4242 4242 424', [12, 34], '123')).toEqual([['number', 'incomplete_number']]);
    expect(reasons('4242 4242 4242 4', [12, 34], '123')).toEqual([['number', 'incomplete_number']]);
    expect(reasons('9999 9999 9999 9995', [12, 34], '123')).toEqual([['number', 'invalid_number']]);
    expect(reasons('4242 4242 4242 4242', [12, 34], '123')).toEqual([]);
  });
  it('an expiry in the past, missing, or too far ahead; a short CVC (four digits for Amex)', () => {
    expect(reasons('4242424242424242', [1, 20], '123')).toEqual([['expiry', 'invalid_expiry_past']]);
    expect(reasons('4242424242424242', [0, 0], '123')).toEqual([['expiry', 'incomplete_expiry']]);
    expect(reasons('4242424242424242', [12, 2099], '123')).toEqual([['expiry', 'invalid_expiry_year']]);
    expect(reasons('4242424242424242', [12, 34], '12')).toEqual([['cvc', 'incomplete_cvc']]);
    expect(reasons('3782 822463 10005', [12, 34], '123')).toEqual([['cvc', 'incomplete_cvc']]);
    expect(reasons('4242424242424241', [1, 20], '')).toEqual([['number', 'invalid_number'], ['expiry', 'invalid_expiry_past'], ['cvc', 'incomplete_cvc']]);
  });
  it('every language says each reason (and the paid page\'s sentence) in its own words', () => {
    for (const [name, catalog] of Object.entries({ en: checkoutEnglish, de, fr, es, ja, ar })) {
      for (const key of [...CARD_REASONS, 'paidNote'] as const) expect(catalog[key], `${name} ${key}`).toMatch(/\S/);
      if (name !== 'en') for (const key of CARD_REASONS) expect(catalog[key], `${name} ${key}`).not.toBe(checkoutEnglish[key]);
    }
  });
});
