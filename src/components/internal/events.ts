import type { HostedPage } from '../../core/schemas/hosted-page.js';

/**
 * What `<paylit-checkout>` shows: the one-page `checkout` (cart, contact, address, card, Pay), the bank's
 * `authentication` (3-D Secure) over it, and the `complete` panel once paid.
 */
export type CheckoutStep = 'checkout' | 'authentication' | 'complete';

export interface CheckoutStepDetail {
  step: CheckoutStep;
  previous?: CheckoutStep | undefined;
}
/** A charge is given up after this long (every retry included), so the host's close is never locked for longer. */
export const CHARGE_TIMEOUT_MS = 30_000;

export interface CheckoutSuccessDetail {
  hostedPageId: string;
  hostedPage: HostedPage;
  /** Where the merchant asked to send the customer afterwards, if anywhere. */
  redirectUrl?: string | undefined;
}
export interface CheckoutErrorDetail {
  /** `api_error_code`, or `network_error`, `timeout`, `invalid_response`, `card_invalid`, `authentication_failed`. */
  code: string;
  message: string;
  /** The API parameter the error names, if any. */
  param?: string | undefined;
  step: CheckoutStep;
  /**
   * True when the checkout cannot go on (the page cannot be loaded, has expired or is already completed). A declined
   * card, a failed challenge or a refused field is shown next to its field and is not fatal: the customer fixes it.
   */
  fatal: boolean;
}
export type TopUpChoice = 'replenish_now' | 'add_at_renewal' | 'change_pack' | 'no_thanks';
export interface TopUpRequestDetail {
  choice: TopUpChoice;
  /** The pack: the current one, or the one picked under "Change pack". */
  addonId: string | undefined;
  quantity: number;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'paylit-checkout-step': CustomEvent<CheckoutStepDetail>;
    'paylit-checkout-success': CustomEvent<CheckoutSuccessDetail>;
    'paylit-checkout-error': CustomEvent<CheckoutErrorDetail>;
    'paylit-topup-request': CustomEvent<TopUpRequestDetail>;
    /** The success screen's "Return to {shop}" (shown with `closable`): the host closes the checkout. */
    'paylit-checkout-close': CustomEvent<Record<string, never>>;
  }
}

/** Fires a `paylit-*` lifecycle event (bubbles, composed). Returns false when a listener cancelled it. */
export function emit<K extends 'paylit-checkout-step' | 'paylit-checkout-success' | 'paylit-checkout-error' | 'paylit-topup-request' | 'paylit-checkout-close'>(
  host: HTMLElement,
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
  cancelable = false,
): boolean {
  return host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
}

/** The native `change` a form control fires (bubbles, composed, so it leaves the shadow root like an input's would not). */
export const fireChange = (host: HTMLElement) => host.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
