import * as z from 'zod/mini';

/** The one envelope frames and their hosts exchange (DESIGN.md, "Hosted pages and messages"). */
export const envelope = <T extends string, D extends z.ZodMiniType>(type: T, data: D) =>
  z.strictObject({ source: z.literal('paylit'), version: z.literal(1), type: z.literal(type), data });

/** Messages the checkout page sends into the card frame. */
export const toCardFrame = z.discriminatedUnion('type', [
  /** How the frame authorises tokenization: the hosted page's id and token, or the publishable key. */
  envelope('card:init', z.union([z.strictObject({ hostedPageId: z.string().check(z.maxLength(100)), token: z.string().check(z.maxLength(200)) }), z.strictObject({ publishableKey: z.string().check(z.maxLength(100)) })])),
  envelope('card:tokenize', z.strictObject({})),
  /** Shows the bank's 3-D Secure challenge for a token. */
  envelope('card:challenge', z.strictObject({ tokenId: z.string().check(z.maxLength(40)) })),
  envelope('card:reset', z.strictObject({})),
  envelope('card:focus', z.strictObject({})),
]);
export type ToCardFrame = z.infer<typeof toCardFrame>;

export type { CardToken as CardTokenView } from '../core/card.js';

const cardToken = z.object({
  id: z.string().check(z.maxLength(40)),
  brand: z.string().check(z.maxLength(40)),
  last4: z.string().check(z.regex(/^\d{4}$/)),
  expiry_month: z.int(),
  expiry_year: z.int(),
  authentication: z.enum(['none', 'required', 'succeeded', 'failed']),
});

/** Messages the card frame sends to its host, parsed by the host before use. */
export const fromCardFrame = z.discriminatedUnion('type', [
  envelope('card:ready', z.object({})),
  envelope('card:change', z.object({ complete: z.boolean(), brand: z.optional(z.string().check(z.maxLength(40))) })),
  envelope('card:token', cardToken),
  envelope('card:error', z.object({ field: z.optional(z.string().check(z.maxLength(20))), message: z.string().check(z.maxLength(500)) })),
  envelope('card:challenge-result', z.object({ tokenId: z.string().check(z.maxLength(40)), outcome: z.enum(['complete', 'fail']) })),
  envelope('resize', z.object({ height: z.number().check(z.minimum(0), z.maximum(100_000)) })),
]);
type Out = z.infer<typeof fromCardFrame>;
/** What the frame posts, without the envelope's constant fields. */
export type FromCardFrame = Out extends infer M ? (M extends { type: infer T; data: infer D } ? { type: T; data: D } : never) : never;
