import type { CardInput } from '../../core/card.js';
import { checkCard } from '../../core/card.js';
import { newId } from '../ids.js';
import type { Db } from '../db/transaction.js';
import type { GatewayTokenRow } from '../db/types.js';
import { PaylitValidationError } from '../../core/errors.js';
import { type ChargeRequest, type ChargeResult, type DeclineCode, type Gateway, PaymentError, type RefundRequest, type RefundResult, type SavedCard, type TokenView } from './gateway.js';

/**
 * What a test card number does (README, "Test cards"). The number selects the behaviour when the card is tokenized;
 * only the behaviour is kept, never the number.
 */
export type Behaviour = 'succeeds' | 'card_declined' | 'insufficient_funds' | 'authentication_required' | 'declines_after_saving';
export const TEST_CARDS: Readonly<Record<string, Behaviour>> = {
  '4111111111111111': 'succeeds',
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000003220': 'authentication_required',
  '4000000000000341': 'declines_after_saving',
};

/** A card token lives this long, and is used once. */
export const TOKEN_TTL_SECONDS = 30 * 60;

/**
 * The built-in test gateway. It has the shape of a real one: tokens from the card frame, a vault of saved cards
 * (the `reference_id` a payment source keeps), and charges that are idempotent by key, so the same key never moves
 * money twice, whoever asks and however often.
 */
export class TestGateway implements Gateway {
  readonly name = 'paylit_test';
  readonly accountId = 'gw_paylit_test';
  readonly live = false;

  constructor(private readonly siteId: string) {}

  /** Checks the card as the frame did, and turns it into a short-lived single-use token. */
  async tokenize(db: Db, input: CardInput, now: number): Promise<TokenView> {
    const checked = checkCard(input, now);
    if (!checked.ok) throw new PaylitValidationError(checked.errors);
    const { card } = checked;
    const behaviour = TEST_CARDS[card.number] ?? 'succeeds';
    const row: GatewayTokenRow = {
      site_id: this.siteId,
      id: newId('tok'),
      brand: card.brand,
      last4: card.last4,
      expiry_month: card.expiry_month,
      expiry_year: card.expiry_year,
      behaviour,
      authentication: behaviour === 'authentication_required' ? 'required' : 'none',
      used_at: null,
      created_at: now,
      expires_at: now + TOKEN_TTL_SECONDS,
    };
    await db.insertInto('gateway_tokens').values(row).execute();
    return view(row);
  }

  async token(db: Db, id: string): Promise<TokenView | undefined> {
    const row = await this.row(db, id);
    return row && view(row);
  }

  private row(db: Db, id: string): Promise<GatewayTokenRow | undefined> {
    return db.selectFrom('gateway_tokens').selectAll().where('site_id', '=', this.siteId).where('id', '=', id).executeTakeFirst();
  }

  /** The 3-D Secure challenge's answer: "Complete" or "Fail". */
  async authenticate(db: Db, id: string, outcome: 'complete' | 'fail', now: number): Promise<TokenView> {
    const t = await this.usable(db, id, now);
    if (t.authentication === 'none') return view(t);
    const authentication = outcome === 'complete' ? 'succeeded' : 'failed';
    await db.updateTable('gateway_tokens').set({ authentication }).where('site_id', '=', this.siteId).where('id', '=', id).where('used_at', 'is', null).execute();
    return view({ ...t, authentication });
  }

  private async usable(db: Db, id: string, now: number): Promise<GatewayTokenRow> {
    const t = await this.row(db, id);
    if (!t || t.used_at !== null || t.expires_at <= now) throw new PaymentError('token_invalid');
    return t;
  }

  /**
   * Saves the token's card in the vault (verifying it, as gateways do when a card is saved) and uses the token up.
   * In the caller's transaction: if what follows fails, the token is usable again.
   */
  async save(trx: Db, tokenId: string, now: number): Promise<SavedCard> {
    const t = await this.usable(trx, tokenId, now);
    if (t.authentication === 'required') throw new PaymentError('authentication_required');
    if (t.authentication === 'failed') throw new PaymentError('authentication_failed');
    if (t.behaviour === 'card_declined') throw new PaymentError('card_declined');
    const used = await trx.updateTable('gateway_tokens').set({ used_at: now }).where('site_id', '=', this.siteId).where('id', '=', tokenId).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw new PaymentError('token_invalid');
    const reference_id = newId('card');
    await trx.insertInto('gateway_cards').values({ site_id: this.siteId, id: reference_id, behaviour: t.behaviour, created_at: now }).execute();
    return { reference_id, brand: t.brand, last4: t.last4, expiry_month: t.expiry_month, expiry_year: t.expiry_year };
  }

  /** Charges a saved card. The same idempotency key returns the first result and never charges again. */
  async charge(trx: Db, o: ChargeRequest, now: number): Promise<ChargeResult> {
    const previous = await trx.selectFrom('gateway_charges').selectAll().where('site_id', '=', this.siteId).where('idempotency_key', '=', o.idempotency_key).executeTakeFirst();
    if (previous) return previous.status === 'success' ? { id: previous.id, status: 'success' } : { id: previous.id, status: 'failure', error_code: previous.error_code as DeclineCode };
    const card = await trx.selectFrom('gateway_cards').selectAll().where('site_id', '=', this.siteId).where('id', '=', o.reference_id).executeTakeFirst();
    const error: DeclineCode | null = !card
      ? 'card_declined'
      : card.behaviour === 'insufficient_funds'
        ? 'insufficient_funds'
        : card.behaviour === 'card_declined' || card.behaviour === 'declines_after_saving'
          ? 'card_declined'
          : null;
    const id = newId('ch');
    await trx
      .insertInto('gateway_charges')
      .values({ site_id: this.siteId, idempotency_key: o.idempotency_key, id, card_id: o.reference_id, amount: o.amount, currency_code: o.currency_code, status: error ? 'failure' : 'success', error_code: error, created_at: now })
      .execute();
    return error ? { id, status: 'failure', error_code: error } : { id, status: 'success' };
  }

  /** Refunds part or all of a successful charge; the same key answers with the first refund. */
  async refund(trx: Db, o: RefundRequest, now: number): Promise<RefundResult> {
    const previous = await trx.selectFrom('gateway_refunds').selectAll().where('site_id', '=', this.siteId).where('idempotency_key', '=', o.idempotency_key).executeTakeFirst();
    if (previous) return { id: previous.id, status: 'success', amount: Number(previous.amount) };
    const charge = await trx.selectFrom('gateway_charges').selectAll().where('site_id', '=', this.siteId).where('id', '=', o.charge_id).where('status', '=', 'success').executeTakeFirst();
    const id = newId('re');
    if (!charge) return { id, status: 'failure', reason: 'unknown_charge' };
    const refunded = await trx.selectFrom('gateway_refunds').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('total')).where('site_id', '=', this.siteId).where('charge_id', '=', charge.id).executeTakeFirstOrThrow();
    if (o.amount < 1 || Number(refunded.total) + o.amount > Number(charge.amount)) return { id, status: 'failure', reason: 'exceeds_charge' };
    await trx.insertInto('gateway_refunds').values({ site_id: this.siteId, idempotency_key: o.idempotency_key, id, charge_id: charge.id, amount: o.amount, created_at: now }).execute();
    return { id, status: 'success', amount: o.amount };
  }

  /** Forgets a saved card (payment source deleted). */
  async forget(trx: Db, reference_id: string): Promise<void> {
    await trx.deleteFrom('gateway_cards').where('site_id', '=', this.siteId).where('id', '=', reference_id).execute();
  }

  /** Drops tokens that can no longer be used. */
  async purge(db: Db, now: number): Promise<void> {
    await db.deleteFrom('gateway_tokens').where('site_id', '=', this.siteId).where('expires_at', '<', now - 24 * 3600).execute();
  }
}

const view = (t: GatewayTokenRow): TokenView => ({
  id: t.id,
  brand: t.brand,
  last4: t.last4,
  expiry_month: t.expiry_month,
  expiry_year: t.expiry_year,
  authentication: t.authentication,
  expires_at: t.expires_at,
  object: 'card_token',
});
