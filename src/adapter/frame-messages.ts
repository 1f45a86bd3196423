import * as z from 'zod/mini';

/** The one envelope frames and their hosts exchange (DESIGN.md, "Hosted pages and messages"). */
export const envelope = <T extends string, D extends z.ZodMiniType>(type: T, data: D) =>
  z.strictObject({ source: z.literal('paylit'), version: z.literal(1), type: z.literal(type), data });

const label = z.string().check(z.maxLength(100));

/**
 * Messages the checkout page sends into the card frame. A plain union of envelopes whose `type` is a literal: a message
 * that is not one of them fails as a discriminated union would (the frames drop it unread), and the browser carries no
 * discriminated-union code (about 0.6 KB gzip).
 */
export const toCardFrame = z.union([
  /** How the frame authorises tokenization: the hosted page's id and token, the portal session's key, or the publishable key. */
  envelope('card:init', z.union([z.strictObject({ hostedPageId: z.string().check(z.maxLength(100)), token: z.string().check(z.maxLength(200)) }), z.strictObject({ publishableKey: z.string().check(z.maxLength(100)) }), z.strictObject({ portalKey: z.string().check(z.maxLength(200)) })])),
  /**
   * The page's language and direction, and the frame's labels in it (from its host's catalogs, so the frame carries
   * none): sent before `card:init`, which shows the fields.
   */
  envelope('card:locale', z.strictObject({ lang: z.string().check(z.maxLength(35)), dir: z.enum(['ltr', 'rtl']), labels: z.strictObject({ card: label, number: label, expiry: label, cvc: label, mmyy: label }) })),
  envelope('card:tokenize', z.strictObject({})),
  /** The customer's answer to the bank's 3-D Secure challenge for a token (the checkout shows the challenge). */
  envelope('card:authenticate', z.strictObject({ tokenId: z.string().check(z.maxLength(40)), outcome: z.enum(['complete', 'fail']) })),
  envelope('card:reset', z.strictObject({})),
  envelope('card:focus', z.strictObject({})),
  /** Pay on a form that is wrong elsewhere: every card field judged and marked now, nothing tokenized. */
  envelope('card:check', z.strictObject({})),
]);
export type ToCardFrame = z.infer<typeof toCardFrame>;
/** The card frame's labels in the page's language: the group, the number, the expiry and its placeholder, the CVC. */
export type CardLabels = Record<'card' | 'number' | 'expiry' | 'cvc' | 'mmyy', string>;

export type { CardToken as CardTokenView } from '../core/card.js';

import type { CardToken as CardTokenView } from '../core/card.js';

/** A field's problem (`code`: core's card reason, or the API's code when the backend refused), or one about no field. */
export type CardFrameError = { field?: string | undefined; code?: string | undefined; message: string };

/**
 * Messages the card frame sends to its host (the host parses them with `fromCardFrame` in ./card-frame.ts). A change
 * carries the first problem the customer is to see now, if any: the frame only marks the fields, and its host says it.
 */
export type FromCardFrame =
  | { type: 'card:ready'; data: Record<string, never> }
  | { type: 'card:change'; data: { complete: boolean; brand?: string | undefined; error?: CardFrameError | undefined } }
  | { type: 'card:token'; data: CardTokenView }
  | { type: 'card:error'; data: CardFrameError }
  | { type: 'card:authenticated'; data: { tokenId: string } }
  | { type: 'resize'; data: { height: number } };
