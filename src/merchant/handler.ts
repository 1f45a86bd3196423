import { DEFAULT_TOLERANCE_SECONDS } from '../server/events/signature.js';
import { type CreditLedger, type EventOutcome, LedgerInputError } from './ledger.js';
import { type HeaderBag, signaturesOf, verifyWebhook, type VerifyOptions, WebhookVerificationError, type WebhookEvent } from './webhooks.js';

export interface WebhookHandlerOptions extends Omit<VerifyOptions, 'body' | 'headers'> {
  readonly ledger: CreditLedger;
  /** Runs once per event, after the ledger applied it (not for duplicates). An error here does not undo the ledger. */
  readonly onEvent?: ((event: WebhookEvent, outcome: EventOutcome) => void | Promise<void>) | undefined;
}

export interface WebhookResponse {
  readonly status: 200 | 400 | 401 | 500;
  readonly body: { readonly ok: boolean; readonly message?: string; readonly outcome?: EventOutcome };
}

/**
 * A webhook endpoint, independent of the HTTP framework: give it the raw body and the headers, answer with what it
 * returns. 401 (not processed) for a delivery that fails verification or repeats a signed delivery already seen;
 * 200 for an event applied now or before; 500 when applying failed, so the backend retries.
 */
export function createWebhookHandler(o: WebhookHandlerOptions): (request: { body: string; headers: HeaderBag }) => Promise<WebhookResponse> {
  const { ledger, onEvent, ...verify } = o;
  return async ({ body, headers }) => {
    let event: WebhookEvent;
    try {
      event = verifyWebhook({ ...verify, body, headers });
      if (verify.secret !== undefined) {
        const keep = 2 * (verify.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
        for (const s of signaturesOf(headers)) {
          if (!(await ledger.firstSighting(s, keep))) throw new WebhookVerificationError('this signed delivery was seen before (a replay)');
        }
      }
    } catch (e) {
      if (e instanceof WebhookVerificationError) return { status: 401, body: { ok: false, message: e.message } };
      throw e;
    }
    try {
      const outcome = await ledger.handleEvent(event);
      if (outcome.status !== 'duplicate') await onEvent?.(event, outcome);
      return { status: 200, body: { ok: true, outcome } };
    } catch (e) {
      if (e instanceof LedgerInputError) return { status: 400, body: { ok: false, message: e.message } };
      return { status: 500, body: { ok: false, message: e instanceof Error ? e.message : String(e) } };
    }
  };
}
