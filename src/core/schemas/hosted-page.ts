import * as z from 'zod/mini';
import { freeFormObject, hostedPageType, id, timestamp } from './common.js';

export { hostedPageType };

export const hostedPageSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(70)),
  type: hostedPageType,
  url: z.url(),
  state: z.enum(['created', 'requested', 'succeeded', 'cancelled', 'acknowledged']),
  failure_reason: z.optional(z.enum(['card_error', 'server_error'])),
  pass_thru_content: z.optional(z.string().check(z.maxLength(2048))),
  embed: z._default(z.boolean(), true),
  layout: z.optional(z.enum(['in_app', 'full_page'])),
  created_at: timestamp,
  expires_at: timestamp,
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  /** After completion: the created or changed subscription, customer and invoice. */
  content: z.optional(freeFormObject),
  /** The subscription a checkout_existing page changes. */
  subscription_id: z.optional(id),
  object: z._default(z.literal('hosted_page'), 'hosted_page'),
});
export type HostedPage = z.infer<typeof hostedPageSchema>;
