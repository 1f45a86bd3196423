/**
 * `paylit/merchant`: what a merchant server imports. Webhook verification (HTTP Basic and the Paylit-Signature
 * header, with replay protection), idempotent event handling by event id, and a credit ledger on the merchant's own
 * database (SQLite by default, PostgreSQL by URL).
 */
export { SIGNATURE_HEADER, signatureHeader, verifyWebhook, WebhookVerificationError, webhookEventSchema } from './webhooks.js';
export type { VerifyOptions, WebhookEvent } from './webhooks.js';
export { CreditLedger, InsufficientCreditsError, LedgerInputError, packCredits } from './ledger.js';
export type { EntryKind, EventOutcome, LedgerEntry, LedgerOptions, Movement, PaidInvoice } from './ledger.js';
export { createWebhookHandler } from './handler.js';
export type { WebhookHandlerOptions, WebhookResponse } from './handler.js';
