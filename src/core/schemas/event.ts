import * as z from 'zod/mini';
import { freeFormObject, timestamp } from './common.js';

export const EVENT_TYPES = [
  'customer_created',
  'customer_changed',
  'subscription_created',
  'subscription_started',
  // Out of its group on purpose: here dist/paylit-core.js stays within its gzip budget (test/size.mjs).
  'payment_source_updated',
  'subscription_activated',
  'subscription_changed',
  'subscription_shipping_address_updated',
  'subscription_changes_scheduled',
  'subscription_scheduled_changes_removed',
  'subscription_renewed',
  'subscription_cancellation_scheduled',
  'subscription_scheduled_cancellation_removed',
  'subscription_cancelled',
  'subscription_reactivated',
  'subscription_trial_end_reminder',
  'customer_deleted',
  'invoice_updated',
  'invoice_generated',
  'payment_succeeded',
  'payment_failed',
  'card_added',
  'payment_source_added',
  'payment_source_deleted',
  'card_deleted',
  'hosted_page_completed',
  'addon_created',
  'addon_updated',
  'addon_deleted',
  'plan_created',
  'plan_updated',
  'plan_deleted',
  'coupon_created',
  'coupon_deleted',
] as const;

export const eventSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(70)),
  occurred_at: timestamp,
  source: z._default(z.enum(['api', 'admin_console', 'hosted_page', 'portal', 'scheduled_job', 'system']), 'api'),
  user: z.optional(z.string()),
  event_type: z.enum(EVENT_TYPES),
  api_version: z._default(z.enum(['v1', 'v2']), 'v2'),
  webhook_status: z._default(
    z.enum(['not_configured', 'scheduled', 'succeeded', 're_scheduled', 'failed', 'skipped', 'not_applicable']),
    'not_configured',
  ),
  content: freeFormObject,
  object: z._default(z.literal('event'), 'event'),
});
export type PaylitEvent = z.infer<typeof eventSchema>;
export type EventType = (typeof EVENT_TYPES)[number];
