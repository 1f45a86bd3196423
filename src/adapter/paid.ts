import * as z from 'zod/mini';
import { money } from '../core/schemas/common.js';

/**
 * What the success screen says of a paid page (its `content`, as the server completed it, which `browserHostedPage`
 * passes through unread): the invoice the payment made (what was charged, for what) and the email of the customer it
 * is billed to. Checked where it is read, in the success screen's chunk (a module of its own, so
 * that the elements' first download and the portal carry none of it).
 */
export const paidSchema = z.looseObject({
  customer: z.optional(z.looseObject({ email: z.optional(z.string()) })),
  invoice: z.optional(
    z.looseObject({
      id: z.string(),
      amount_paid: money,
      currency_code: z.string(),
      line_items: z._default(z.array(z.looseObject({ description: z.string(), quantity: z.optional(z.number()), amount: z.int() })), []),
    }),
  ),
});
export type Paid = z.infer<typeof paidSchema>;
