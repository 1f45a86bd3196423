import type { ChangeParams } from '../../core/params/change.js';
import type { NewCheckoutParams } from '../../core/params/checkout.js';
import type { HostedPage } from '../../core/schemas/hosted-page.js';

/** What a checkout page will do when the customer completes it: the merchant's request, with the customer's choices. */
export type CheckoutRequest = NewCheckoutRequest | ExistingCheckoutRequest;
/** checkout_new: a subscription to create, for a new customer or (with customer[id]) an existing one. */
export type NewCheckoutRequest = { readonly kind: 'new' } & NewCheckoutParams;
/** checkout_existing(_for_items): a change to a subscription. */
export interface ExistingCheckoutRequest {
  readonly kind: 'existing';
  readonly subscription_id: string;
  readonly change: ChangeParams;
}

/** A hosted page as stored: the public resource plus what only the server sees. */
export interface StoredHostedPage {
  readonly id: string;
  created_at: number;
  updated_at: number;
  resource_version: number;
  page: HostedPage;
  /** SHA-256 of the page token (the token itself is given out once, in the page's url). */
  readonly token_hash: string;
  readonly request: CheckoutRequest;
  readonly redirect_url?: string | undefined;
  readonly cancel_url?: string | undefined;
  /** Created by a drop-in button with the publishable key rather than by the merchant's server. */
  readonly drop_in?: boolean | undefined;
  /**
   * New checkouts without customer[id]: the id the customer will get, chosen when the page is made, so declined
   * attempts before the payment that succeeds are all recorded against the same customer.
   */
  readonly new_customer_id?: string | undefined;
}

export type PortalSessionStatus = 'created' | 'logged_in' | 'logged_out' | 'not_yet_activated' | 'activated';

export interface PortalSession {
  readonly id: string;
  readonly customer_id: string;
  status: PortalSessionStatus;
  readonly token_hash: string;
  /** SHA-256 of the access key given to the browser that activated the session; null until then. */
  access_hash?: string | undefined;
  readonly redirect_url?: string | undefined;
  readonly created_at: number;
  readonly expires_at: number;
  updated_at: number;
  resource_version: number;
  login_at?: number | undefined;
  logout_at?: number | undefined;
}

/** The portal session as the API shows it (the token only on create). */
export function portalSessionView(p: PortalSession, extra: { token?: string; access_url?: string } = {}) {
  return {
    id: p.id,
    ...(extra.token !== undefined && { token: extra.token }),
    ...(extra.access_url !== undefined && { access_url: extra.access_url }),
    ...(p.redirect_url !== undefined && { redirect_url: p.redirect_url }),
    status: p.status,
    created_at: p.created_at,
    expires_at: p.expires_at,
    customer_id: p.customer_id,
    ...(p.login_at !== undefined && { login_at: p.login_at }),
    ...(p.logout_at !== undefined && { logout_at: p.logout_at }),
    object: 'portal_session' as const,
  };
}
