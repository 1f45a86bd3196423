import * as z from 'zod/mini';

/** The parameter family of cards: the fields the card frame sends, and the token it gets back. */

/** A card token as the card frame got it (`tok_` and 16 letters and digits). */
export const cardTokenParam = z.string().check(z.regex(/^tok_[A-Za-z0-9]{16}$/));

/** The card fields the frame sends (checked by core's checkCard, as the frame checked them). */
export const cardDetailsParams = z.strictObject({
  hosted_page_id: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  number: z.string().check(z.maxLength(40)),
  expiry_month: z.int(),
  expiry_year: z.int(),
  cvc: z.string().check(z.maxLength(8)),
});
