import * as z from 'zod/mini';
import { cardTokenParam } from './card.js';
import { addonsParam, contactParams } from './checkout.js';
import { booleanParam, countParam, idParam } from './common.js';

/**
 * The parameter family of the self-serve portal's writes (browser routes, a portal session's key): what a customer
 * may change of their own account. Prices, terms and dates never come from the browser; the site's portal settings
 * decide what is allowed, the billing rules what it costs.
 */

/** A new card from the card frame, where an action pays (a change, a due invoice, a pack). */
const payWith = { card_token: z.optional(cardTokenParam) };

/** EDIT_SUBSCRIPTION: the plan and its quantity, the whole addon list, and when (as the site allows). */
export const portalChangeParams = z.strictObject({
  plan_id: z.optional(idParam),
  plan_quantity: z.optional(countParam),
  addons: z.optional(addonsParam),
  change_option: z.optional(z.enum(['immediately', 'end_of_term'])),
  ...payWith,
});
export type PortalChangeParams = z.output<typeof portalChangeParams>;
/** What a change would cost, before it is confirmed: nothing is paid, so no card. */
export const portalChangeEstimateParams = z.omit(portalChangeParams, { card_token: true });

/** SUBSCRIPTION_CANCELLATION: what the site allows decides when; the customer may say why. */
export const portalCancelParams = z.strictObject({ cancel_reason_code: z.optional(z.string().check(z.maxLength(100))) });

/** A credit pack now (an invoice) or at the next renewal. */
export const portalPackParams = z.strictObject({ addon_id: idParam, addon_quantity: z.optional(countParam), ...payWith });
/** A pack for the next renewal: charged then, with the card on file, so no card now. */
export const portalScheduledPackParams = z.omit(portalPackParams, { card_token: true });

/** ADD_PAYMENT_SOURCE: the frame's token; whether it becomes the primary card (it does when there is none). */
export const portalCardParams = z.strictObject({ card_token: cardTokenParam, primary: z.optional(booleanParam) });

/** Paying a due invoice: the primary card, or a new one. */
export const portalPayParams = z.strictObject(payWith);

/** EDIT_ACCOUNT_DETAILS: the contact fields, checked as the checkout checks them. */
const { locale: _l, ...accountFields } = contactParams;
export const portalAccountParams = z.strictObject(accountFields);
export type PortalAccountParams = z.output<typeof portalAccountParams>;
