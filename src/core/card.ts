/**
 * Card fields, checked the same way in the card frame and on the server: number by Luhn and brand (card-validator,
 * Braintree's maintained library), expiry in the future by the given clock, CVC length for the brand.
 * Not exported from the core's index: only the card frame and the server need it.
 */
import { cardNumber } from 'card-validator/dist/card-number.js';
import { cvv } from 'card-validator/dist/cvv.js';
import type { CardReason } from './card-reasons.js';
import type { FieldError } from './errors.js';

/** A field's problem, with its reason for the checkout (the message is the English one the API answers with). */
export interface CardFieldError extends FieldError {
  readonly param: 'number' | 'expiry' | 'cvc';
  readonly reason: CardReason;
}

export interface CardInput {
  readonly number: string;
  readonly expiry_month: number | string;
  readonly expiry_year: number | string;
  readonly cvc: string;
}

export interface CheckedCard {
  readonly number: string;
  readonly brand: string;
  readonly last4: string;
  readonly expiry_month: number;
  readonly expiry_year: number;
}

/** A tokenized card as the backend returns it and the card frame hands to its host: never the number or CVC. */
export interface CardToken {
  id: string;
  brand: string;
  last4: string;
  expiry_month: number;
  expiry_year: number;
  /** `required`: the bank's 3-D Secure challenge must be answered before the card is used. */
  authentication: 'none' | 'required' | 'succeeded' | 'failed';
}

/** Brand of a (partial) number, for the icon and the CVC length while typing. */
export function cardBrand(number: string): { brand: string; name: string; cvcLength: number; gaps: number[]; lengths: number[] } | undefined {
  const v = cardNumber(digits(number));
  const c = v.card;
  return c ? { brand: c.type, name: c.niceType, cvcLength: c.code.size, gaps: c.gaps, lengths: c.lengths } : undefined;
}

export const digits = (s: string) => s.replace(/[\s-]/g, '');

/** Splits "MM/YY", "MM / YYYY" or "MMYY" into month and a four-digit year. */
export function parseExpiry(s: string): { month: number; year: number } | undefined {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(s);
  if (!m) return undefined;
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  return month >= 1 && month <= 12 ? { month, year } : undefined;
}

/**
 * Every problem with the card, by field (`number`, `expiry`, `cvc`; at most one each, in that order), or the card's
 * normalised fields. A number shorter than its brand's shortest is incomplete; one of a length it may have, invalid.
 */
export function checkCard(input: CardInput, now: number): { ok: true; card: CheckedCard } | { ok: false; errors: CardFieldError[] } {
  const errors: CardFieldError[] = [];
  const number = digits(input.number);
  const v = cardNumber(number);
  if (!/^\d{12,19}$/.test(number) || number.length < Math.min(...(v.card?.lengths ?? [12]))) errors.push({ param: 'number', reason: 'incomplete_number', message: 'This card number is incomplete.' });
  else if (!v.card) errors.push({ param: 'number', reason: 'invalid_number', message: 'This card brand is not accepted.' });
  else if (!v.isValid) errors.push({ param: 'number', reason: 'invalid_number', message: 'This card number is not valid. Check it for typos.' });
  const month = Number(input.expiry_month);
  let year = Number(input.expiry_year);
  if (year < 100) year += 2000;
  const d = new Date(now * 1000);
  const thisMonth = d.getUTCFullYear() * 12 + d.getUTCMonth();
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year)) errors.push({ param: 'expiry', reason: 'incomplete_expiry', message: 'Enter the expiry date as MM/YY.' });
  else if (year * 12 + month - 1 < thisMonth) errors.push({ param: 'expiry', reason: 'invalid_expiry_past', message: 'This card has expired.' });
  else if (year > d.getUTCFullYear() + 20) errors.push({ param: 'expiry', reason: 'invalid_expiry_year', message: 'The expiry year is too far ahead.' });
  const size = v.card?.code.size ?? 3;
  if (!/^\d+$/.test(input.cvc) || !cvv(input.cvc, size).isValid) {
    errors.push({ param: 'cvc', reason: 'incomplete_cvc', message: `Enter the ${String(size)}-digit security code${v.card ? ` (${v.card.code.name})` : ''}.` });
  }
  if (errors.length || !v.card) return { ok: false, errors };
  return { ok: true, card: { number, brand: v.card.type, last4: number.slice(-4), expiry_month: month, expiry_year: year } };
}
