/**
 * `paylit/merchant`: what a merchant server imports. Webhook verification (HTTP Basic and the Paylit-Signature
 * header, with replay protection) is here; idempotent event handling and the credit ledger follow.
 */
export { SIGNATURE_HEADER, signatureHeader, verifyWebhook, WebhookVerificationError, webhookEventSchema } from './webhooks.js';
export type { VerifyOptions, WebhookEvent } from './webhooks.js';
