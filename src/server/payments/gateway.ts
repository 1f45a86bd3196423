import type { CardInput, CardToken } from '../../core/card.js';
import type { Db } from '../db/transaction.js';
import { PaylitError } from '../../core/errors.js';

/**
 * A payment gateway, as billing and the checkout use one: cards arrive as tokens from the card frame, are saved in
 * the gateway's vault (a `reference_id` a payment source keeps), and are charged under an idempotency key, so the
 * same key never moves money twice. The built-in test gateway (test-gateway.ts) is the first implementation; a
 * real one (Stripe, on the official `stripe` SDK) implements the same methods, and nothing else changes.
 * Every method takes the caller's transaction, which a gateway keeping records in the backend's database joins.
 */
export interface Gateway {
  /** The gateway's name and account, as payment sources and transactions show them (`gateway`, `gateway_account_id`). */
  readonly name: string;
  readonly accountId: string;
  /** Whether its charges move real money; a checkout on one that does not says "Test mode", as Stripe's does. */
  readonly live: boolean;
  /** Checks the card as the frame did and turns it into a short-lived, single-use token. */
  tokenize(db: Db, input: CardInput, now: number): Promise<TokenView>;
  /** The token as it stands (its 3-D Secure state), or undefined. */
  token(db: Db, id: string): Promise<TokenView | undefined>;
  /** The 3-D Secure step: the customer's answer to the bank's challenge, "complete" or "fail". */
  authenticate(db: Db, tokenId: string, outcome: 'complete' | 'fail', now: number): Promise<TokenView>;
  /**
   * Saves the token's card in the vault, verifying it with the bank (an authorization), and uses the token up. A
   * refusal throws a PaymentError; in the caller's transaction, so if what follows fails the token is usable again.
   */
  save(db: Db, tokenId: string, now: number): Promise<SavedCard>;
  /** Authorizes and captures `amount` on a saved card. The same idempotency key returns the first result, charging once. */
  charge(db: Db, o: ChargeRequest, now: number): Promise<ChargeResult>;
  /** Refunds some or all of a captured charge, once per idempotency key. */
  refund(db: Db, o: RefundRequest, now: number): Promise<RefundResult>;
  /** Removes a saved card from the vault (its payment source was deleted). */
  forget(db: Db, referenceId: string): Promise<void>;
  /** Drops what can no longer be used (expired tokens). */
  purge(db: Db, now: number): Promise<void>;
}

export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'authentication_required' | 'authentication_failed' | 'token_invalid';

const MESSAGES: Record<DeclineCode, string> = {
  card_declined: 'Your card was declined. Try another card.',
  insufficient_funds: 'Your card has insufficient funds. Try another card.',
  authentication_required: 'Your bank asks you to confirm this payment.',
  authentication_failed: 'The payment could not be confirmed with your bank. Try again or use another card.',
  token_invalid: 'These card details have expired or were already used. Enter the card again.',
};

/** A payment the gateway refused: Chargebee's `payment_processing_failed` (a 402), with the decline code. */
export class PaymentError extends PaylitError {
  override readonly name = 'PaymentError';
  constructor(readonly declineCode: DeclineCode, param = 'card_token') {
    const code = declineCode === 'authentication_required' ? 'payment_authentication_required' : 'payment_processing_failed';
    super(code, MESSAGES[declineCode], [{ param, message: MESSAGES[declineCode], code }], { decline_code: declineCode });
  }
}
export const declineMessage = (code: DeclineCode) => MESSAGES[code];

export interface TokenView extends CardToken {
  expires_at: number;
  object: 'card_token';
}

export interface SavedCard {
  reference_id: string;
  brand: string;
  last4: string;
  expiry_month: number;
  expiry_year: number;
}

export interface ChargeRequest {
  readonly reference_id: string;
  readonly amount: number;
  readonly currency_code: string;
  readonly idempotency_key: string;
}
export type ChargeResult = { id: string; status: 'success' } | { id: string; status: 'failure'; error_code: DeclineCode };

export interface RefundRequest {
  /** The charge's id at the gateway (`id_at_gateway`). */
  readonly charge_id: string;
  /** Minor units; at most what is left of the charge. */
  readonly amount: number;
  readonly idempotency_key: string;
}
export type RefundResult = { id: string; status: 'success'; amount: number } | { id: string; status: 'failure'; reason: 'unknown_charge' | 'exceeds_charge' };
