/**
 * What is wrong with a card field, as core's checkCard finds it: a code (Stripe's names, where it has one) that the
 * checkout shows in the customer's language (its catalogs hold a message under each) and reports as the error's code.
 * Apart from card.ts, so the checkout carries the names without card-validator.
 */
export const CARD_REASONS = ['incomplete_number', 'invalid_number', 'incomplete_expiry', 'invalid_expiry_past', 'invalid_expiry_year', 'incomplete_cvc'] as const;
export type CardReason = (typeof CARD_REASONS)[number];
export const isCardReason = (code: string): code is CardReason => (CARD_REASONS as readonly string[]).includes(code);
